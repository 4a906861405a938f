/**
 * Guards for routes behind `authenticate`. Each one implies "signed in": anonymous → 401
 * `auth.required` (pages redirect to the sign-in page), wrong role → 403 `auth.forbidden`.
 */
import type { RequestHandler } from 'express';
import type { StaffRole } from '../../domain/staff/actor';
import { can, type Capability } from '../../domain/staff/permissions';
import { actorOf } from './context';
import { AccessError } from './errors';

/** Anyone signed in (any role, session, token or API key). */
export const requireSignedIn: RequestHandler = (req, _res, next) => {
  next(actorOf(req) ? undefined : new AccessError('auth.required'));
};

/** One of these roles. Prefer {@link requireCapability}: it says why, and the matrix stays in one place. */
export function requireRole(...roles: readonly StaffRole[]): RequestHandler {
  return (req, _res, next) => {
    const actor = actorOf(req);
    if (!actor) return next(new AccessError('auth.required'));
    return next(roles.includes(actor.role) ? undefined : new AccessError('auth.forbidden'));
  };
}

/** A capability of the permission matrix (`domain/staff/permissions.ts`). */
export function requireCapability(capability: Capability): RequestHandler {
  return (req, _res, next) => {
    const actor = actorOf(req);
    if (!actor) return next(new AccessError('auth.required'));
    return next(can(actor.role, capability) ? undefined : new AccessError('auth.forbidden'));
  };
}
