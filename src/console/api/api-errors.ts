/**
 * JSON errors of `/api/staff/v1`: `{"error": {"code", "message"}}` (plus `fields` naming refused
 * inputs on 422), with 400 (malformed body), 401 (no or bad credentials), 403 (role, CSRF), 404,
 * 409 (state), 422 (input). Checks run in that order: authentication, role, target, state, input.
 *
 * Handlers throw (or pass to `next`) an {@link ApiError}, an `AccessError`, a `StaffError` or a
 * `LifecycleError`; this handler maps each to its status.
 */
import type { NextFunction, Request, Response } from 'express';
import { LifecycleError } from '../../domain/reports/lifecycle';
import type { Logger } from '../../logger';
import { AccessError } from '../auth/errors';
import { StaffError } from '../services/staff-errors';

export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429;

export class ApiError extends Error {
  constructor(readonly status: ApiErrorStatus, readonly code: string, message: string, readonly fields?: ReadonlyArray<{ field: string; code: string }>) {
    super(message);
    this.name = 'ApiError';
  }
}

export function sendApiError(res: Response, status: ApiErrorStatus | 500, code: string, message: string, fields?: ReadonlyArray<{ field: string; code: string }>): void {
  res.status(status).json({ error: { code, message, ...(fields && fields.length ? { fields } : {}) } });
}

export function apiErrors(logger: Logger) {
  // express recognises an error handler by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) return sendApiError(res, err.status, err.code, err.message, err.fields);
    if (err instanceof AccessError) {
      if (err.status === 401) res.setHeader('www-authenticate', 'Bearer');
      return sendApiError(res, err.status, err.code, err.message);
    }
    if (err instanceof StaffError) return sendApiError(res, err.status, err.code, err.message, err.problems);
    if (err instanceof LifecycleError) return sendApiError(res, err.kind === 'forbidden' ? 403 : err.kind === 'conflict' ? 409 : 422, err.code, err.message);
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed') return sendApiError(res, 400, 'request.malformed-json', 'the body is not valid JSON');
    if (e.type === 'entity.too.large') return sendApiError(res, 400, 'request.too-large', 'the body is too large');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendApiError(res, 400, 'request.bad', 'bad request');
    logger.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'staff API request failed');
    return sendApiError(res, 500, 'internal', 'internal error; the server log has the details');
  };
}
