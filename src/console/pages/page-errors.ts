/**
 * How console pages answer refusals and failures: not signed in → the sign-in page (htmx:
 * `HX-Redirect`), wrong role or missing CSRF token → an HTML 403 page, unknown page → 404, anything
 * else → 500 with a log line (no request data in it).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logger';
import { LifecycleError } from '../../domain/reports/lifecycle';
import { AccessError } from '../auth/errors';
import type { ConsoleViews } from '../render';
import { StaffError } from '../services/staff-errors';
import { staffErrorText } from './users-pages';

export function pageNotFound(views: ConsoleViews) {
  return (req: Request, res: Response) => {
    const t = views.t(req);
    views.page(req, res, 'error', { message: t('console:errors.notFound') }, { title: t('console:errors.notFoundTitle'), status: 404 });
  };
}

export function pageErrors(views: ConsoleViews, logger: Logger) {
  // express recognises an error handler by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const t = views.t(req);
    if (err instanceof AccessError && err.status === 401) {
      const login = req.method === 'GET' ? `/console/login?next=${encodeURIComponent(req.originalUrl)}` : '/console/login';
      if (req.get('hx-request') === 'true') return res.status(401).setHeader('hx-redirect', login).end();
      return res.redirect(303, login);
    }
    if (err instanceof AccessError) {
      const message = err.code === 'csrf.invalid' ? t('console:errors.csrf') : t('console:errors.forbidden');
      return views.page(req, res, 'error', { message }, { title: t('console:errors.forbiddenTitle'), status: 403 });
    }
    if (err instanceof StaffError) {
      return views.page(req, res, 'error', { message: staffErrorText(views, req, err) }, { title: t('console:errors.refusedTitle'), status: err.status });
    }
    if (err instanceof LifecycleError) {
      const status = err.kind === 'forbidden' ? 403 : err.kind === 'conflict' ? 409 : 422;
      return views.page(req, res, 'error', { message: err.message }, { title: t('console:errors.refusedTitle'), status });
    }
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return views.page(req, res, 'error', { message: t('console:errors.tooLarge') }, { title: t('console:errors.refusedTitle'), status: 413 });
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return views.page(req, res, 'error', { message: t('console:errors.badRequest') }, { title: t('console:errors.refusedTitle'), status: e.status });
    }
    logger.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'console page failed');
    if (res.headersSent) return res.end();
    return views.page(req, res, 'error', { message: t('console:errors.internal') }, { title: t('console:errors.internalTitle'), status: 500 });
  };
}
