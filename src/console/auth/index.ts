/**
 * Authentication and authorisation of the staff console and `/api/staff/v1`: the seams every
 * console feature uses.
 *
 * ## Protecting a route
 *
 * Add routes through the console (main.ts, before `createApp`), so they run behind the one
 * `authenticate` middleware (session cookie or `Authorization: Bearer`) and the CSRF check:
 *
 * ```ts
 * staff.addPages((r, { views, audit }) => {
 *   r.get('/reports', requireCapability('reports.read'), async (req, res) => {
 *     const actor = requireActor(req);                      // StaffActor: { kind, id, role, agencies, wards }
 *     const reports = await queries.forStaff(reportVisibility(actor));
 *     views.page(req, res, 'reports/list', { reports }, { title: views.t(req)('console:reports.title') });
 *   });
 *   r.post('/reports/:code/assign', requireCapability('reports.triage'), async (req, res) => {
 *     await changeStatus.execute(code, { to: 'assigned', agency }, requireActor(req));
 *     await audit.record({ actor: requireActor(req), action: 'report.assign', target: { kind: 'report', id: code }, details: { agency } });
 *     res.redirect(303, `/console/reports/${code}`);
 *   });
 * });
 * staff.addApi((r) => r.get('/reports', requireCapability('reports.read'), handler)); // JSON errors for free
 * ```
 *
 * - Guards: {@link requireCapability} (preferred; the matrix is `domain/staff/permissions.ts`),
 *   {@link requireRole}, {@link requireSignedIn}. Each implies "signed in". Anonymous → 401 (pages
 *   redirect to `/console/login?next=…`; htmx gets `HX-Redirect`), wrong role → 403.
 * - The actor: {@link requireActor}(req) behind a guard, {@link actorOf}(req) (null when anonymous),
 *   {@link authOf}(req) for the whole context (`via: 'session' | 'token' | 'api-key'`, the user).
 *   Pass the actor to the use cases; `decideTransition` and `inScope` take it as is.
 * - Scope: an `agency` actor sees only its reports (`reportVisibility` / `maySeeReport` in
 *   `domain/staff/permissions.ts`); the lifecycle checks scope on every transition.
 *
 * ## Forms, htmx and CSRF
 *
 * Every state-changing request made with a session must carry the session's CSRF token, or it gets
 * 403. In a view: `<form method="post">` + `<%~ it.csrfField %>`. htmx requests send it by
 * themselves (the layout sets `hx-headers` with `X-CSRF-Token`); fetch calls send the header with
 * `it.csrf`. Multipart uploads: send the header, or put `?_csrf=<%= it.csrf %>` in the action URL.
 * Bearer-token calls need no token.
 *
 * ## Errors
 *
 * Pages: throw `StaffError`, `LifecycleError` or `AccessError`; the console renders the error page.
 * API: throw those or `ApiError(status, code, message)`; the answer is
 * `{"error": {"code", "message"}}` with 400/401/403/404/409/422. Parse bodies after the guard
 * (`jsonBody()`), so 401/403 come before 400.
 *
 * ## Auditing
 *
 * `audit.record({ actor, action: 'area.verb', target: { kind, id }, details })` for every staff
 * change (see `domain/staff/audit.ts`: details name things; never residents' data or secrets).
 */
export { authenticate } from './authenticate';
export { actorOf, authOf, requireActor, type StaffAuthContext } from './context';
export { CSRF_FIELD, CSRF_HEADER, csrfForSessions, csrfTokenOf, requireCsrf } from './csrf';
export { AccessError, type AccessErrorCode } from './errors';
export { requireCapability, requireRole, requireSignedIn } from './guards';
export { ApiError, sendApiError } from '../api/api-errors';
export { jsonBody } from '../api/staff-api';
export { StaffError } from '../services/staff-errors';
export type { Capability } from '../../domain/staff/permissions';
