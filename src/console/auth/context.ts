/**
 * Who is making a request: set once by `authenticate` (session or bearer), read by guards and
 * handlers through {@link authOf} / {@link actorOf} / {@link requireActor}. Kept in a WeakMap rather
 * than on `req`, so nothing outside this module can forge or overwrite it.
 */
import type { Request } from 'express';
import type { StaffActor } from '../../domain/staff/actor';
import type { ApiKeyRecord, StaffUser } from '../../domain/staff/ports';
import { AccessError } from './errors';

export interface StaffAuthContext {
  /** What the lifecycle and the use cases take: `{ kind: 'staff' | 'integration', id, role, agencies, wards }`. */
  readonly actor: StaffActor;
  /** How the request proved who it is. Only `session` requests need a CSRF token. */
  readonly via: 'session' | 'token' | 'api-key';
  /** The person (sessions and tokens); null for an API key. */
  readonly user: StaffUser | null;
  /** The API key (via `api-key`); null otherwise. */
  readonly apiKey: ApiKeyRecord | null;
}

const contexts = new WeakMap<Request, StaffAuthContext>();

/** Used by `authenticate` only. */
export function setAuth(req: Request, ctx: StaffAuthContext): void {
  contexts.set(req, ctx);
}

/** The request's authentication, or null for an anonymous request. */
export function authOf(req: Request): StaffAuthContext | null {
  return contexts.get(req) ?? null;
}

/** The request's actor, or null for an anonymous request. */
export function actorOf(req: Request): StaffActor | null {
  return contexts.get(req)?.actor ?? null;
}

/** The request's actor; throws 401 `auth.required` when anonymous (behind a guard it never does). */
export function requireActor(req: Request): StaffActor {
  const a = actorOf(req);
  if (!a) throw new AccessError('auth.required');
  return a;
}
