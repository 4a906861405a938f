/**
 * Machine access: `POST /api/staff/v1/tokens` and API keys, against real PostgreSQL. Token
 * lifetime, refusals and their order (401 → 403 → 400 → 404 → 409 → 422), revocation at once,
 * secrets stored hashed, CSRF for session-made API calls, audit rows.
 */
import request from 'supertest';
import type { Harness } from '../../support/harness';
import { ADMIN, apiToken, auditRows, consoleHarness, createStaff, signIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
});
afterAll(async () => h.close());

const api = () => request(h.rt.app);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('POST /api/staff/v1/tokens', () => {
  it('returns {token, expiresAt} valid 12 hours for the right email and password, usable as a bearer token', async () => {
    const res = await api().post('/api/staff/v1/tokens').send({ email: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'token']);
    const lifetime = new Date(res.body.expiresAt).getTime() - h.clock.now().getTime();
    expect(lifetime).toBeLessThanOrEqual(12 * 3_600_000);
    expect(lifetime).toBeGreaterThan(11 * 3_600_000);
    expect(res.headers['cache-control']).toBe('no-store');

    const me = await api().get('/api/staff/v1/me').set(bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'token', actor: { kind: 'staff', role: 'admin', agencies: [], wards: [] }, user: { email: ADMIN.email } });
    expect(me.body.capabilities).toContain('users.manage');

    const stored = await h.t.db.query<{ token_hash: string }>('SELECT token_hash FROM staff_tokens');
    expect(JSON.stringify(stored.rows)).not.toContain(res.body.token);
    expect((await auditRows(h, 'token.issue')).length).toBeGreaterThanOrEqual(1);
  });

  it('a token stops working after 12 hours', async () => {
    const token = await apiToken(h, ADMIN.email, ADMIN.password);
    h.clock.advance(12 * 3_600_000 - 1000);
    expect((await api().get('/api/staff/v1/me').set(bearer(token))).status).toBe(200);
    h.clock.advance(2000);
    const res = await api().get('/api/staff/v1/me').set(bearer(token));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('auth.invalid');
  });

  it('refuses a wrong password, an unknown email and a missing field with 401, a malformed body with 400', async () => {
    for (const body of [{ email: ADMIN.email, password: 'wrong wrong wrong' }, { email: 'nobody@hue.gov.vn', password: 'wrong wrong wrong' }, { email: ADMIN.email }, {}]) {
      const res = await api().post('/api/staff/v1/tokens').send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'auth.bad-credentials', message: expect.any(String) } });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    const malformed = await api().post('/api/staff/v1/tokens').set('content-type', 'application/json').send('{"email": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('request.malformed-json');
  });

  it('shares the lock-out with the sign-in page: locked accounts get 401 auth.locked with Retry-After', async () => {
    const user = await createStaff(h, 'operator');
    for (let i = 1; i <= 4; i++) expect((await api().post('/api/staff/v1/tokens').send({ email: user.email, password: `bad ${i}` })).body.error.code).toBe('auth.bad-credentials');
    const fifth = await api().post('/api/staff/v1/tokens').send({ email: user.email, password: 'bad 5' });
    expect(fifth.status).toBe(401);
    expect(fifth.body.error.code).toBe('auth.locked');
    expect(Number(fifth.headers['retry-after'])).toBe(15 * 60);
    const right = await api().post('/api/staff/v1/tokens').send({ email: user.email, password: user.password });
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('auth.locked');
    h.clock.advance(15 * 60_000 + 1000);
    expect((await api().post('/api/staff/v1/tokens').send({ email: user.email, password: user.password })).status).toBe(200);
  });

  it("a deactivated user's tokens stop working at once", async () => {
    const user = await createStaff(h, 'viewer');
    const token = await apiToken(h, user.email, user.password);
    expect((await api().get('/api/staff/v1/me').set(bearer(token))).status).toBe(200);
    const admin = await apiToken(h, ADMIN.email, ADMIN.password);
    const actor = (await api().get('/api/staff/v1/me').set(bearer(admin))).body.actor;
    await h.rt.staff.accounts.setActive(actor, user.id, false, { ip: null });
    expect((await api().get('/api/staff/v1/me').set(bearer(token))).status).toBe(401);
  });

  it('refuses garbage in the Authorization header with 401 on every route', async () => {
    for (const header of ['Bearer nope', 'Basic YWRtaW46YWRtaW4=', `Bearer pat_${'A'.repeat(43)}`, `Bearer pak_1_${'A'.repeat(43)}`, 'Bearer']) {
      const res = await api().get('/api/staff/v1/me').set('authorization', header);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('auth.invalid');
    }
  });
});

describe('API keys', () => {
  let admin: string;
  beforeAll(async () => {
    admin = await apiToken(h, ADMIN.email, ADMIN.password);
  });

  it('an admin creates a named key with a role: 201 {id, key} once; the key works as a bearer token of an integration', async () => {
    const res = await api().post('/api/staff/v1/api-keys').set(bearer(admin)).send({ name: 'Cổng IOC', role: 'operator' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), key: expect.stringMatching(/^pak_\d+_[A-Za-z0-9_-]{43}$/) });

    const me = await api().get('/api/staff/v1/me').set(bearer(res.body.key));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'api-key', actor: { kind: 'integration', id: res.body.id, role: 'operator' }, user: null, apiKey: { id: res.body.id, name: 'Cổng IOC' } });

    const list = await api().get('/api/staff/v1/api-keys').set(bearer(admin));
    expect(list.status).toBe(200);
    const listed = list.body.apiKeys.find((k: { id: string }) => k.id === res.body.id);
    expect(listed).toMatchObject({ name: 'Cổng IOC', role: 'operator', revokedAt: null });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(res.body.key.split('_')[2]);

    const stored = await h.t.db.query<{ secret_hash: string }>('SELECT secret_hash FROM staff_api_keys WHERE id = $1', [res.body.id]);
    expect(stored.rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await auditRows(h))).not.toContain(res.body.key.split('_')[2]);
    expect((await auditRows(h, 'api-key.create')).some((r) => r.target_id === res.body.id && r.details.role === 'operator')).toBe(true);
  });

  it('an agency key carries its agencies and wards to the actor', async () => {
    const res = await api().post('/api/staff/v1/api-keys').set(bearer(admin)).send({ name: 'HEPCO dispatch', role: 'agency', agencies: ['hepco'], wards: ['19774'] });
    expect(res.status).toBe(201);
    const me = await api().get('/api/staff/v1/me').set(bearer(res.body.key));
    expect(me.body.actor).toEqual({ kind: 'integration', id: res.body.id, role: 'agency', agencies: ['hepco'], wards: ['19774'] });
  });

  it('revoking answers 204 and the key is refused (401) on its very next request; revoking again 409, unknown 404', async () => {
    const { body } = await api().post('/api/staff/v1/api-keys').set(bearer(admin)).send({ name: 'short-lived', role: 'viewer' });
    expect((await api().get('/api/staff/v1/me').set(bearer(body.key))).status).toBe(200);
    const del = await api().delete(`/api/staff/v1/api-keys/${body.id}`).set(bearer(admin));
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const after = await api().get('/api/staff/v1/me').set(bearer(body.key));
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('auth.invalid');

    const again = await api().delete(`/api/staff/v1/api-keys/${body.id}`).set(bearer(admin));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('staff.api-key-revoked');
    for (const id of ['999999', 'abc', '0']) {
      const missing = await api().delete(`/api/staff/v1/api-keys/${id}`).set(bearer(admin));
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('staff.api-key-not-found');
    }
    expect((await auditRows(h, 'api-key.revoke')).some((r) => r.target_id === body.id)).toBe(true);
    // A revoked key's name may be used again.
    expect((await api().post('/api/staff/v1/api-keys').set(bearer(admin)).send({ name: 'Short-Lived', role: 'viewer' })).status).toBe(201);
  });

  it('a name in use is 409; bad input is 422 naming the fields', async () => {
    await api().post('/api/staff/v1/api-keys').set(bearer(admin)).send({ name: 'Bản đồ số', role: 'viewer' });
    const taken = await api().post('/api/staff/v1/api-keys').set(bearer(admin)).send({ name: 'bản đồ số', role: 'viewer' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('staff.name-taken');

    const cases: Array<[unknown, string]> = [
      [{ name: 'x', role: 'superuser' }, 'role'],
      [{ role: 'viewer' }, 'name'],
      [{ name: '   ', role: 'viewer' }, 'name'],
      [{ name: 'no scope', role: 'agency' }, 'agencies'],
      [{ name: 'bad agency', role: 'agency', agencies: ['not-an-agency'] }, 'agencies'],
      [{ name: 'bad ward', role: 'agency', wards: ['19 774!'] }, 'wards'],
      [['not', 'an', 'object'], 'body'],
    ];
    for (const [body, fieldName] of cases) {
      const res = await api().post('/api/staff/v1/api-keys').set(bearer(admin)).send(body as object);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('staff.invalid-input');
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(fieldName);
    }
    const malformed = await api().post('/api/staff/v1/api-keys').set(bearer(admin)).set('content-type', 'application/json').send('{"name":');
    expect(malformed.status).toBe(400);
  });

  it('checks in order: 401 without credentials, 403 for other roles (even with a malformed body), 404 unknown routes', async () => {
    const noCreds = await api().post('/api/staff/v1/api-keys').send({ name: 'x', role: 'viewer' });
    expect(noCreds.status).toBe(401);
    expect(noCreds.body.error.code).toBe('auth.required');
    expect((await api().delete('/api/staff/v1/api-keys/1')).status).toBe(401);
    expect((await api().get('/api/staff/v1/no-such-thing')).status).toBe(401);

    const op = await createStaff(h, 'operator');
    const opToken = await apiToken(h, op.email, op.password);
    const malformed = await api().post('/api/staff/v1/api-keys').set(bearer(opToken)).set('content-type', 'application/json').send('{"name":');
    expect(malformed.status).toBe(403);
    expect(malformed.body.error.code).toBe('auth.forbidden');
    expect((await api().delete('/api/staff/v1/api-keys/999999').set(bearer(opToken))).status).toBe(403);
    expect((await api().get('/api/staff/v1/no-such-thing').set(bearer(opToken))).status).toBe(404);
  });

  it('an API call made with a console session needs the CSRF token in X-CSRF-Token; a bearer call does not', async () => {
    const s = await signIn(h, ADMIN.email, ADMIN.password);
    const without = await s.agent.post('/api/staff/v1/api-keys').send({ name: 'from the console', role: 'viewer' });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('csrf.invalid');
    const withToken = await s.agent.post('/api/staff/v1/api-keys').set('X-CSRF-Token', s.csrf).send({ name: 'from the console', role: 'viewer' });
    expect(withToken.status).toBe(201);
    expect((await s.agent.get('/api/staff/v1/me')).body.via).toBe('session');
  });

  it('an admin creates and revokes keys in the console; the key is shown once and the revoke (htmx) swaps the row', async () => {
    const s = await signIn(h, ADMIN.email, ADMIN.password);
    const created = await s.agent.post('/console/api-keys').type('form').send({ _csrf: s.csrf, name: 'Trung tâm 1022', role: 'viewer' });
    expect(created.status).toBe(201);
    const key = /id="new-key" class="secret" type="text" readonly value="([^"]+)"/.exec(created.text)?.[1];
    expect(key).toMatch(/^pak_\d+_/);
    expect((await api().get('/api/staff/v1/me').set(bearer(key!))).status).toBe(200);
    const page = await s.agent.get('/console/api-keys');
    expect(page.text).toContain('Trung tâm 1022');
    expect(page.text).not.toContain(key!);

    const id = key!.split('_')[1];
    const row = await s.agent.post(`/console/api-keys/${id}/revoke`).set('HX-Request', 'true').set('X-CSRF-Token', s.csrf);
    expect(row.status).toBe(200);
    expect(row.text).toMatch(new RegExp(`^<tr id="key-${id}">`));
    expect(row.text).toContain('Đã thu hồi');
    expect((await api().get('/api/staff/v1/me').set(bearer(key!))).status).toBe(401);
  });
});
