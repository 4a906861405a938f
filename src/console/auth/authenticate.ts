/**
 * The one authentication middleware of the console pages and `/api/staff/v1`. It never refuses an
 * anonymous request (guards do that); it refuses bad credentials.
 *
 * - `Authorization: Bearer <token>`: a token from `POST /api/staff/v1/tokens` (`pat_…`) or an API
 *   key (`pak_…`). Wrong, expired or revoked: 401 `auth.invalid`, whatever the route. The session
 *   cookie is then ignored.
 * - Otherwise the session's user, if still active (a deactivated user is signed out at once).
 */
import type { RequestHandler } from 'express';
import type { StaffAccess } from '../services/staff-access';
import { staffActor } from '../services/staff-access';
import { setAuth } from './context';
import { AccessError } from './errors';

export function authenticate(access: StaffAccess): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header !== undefined) {
      const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
      const ctx = m ? await access.resolveBearer(m[1]!) : null;
      if (!ctx) return next(new AccessError('auth.invalid'));
      setAuth(req, ctx);
      return next();
    }
    const userId = req.session?.userId;
    if (userId) {
      const user = await access.sessionUser(userId);
      if (user) setAuth(req, { actor: staffActor(user), via: 'session', user, apiKey: null });
      else delete req.session.userId;
    }
    return next();
  };
}
