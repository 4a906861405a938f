/**
 * Per-address limit of failed sign-ins (console page and `POST /api/staff/v1/tokens` share one
 * counter): `limit` failures per 15 minutes per client address, then 429 until the window passes.
 * Only failures count, so an office behind one address can still sign in all morning. The
 * per-account limit is the lock-out in `services/staff-access.ts`.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

export const SIGN_IN_WINDOW_MS = 15 * 60_000;

export function signInAddressLimit(o: { limit: number; refuse: (req: Request, res: Response, retryAfterSeconds: number) => void }): RequestHandler {
  return rateLimit({
    windowMs: SIGN_IN_WINDOW_MS,
    limit: o.limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (req, res) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : SIGN_IN_WINDOW_MS / 1000;
      res.setHeader('retry-after', String(seconds));
      o.refuse(req, res, seconds);
    },
    // createApp trusts X-Forwarded-For (the city runs the bot behind its reverse proxy); the
    // per-account lock-out does not depend on the address.
    validate: { trustProxy: false },
  });
}
