/**
 * Refusals of the authentication middleware and the guards. Guards never answer themselves: they
 * pass an AccessError to `next`, and each surface's error handler answers in its own form (console
 * pages: a redirect to the sign-in page or an HTML 403 page; /api/staff/v1: JSON
 * `{"error": {"code", "message"}}`).
 */
export type AccessErrorCode =
  /** 401: no credentials (no session, no Authorization header). */
  | 'auth.required'
  /** 401: credentials that are wrong, expired or revoked, or of a deactivated user. */
  | 'auth.invalid'
  /** 403: the role may not do this. */
  | 'auth.forbidden'
  /** 403: a state-changing request made with a session lacks the session's CSRF token. */
  | 'csrf.invalid';

const MESSAGES: Record<AccessErrorCode, string> = {
  'auth.required': 'sign in, or send Authorization: Bearer <token>',
  'auth.invalid': 'the credentials are wrong, expired or revoked',
  'auth.forbidden': 'your role may not do this',
  'csrf.invalid': 'the form expired or did not come from this console (CSRF token missing or wrong); reload the page',
};

export class AccessError extends Error {
  readonly status: 401 | 403;
  constructor(readonly code: AccessErrorCode, message?: string) {
    super(message ?? MESSAGES[code]);
    this.name = 'AccessError';
    this.status = code === 'auth.required' || code === 'auth.invalid' ? 401 : 403;
  }
}
