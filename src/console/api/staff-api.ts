/**
 * `/api/staff/v1`: machine access for the IOC's systems (and htmx calls from the console).
 *
 * - `POST /tokens` `{"email","password"}` → 200 `{"token","expiresAt"}` (a bearer token valid
 *   STAFF_TOKEN_HOURS, at most 12 h). Wrong email or password → 401 `auth.bad-credentials`; a
 *   locked account (after LOGIN_MAX_FAILURES failures, also what an unknown email gets) → 401
 *   `auth.locked` with `Retry-After`; too many failures from one address → 429 `auth.rate-limited`.
 *   Shares the sign-in page's lock-out and address limit.
 * - `GET /me` → who the credentials are: `{actor, via, user, capabilities}`.
 * - `GET /api-keys` (admin) → the keys without secrets.
 * - `POST /api-keys` (admin) `{"name","role","agencies"?,"wards"?}` → 201 `{"id","key"}` (the
 *   only time the key is shown). Name in use → 409; bad input → 422.
 * - `DELETE /api-keys/:id` (admin) → 204; unknown → 404; already revoked → 409. A revoked key gets
 *   401 on its next request.
 *
 * Every route but `/tokens` takes `Authorization: Bearer <token or key>`, or the console session
 * with its CSRF token in `X-CSRF-Token`. Bodies are parsed after the role check, so the answer to a
 * request is the first of 401, 403, 400, 404, 409, 422 that applies.
 */
import express, { type RequestHandler, type Router } from 'express';
import { capabilitiesOf } from '../../domain/staff/permissions';
import { authOf, requireActor } from '../auth/context';
import { requireCapability, requireSignedIn } from '../auth/guards';
import type { StaffAccess } from '../services/staff-access';
import type { StaffAccounts } from '../services/staff-accounts';
import { originOf } from '../pages/forms';
import { ApiError, sendApiError } from './api-errors';

/** JSON bodies of the staff API (after the guards, so 401/403 come before 400). */
export const jsonBody = (): RequestHandler => express.json({ limit: '64kb', strict: true });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface StaffApiDeps {
  readonly access: StaffAccess;
  readonly accounts: StaffAccounts;
  readonly addressLimit: RequestHandler;
}

/** `POST /tokens`: before authentication (the credentials are in the body). */
export function tokensRoute(r: Router, d: StaffApiDeps): void {
  r.post('/tokens', d.addressLimit, jsonBody(), async (req, res) => {
    const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
    const outcome = await d.access.issueToken(body.email, body.password, originOf(req).ip);
    switch (outcome.kind) {
      case 'issued':
        return res.status(200).json({ token: outcome.token, expiresAt: outcome.expiresAt.toISOString() });
      case 'refused':
        res.setHeader('www-authenticate', 'Bearer');
        return sendApiError(res, 401, 'auth.bad-credentials', 'wrong email or password');
      case 'locked':
        res.setHeader('retry-after', String(d.access.secondsUntil(outcome.until)));
        return sendApiError(res, 401, 'auth.locked', `too many failed sign-ins for this account; try again in ${d.access.lockMinutes} minutes or ask an admin to unlock it`);
    }
  });
}

/** The authenticated routes. */
export function staffApiRoutes(r: Router, d: StaffApiDeps): void {
  r.get('/me', requireSignedIn, (req, res) => {
    const auth = authOf(req)!;
    res.json({
      actor: auth.actor,
      via: auth.via,
      user: auth.user ? { id: auth.user.id, email: auth.user.email, displayName: auth.user.displayName } : null,
      apiKey: auth.apiKey ? { id: auth.apiKey.id, name: auth.apiKey.name } : null,
      capabilities: capabilitiesOf(auth.actor.role),
    });
  });

  const keys = requireCapability('api-keys.manage');

  r.get('/api-keys', keys, async (req, res) => {
    const list = await d.accounts.listApiKeys(requireActor(req));
    res.json({
      apiKeys: list.map((k) => ({
        id: k.id,
        name: k.name,
        role: k.role,
        agencies: k.agencies,
        wards: k.wards,
        createdAt: k.createdAt.toISOString(),
        lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
        revokedAt: k.revokedAt?.toISOString() ?? null,
      })),
    });
  });

  r.post('/api-keys', keys, jsonBody(), async (req, res) => {
    if (!isObject(req.body)) throw new ApiError(422, 'staff.invalid-input', 'the body must be a JSON object {"name","role"}', [{ field: 'body', code: 'body.not-an-object' }]);
    const b = req.body;
    const list = (v: unknown): unknown[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
    const { record, key } = await d.accounts.createApiKey(requireActor(req), { name: b.name, role: b.role, agencies: list(b.agencies), wards: list(b.wards) }, originOf(req));
    res.status(201).json({ id: record.id, key });
  });

  r.delete('/api-keys/:id', keys, async (req, res) => {
    await d.accounts.revokeApiKey(requireActor(req), String(req.params.id), originOf(req));
    res.status(204).end();
  });
}

/** Unknown API routes: 401 to anonymous callers (routes are not advertised), else 404. */
export const apiNotFound: RequestHandler = (req, res) => {
  if (!authOf(req)) {
    res.setHeader('www-authenticate', 'Bearer');
    return sendApiError(res, 401, 'auth.required', 'sign in, or send Authorization: Bearer <token>');
  }
  return sendApiError(res, 404, 'not-found', 'no such resource');
};
