/**
 * Console sessions: express-session with its rows in PostgreSQL (`staff_sessions`, see
 * `storage/staff-session-store.ts`). The cookie is httpOnly, SameSite=Lax, `Secure` when the
 * console is served over https, and lives `sessionHours` from sign-in. Signing in starts a new
 * session (a fresh id: no fixation); signing out destroys it.
 */
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import type { Locale } from '../../domain/shared/ids';

/** What a console session holds: ids and choices, never a secret other than its CSRF token. */
declare module 'express-session' {
  interface SessionData {
    /** The signed-in staff user. */
    userId?: string;
    /** Synchronizer CSRF token: every form carries it, htmx sends it as `X-CSRF-Token`. */
    csrf?: string;
    /** The console's language (`?lang=en`), Vietnamese until changed. */
    locale?: Locale;
    /** A one-shot notice shown on the next page (an i18n key chosen from a fixed list). */
    flash?: FlashKey;
  }
}

/** Notices shown once after a redirect. */
export const FLASH_KEYS = {
  signedOut: 'console:flash.signed-out',
  passwordSet: 'console:flash.password-set',
  userSaved: 'console:flash.user-saved',
  userDeactivated: 'console:flash.user-deactivated',
  userReactivated: 'console:flash.user-reactivated',
  userUnlocked: 'console:flash.user-unlocked',
  keyRevoked: 'console:flash.key-revoked',
} as const;
export type FlashKey = (typeof FLASH_KEYS)[keyof typeof FLASH_KEYS];

export const SESSION_COOKIE = 'phananh.sid';
/** A session that never signs in (the sign-in page's CSRF token) lasts this long. */
export const ANONYMOUS_SESSION_MS = 2 * 3_600_000;

export function consoleSession(o: { store: session.Store; secret: string; secure: boolean; sessionHours: number }): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    store: o.store,
    secret: o.secret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: o.secure, path: '/', maxAge: o.sessionHours * 3_600_000 },
  });
}

/** Starts a fresh session (new id, nothing carried over but the language) for a signed-in user. */
export async function startSignedInSession(req: Request, userId: string, csrf: string): Promise<void> {
  const locale = req.session.locale;
  await new Promise<void>((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
  req.session.userId = userId;
  req.session.csrf = csrf;
  if (locale) req.session.locale = locale;
  await saveSession(req);
}

export async function endSession(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.destroy((err: unknown) => (err ? reject(err) : resolve())));
}

export async function saveSession(req: Request): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
}
