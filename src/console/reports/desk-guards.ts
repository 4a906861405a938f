/**
 * Guards of the report desk's routes beyond `requireCapability`: "any of these capabilities"
 * (status changes are open to the IOC and the agencies; the lifecycle then decides per status),
 * and the per-user rate limit of the report API and exports.
 */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { can, type Capability } from '../../domain/staff/permissions';
import { ApiError } from '../api/api-errors';
import { actorOf } from '../auth/context';
import { AccessError } from '../auth/errors';

/** Signed in, with at least one of the capabilities (401, else 403). */
export function requireAnyCapability(...capabilities: readonly Capability[]): RequestHandler {
  return (req, _res, next) => {
    const actor = actorOf(req);
    if (!actor) return next(new AccessError('auth.required'));
    return next(capabilities.some((c) => can(actor.role, c)) ? undefined : new AccessError('auth.forbidden'));
  };
}

/**
 * `perMinute` requests per minute and staff user or API key, counted across every route that
 * uses the returned middleware (create it once). Put it after the guard: anonymous requests get
 * their 401 first and are never counted. Over the limit: 429 `rate-limited` with `Retry-After`.
 */
export function staffRateLimiter(perMinute: number, onLimited?: RequestHandler): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const a = actorOf(req);
      return a ? `${a.kind}:${a.id}` : 'anonymous';
    },
    handler:
      onLimited ??
      ((_req, _res, next) => next(new ApiError(429, 'rate-limited', `more than ${perMinute} requests in a minute; wait for the time in Retry-After, then continue`))),
  });
}
