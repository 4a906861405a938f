/**
 * Signing in and out, and setting a password through a one-time link. Public pages (no session
 * needed); every form carries the CSRF token, the sign-in one included (no login CSRF).
 */
import type { Request, Response, Router } from 'express';
import type { StaffAccess } from '../services/staff-access';
import type { StaffAccounts } from '../services/staff-accounts';
import { authOf } from '../auth/context';
import { requireCsrf } from '../auth/csrf';
import { requireSignedIn } from '../auth/guards';
import { endSession, FLASH_KEYS, SESSION_COOKIE, startSignedInSession } from '../auth/session';
import { randomSecret } from '../auth/secrets';
import type { AuditLog } from '../../domain/staff/audit';
import type { RequestHandler } from 'express';
import type { ConsoleViews } from '../render';
import { field, formOf, originOf, safeNext } from './forms';

export interface SignInPagesDeps {
  readonly views: ConsoleViews;
  readonly access: StaffAccess;
  readonly accounts: StaffAccounts;
  readonly audit: AuditLog;
  /** The per-address limit of failed sign-ins (shared with POST /api/staff/v1/tokens). */
  readonly addressLimit: RequestHandler;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function signInPages(r: Router, d: SignInPagesDeps): void {
  const t = (req: Request) => d.views.common(req).t;
  const loginPage = (req: Request, res: Response, o: { email?: string; error?: string; status?: number; next?: string } = {}) =>
    d.views.page(req, res, 'login', { email: o.email ?? '', error: o.error ?? null, next: safeNext(o.next ?? req.query.next), signedOut: req.query.bye === '1' }, { title: t(req)('console:login.title'), status: o.status });

  r.get('/login', (req, res) => {
    if (authOf(req)?.via === 'session') return res.redirect(303, safeNext(req.query.next));
    return loginPage(req, res);
  });

  r.post('/login', d.addressLimit, requireCsrf, async (req, res) => {
    const body = formOf(req);
    const email = field(body, 'email');
    const outcome = await d.access.signIn(email, field(body, 'password'), { ip: originOf(req).ip, via: 'console' });
    switch (outcome.kind) {
      case 'signed-in':
        await startSignedInSession(req, outcome.user.id, randomSecret());
        return res.redirect(303, safeNext(field(body, 'next')));
      case 'refused':
        return loginPage(req, res, { email, error: t(req)('console:login.refused'), status: 401, next: field(body, 'next') });
      case 'locked':
        return loginPage(req, res, { email, error: t(req)('console:login.locked', { minutes: d.access.lockMinutes }), status: 401, next: field(body, 'next') });
    }
  });

  r.post('/logout', requireSignedIn, async (req, res) => {
    const auth = authOf(req);
    if (auth?.via === 'session') {
      await d.audit.record({ actor: auth.actor, action: 'session.logout', target: { kind: 'staff-user', id: auth.actor.id }, ip: originOf(req).ip });
      await endSession(req);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    res.redirect(303, '/console/login?bye=1');
  });

  const linkPage = async (req: Request, res: Response, token: string, problems: unknown[] = [], status = 200) => {
    const user = TOKEN_RE.test(token) ? await d.accounts.passwordLinkUser(token) : null;
    if (!user) {
      return d.views.page(req, res, 'error', { message: t(req)('console:password.invalidLink'), back: '/console/login' }, { title: t(req)('console:password.title'), status: 404 });
    }
    return d.views.page(req, res, 'password/set', { user, token, problems }, { title: t(req)('console:password.title'), status });
  };

  r.get('/password/:token', (req, res) => linkPage(req, res, String(req.params.token)));

  r.post('/password/:token', d.addressLimit, requireCsrf, async (req, res) => {
    const token = String(req.params.token);
    if (!TOKEN_RE.test(token)) return linkPage(req, res, token);
    const body = formOf(req);
    const outcome = await d.accounts.setPasswordWithLink(token, field(body, 'password'), field(body, 'confirm'), originOf(req));
    if (outcome.kind === 'invalid-link') return linkPage(req, res, token);
    if (outcome.kind === 'invalid') return linkPage(req, res, token, [...outcome.problems], 422);
    // Whoever was signed in on this browser is signed out: the new password starts afresh.
    if (req.session.userId) delete req.session.userId;
    req.session.flash = FLASH_KEYS.passwordSet;
    return res.redirect(303, '/console/login');
  });
}
