/**
 * Roles are enforced on the server for every page and API call of the console's foundation: each
 * role is refused (403) what it may not do, through a session, a token and an API key, and allowed
 * what it may. Expectations come from the role list, written out here, not from the code.
 */
import request from 'supertest';
import { STAFF_ROLES, type StaffRole } from '../../../src/domain/staff/actor';
import type { Harness } from '../../support/harness';
import { ADMIN, apiToken, consoleHarness, createStaff, signIn, type SignedIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
const sessions = {} as Record<StaffRole, SignedIn>;
const tokens = {} as Record<StaffRole, string>;
const keys = {} as Record<StaffRole, string>;
let someUserId = '';

beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  const adminToken = await apiToken(h, ADMIN.email, ADMIN.password);
  for (const role of STAFF_ROLES) {
    const u = role === 'admin' ? { email: ADMIN.email, password: ADMIN.password } : await createStaff(h, role);
    sessions[role] = await signIn(h, u.email, u.password);
    tokens[role] = await apiToken(h, u.email, u.password);
    const k = await request(h.rt.app).post('/api/staff/v1/api-keys').set('authorization', `Bearer ${adminToken}`).send({ name: `key of ${role}`, role, ...(role === 'agency' ? { agencies: ['hepco'] } : {}) });
    keys[role] = k.body.key;
  }
  someUserId = (await createStaff(h, 'viewer')).id;
});
afterAll(async () => h.close());

/** Only admins manage users, API keys, the audit log and the health page (issue: "admin … plus users, API keys, city settings"). */
const ADMIN_ONLY: readonly StaffRole[] = ['admin'];
const EVERYONE: readonly StaffRole[] = STAFF_ROLES;

interface PageCase {
  readonly name: string;
  readonly allowed: readonly StaffRole[];
  send(s: SignedIn): request.Test;
}

const PAGES: readonly PageCase[] = [
  { name: 'GET /console (home)', allowed: EVERYONE, send: (s) => s.agent.get('/console') },
  { name: 'GET /console/users', allowed: ADMIN_ONLY, send: (s) => s.agent.get('/console/users') },
  { name: 'GET /console/users/new', allowed: ADMIN_ONLY, send: (s) => s.agent.get('/console/users/new') },
  { name: 'GET /console/users/:id', allowed: ADMIN_ONLY, send: (s) => s.agent.get(`/console/users/${someUserId}`) },
  { name: 'POST /console/users', allowed: ADMIN_ONLY, send: (s) => s.agent.post('/console/users').type('form').send({ _csrf: s.csrf, email: `x-${Math.random()}@hue.gov.vn`, displayName: 'X', role: 'viewer' }) },
  { name: 'POST /console/users/:id', allowed: ADMIN_ONLY, send: (s) => s.agent.post(`/console/users/${someUserId}`).type('form').send({ _csrf: s.csrf, displayName: 'Y', role: 'viewer' }) },
  { name: 'POST /console/users/:id/password-link', allowed: ADMIN_ONLY, send: (s) => s.agent.post(`/console/users/${someUserId}/password-link`).type('form').send({ _csrf: s.csrf }) },
  { name: 'POST /console/users/:id/unlock', allowed: ADMIN_ONLY, send: (s) => s.agent.post(`/console/users/${someUserId}/unlock`).type('form').send({ _csrf: s.csrf }) },
  { name: 'POST /console/users/:id/deactivate', allowed: [], send: (s) => s.agent.post('/console/users/999999/deactivate').type('form').send({ _csrf: s.csrf }) },
  { name: 'GET /console/api-keys', allowed: ADMIN_ONLY, send: (s) => s.agent.get('/console/api-keys') },
  { name: 'POST /console/api-keys', allowed: ADMIN_ONLY, send: (s) => s.agent.post('/console/api-keys').type('form').send({ _csrf: s.csrf, name: `k-${Math.random()}`, role: 'viewer' }) },
  { name: 'POST /console/api-keys/:id/revoke', allowed: [], send: (s) => s.agent.post('/console/api-keys/999999/revoke').type('form').send({ _csrf: s.csrf }) },
  { name: 'GET /console/audit', allowed: ADMIN_ONLY, send: (s) => s.agent.get('/console/audit') },
  { name: 'GET /console/health', allowed: ADMIN_ONLY, send: (s) => s.agent.get('/console/health') },
];

describe.each(PAGES)('$name', (page) => {
  it.each([...STAFF_ROLES])('as %s', async (role) => {
    const res = await page.send(sessions[role]);
    if (page.allowed.includes(role)) {
      expect([200, 201, 303]).toContain(res.status);
    } else if (role === 'admin') {
      expect(res.status).toBe(404); // the admin may, but the target does not exist
    } else {
      expect(res.status).toBe(403);
      expect(res.text).toContain('Vai trò của bạn không được phép');
    }
  });
});

interface ApiCase {
  readonly name: string;
  readonly allowed: readonly StaffRole[];
  send(auth: string): request.Test;
}

const API: readonly ApiCase[] = [
  { name: 'GET /api/staff/v1/me', allowed: EVERYONE, send: (a) => request(h.rt.app).get('/api/staff/v1/me').set('authorization', a) },
  { name: 'GET /api/staff/v1/api-keys', allowed: ADMIN_ONLY, send: (a) => request(h.rt.app).get('/api/staff/v1/api-keys').set('authorization', a) },
  { name: 'POST /api/staff/v1/api-keys', allowed: ADMIN_ONLY, send: (a) => request(h.rt.app).post('/api/staff/v1/api-keys').set('authorization', a).send({ name: `k-${Math.random()}`, role: 'viewer' }) },
  { name: 'DELETE /api/staff/v1/api-keys/:id', allowed: [], send: (a) => request(h.rt.app).delete('/api/staff/v1/api-keys/999999').set('authorization', a) },
];

describe.each(API)('$name', (call) => {
  it.each([...STAFF_ROLES])('as %s, with a token and with an API key', async (role) => {
    for (const credential of [tokens[role], keys[role]]) {
      const res = await call.send(`Bearer ${credential}`);
      if (call.allowed.includes(role)) {
        expect([200, 201, 204]).toContain(res.status);
      } else if (role === 'admin') {
        expect(res.status).toBe(404);
      } else {
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ error: { code: 'auth.forbidden', message: expect.any(String) } });
      }
    }
  });
});

describe('the home page shows each role only what it can do', () => {
  const expected: Record<StaffRole, { shows: string[]; hides: string[] }> = {
    admin: { shows: ['/console/reports', '/console/handovers', '/console/broadcasts', '/console/users', '/console/api-keys', '/console/health'], hides: [] },
    operator: { shows: ['/console/reports', '/console/handovers'], hides: ['/console/broadcasts', '/console/users', '/console/api-keys', '/console/health'] },
    agency: { shows: ['/console/reports'], hides: ['/console/handovers', '/console/broadcasts', '/console/users', '/console/api-keys'] },
    communications: { shows: ['/console/reports', '/console/broadcasts'], hides: ['/console/handovers', '/console/users', '/console/api-keys'] },
    viewer: { shows: ['/console/reports'], hides: ['/console/handovers', '/console/broadcasts', '/console/users', '/console/api-keys'] },
  };
  it.each([...STAFF_ROLES])('%s', async (role) => {
    const html = (await sessions[role].agent.get('/console')).text;
    for (const href of expected[role].shows) expect(html).toContain(`href="${href}"`);
    for (const href of expected[role].hides) expect(html).not.toContain(`href="${href}"`);
  });
});
