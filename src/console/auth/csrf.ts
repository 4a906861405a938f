/**
 * CSRF protection with a synchronizer token kept in the session. Every state-changing request made
 * with a session cookie must carry it: forms as the hidden field `_csrf` (`it.csrfField` in a
 * view), htmx and fetch as the `X-CSRF-Token` header (the layout sets `hx-headers` on <body>).
 * Multipart forms (file uploads) are parsed after this check, so they send the header, or `_csrf`
 * in the form's action URL. Requests with a bearer token carry no cookie a third site could
 * borrow, so they are not checked.
 */
import type { Request, RequestHandler } from 'express';
import { authOf } from './context';
import { AccessError } from './errors';
import { ANONYMOUS_SESSION_MS } from './session';
import { randomSecret, safeEqual } from './secrets';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/** The session's CSRF token, created (with a short-lived session) on first use. */
export function csrfTokenOf(req: Request): string {
  if (!req.session.csrf) {
    req.session.csrf = randomSecret();
    if (!req.session.userId) req.session.cookie.maxAge = ANONYMOUS_SESSION_MS;
  }
  return req.session.csrf;
}

function sentToken(req: Request): string | undefined {
  const header = req.get(CSRF_HEADER);
  if (header) return header;
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && typeof body[CSRF_FIELD] === 'string') return body[CSRF_FIELD];
  if (req.is('multipart/form-data') && typeof req.query[CSRF_FIELD] === 'string') return req.query[CSRF_FIELD];
  return undefined;
}

function check(req: Request): AccessError | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const expected = req.session?.csrf;
  const sent = sentToken(req);
  return expected && sent && safeEqual(sent, expected) ? undefined : new AccessError('csrf.invalid');
}

/**
 * For every request signed in with a session: a state-changing one without the right token gets
 * 403 `csrf.invalid`. Anonymous and bearer requests pass (guards answer 401 for the former).
 */
export const csrfForSessions: RequestHandler = (req, _res, next) => {
  next(authOf(req)?.via === 'session' ? check(req) : undefined);
};

/** For routes anonymous visitors post to (sign-in, setting a password): the token is required. */
export const requireCsrf: RequestHandler = (req, _res, next) => {
  next(authOf(req)?.via === 'token' || authOf(req)?.via === 'api-key' ? undefined : check(req));
};
