/**
 * Admins manage people in the console: create a user (a one-time link to set the password), edit
 * role and scope, deactivate (sessions and tokens end at once), reset a password with a new
 * one-time link. The rules that keep an admin in charge, and the audit rows of every change.
 */
import request from 'supertest';
import type { Harness } from '../../support/harness';
import { ADMIN, PASSWORD, adminActor, apiToken, attemptSignIn, auditRows, consoleHarness, createStaff, csrfIn, signIn, type SignedIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
let admin: SignedIn;
beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  admin = await signIn(h, ADMIN.email, ADMIN.password);
});
afterAll(async () => h.close());

const linkIn = (html: string): string => {
  const m = /id="one-time-link" class="secret" type="text" readonly value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no one-time link in the page');
  return m[1]!;
};

/** Opens a one-time link and sets the password through its form. */
async function setPassword(link: string, password: string, confirm = password): Promise<request.Response> {
  const path = new URL(link).pathname;
  const agent = request.agent(h.rt.app);
  const page = await agent.get(path);
  if (page.status !== 200) return page;
  return agent.post(path).type('form').send({ _csrf: csrfIn(page.text), password, confirm });
}

describe('creating a user', () => {
  it('creates an agency user with agencies and wards; the admin sees a one-time link on http://bot.test; the user sets a password and signs in', async () => {
    const res = await admin.agent
      .post('/console/users')
      .type('form')
      .send(`_csrf=${admin.csrf}&email=Nguyen.Van.A%40Hue.gov.vn&displayName=Nguy%E1%BB%85n+V%C4%83n+A&role=agency&agencies=hepco&agencies=chieu-sang&wards=19774%2C+19777`);
    expect(res.status).toBe(201);
    const link = linkIn(res.text);
    expect(link).toMatch(/^http:\/\/bot\.test\/console\/password\/[A-Za-z0-9_-]{43}$/);
    const row = (await h.t.db.query<{ id: string; role: string; agencies: string[]; wards: string[]; password_hash: string | null }>("SELECT id::text AS id, role, agencies, wards, password_hash FROM staff_users WHERE lower(email) = 'nguyen.van.a@hue.gov.vn'")).rows[0]!;
    expect(row).toMatchObject({ role: 'agency', agencies: ['hepco', 'chieu-sang'], wards: ['19774', '19777'], password_hash: null });
    expect(JSON.stringify((await h.t.db.query('SELECT * FROM staff_password_links')).rows)).not.toContain(link.split('/').pop()!);

    const list = await admin.agent.get('/console/users');
    expect(list.text).toContain('Nguyễn Văn A');
    expect(list.text).toContain('Chưa đặt mật khẩu');

    expect((await attemptSignIn(h, 'nguyen.van.a@hue.gov.vn', PASSWORD)).status).toBe(401); // no password yet
    const set = await setPassword(link, PASSWORD);
    expect(set.status).toBe(303);
    expect(set.headers.location).toBe('/console/login');
    const hash = (await h.t.db.query<{ password_hash: string }>('SELECT password_hash FROM staff_users WHERE id = $1', [row.id])).rows[0]!.password_hash;
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain(PASSWORD);

    const signedIn = await signIn(h, 'NGUYEN.VAN.A@hue.gov.vn', PASSWORD);
    const me = await signedIn.agent.get('/api/staff/v1/me');
    expect(me.body.actor).toEqual({ kind: 'staff', id: row.id, role: 'agency', agencies: ['hepco', 'chieu-sang'], wards: ['19774', '19777'] });
    expect((await auditRows(h, 'user.create')).some((r) => r.target_id === row.id && r.actor_kind === 'staff' && r.details.role === 'agency')).toBe(true);
    expect((await auditRows(h, 'user.password-set')).some((r) => r.target_id === row.id)).toBe(true);
  });

  it('a one-time link works once, and not after it expires', async () => {
    const created = await h.rt.staff.accounts.createUser(await adminActor(h), { email: `once-${Date.now()}@hue.gov.vn`, displayName: 'Một lần', role: 'viewer' }, { ip: null });
    expect((await setPassword(created.link.url, PASSWORD)).status).toBe(303);
    const second = await setPassword(created.link.url, 'another long password');
    expect(second.status).toBe(404);
    expect(second.text).toContain('Đường dẫn này không còn dùng được');

    const other = await h.rt.staff.accounts.createUser(await adminActor(h), { email: `late-${Date.now()}@hue.gov.vn`, displayName: 'Trễ hạn', role: 'viewer' }, { ip: null });
    h.clock.advance(24 * 3_600_000 + 1000);
    expect((await setPassword(other.link.url, PASSWORD)).status).toBe(404);
  });

  it('refuses a short password and different confirmation with 422 and keeps the link usable', async () => {
    const created = await h.rt.staff.accounts.createUser(await adminActor(h), { email: `short-${Date.now()}@hue.gov.vn`, displayName: 'Ngắn', role: 'viewer' }, { ip: null });
    const short = await setPassword(created.link.url, 'ngắn quá');
    expect(short.status).toBe(422);
    expect(short.text).toContain('ít nhất 12 ký tự');
    const mismatch = await setPassword(created.link.url, PASSWORD, `${PASSWORD}!`);
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('không khớp');
    expect((await setPassword(created.link.url, PASSWORD)).status).toBe(303);
  });

  it('refuses an email in use whatever its case (409) and invalid input (422) with the reasons', async () => {
    const taken = await admin.agent.post('/console/users').type('form').send({ _csrf: admin.csrf, email: ADMIN.email.toUpperCase(), displayName: 'Trùng', role: 'viewer' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Email này đã có tài khoản.');
    const bad = await admin.agent.post('/console/users').type('form').send({ _csrf: admin.csrf, email: 'not-an-email', displayName: '', role: 'agency' });
    expect(bad.status).toBe(422);
    for (const text of ['Email không hợp lệ.', 'Hãy nhập tên.', 'cần ít nhất một đơn vị']) expect(bad.text).toContain(text);
    expect(bad.text).toContain('value="not-an-email"'); // what was typed stays
  });
});

describe('changing a user', () => {
  it('changes role and scope; a role other than agency drops agencies and wards', async () => {
    const u = await createStaff(h, 'agency', { agencies: ['hepco'] });
    const res = await admin.agent.post(`/console/users/${u.id}`).type('form').send({ _csrf: admin.csrf, displayName: 'Đổi vai trò', role: 'operator', agencies: 'hepco', wards: '19774' });
    expect(res.status).toBe(303);
    const row = (await h.t.db.query('SELECT display_name, role, agencies, wards FROM staff_users WHERE id = $1', [u.id])).rows[0];
    expect(row).toEqual({ display_name: 'Đổi vai trò', role: 'operator', agencies: [], wards: [] });
    const page = await admin.agent.get(`/console/users/${u.id}`);
    expect(page.text).toContain('Đã lưu thay đổi.');
    const audit = (await auditRows(h, 'user.update')).find((r) => r.target_id === u.id)!;
    expect(audit.details.changed).toEqual(['displayName', 'role', 'agencies']);
  });

  it('a role change applies to the next request of a signed-in user', async () => {
    const u = await createStaff(h, 'viewer');
    const s = await signIn(h, u.email, u.password);
    expect((await s.agent.get('/console/users')).status).toBe(403);
    await admin.agent.post(`/console/users/${u.id}`).type('form').send({ _csrf: admin.csrf, displayName: 'Thăng chức', role: 'admin' });
    expect((await s.agent.get('/console/users')).status).toBe(200);
  });

  it('deactivating ends the user\'s sessions and tokens at once; reactivating lets them sign in again', async () => {
    const u = await createStaff(h, 'operator');
    const s = await signIn(h, u.email, u.password);
    const token = await apiToken(h, u.email, u.password);
    const res = await admin.agent.post(`/console/users/${u.id}/deactivate`).type('form').send({ _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect((await s.agent.get('/console')).status).toBe(303);
    expect((await request(h.rt.app).get('/api/staff/v1/me').set('authorization', `Bearer ${token}`)).status).toBe(401);
    expect((await attemptSignIn(h, u.email, u.password)).status).toBe(401);
    const sessions = await h.t.db.query("SELECT 1 FROM staff_sessions WHERE sess ->> 'userId' = $1", [u.id]);
    expect(sessions.rows).toHaveLength(0);

    await admin.agent.post(`/console/users/${u.id}/reactivate`).type('form').send({ _csrf: admin.csrf });
    expect((await attemptSignIn(h, u.email, u.password)).status).toBe(303);
    const actions = (await auditRows(h)).filter((r) => r.target_id === u.id).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.deactivate', 'user.reactivate']));
  });

  it('keeps an admin in charge: nobody deactivates themselves, the last active admin is neither deactivated nor demoted (409)', async () => {
    const self = await adminActor(h);
    const own = await admin.agent.post(`/console/users/${self.id}/deactivate`).type('form').send({ _csrf: admin.csrf });
    expect(own.status).toBe(409);
    expect(own.text).toContain('không thể tự vô hiệu hóa');
    // Other admins may exist from earlier tests: deactivate them through the use case first.
    const others = (await h.t.db.query<{ id: string }>("SELECT id::text AS id FROM staff_users WHERE role = 'admin' AND active AND id <> $1", [self.id])).rows;
    for (const o of others) await h.rt.staff.accounts.setActive(self, o.id, false, { ip: null });
    const demote = await admin.agent.post(`/console/users/${self.id}`).type('form').send({ _csrf: admin.csrf, displayName: 'Admin', role: 'operator' });
    expect(demote.status).toBe(409);
    expect(demote.text).toContain('ít nhất một quản trị viên');
    expect((await h.t.db.query("SELECT role FROM staff_users WHERE id = $1", [self.id])).rows[0]).toEqual({ role: 'admin' });
    await expect(h.rt.staff.accounts.setActive({ ...self, id: '999999' }, self.id, false, { ip: null })).rejects.toMatchObject({ code: 'staff.last-admin' });
  });
});

describe('password reset by an admin', () => {
  it('shows a new one-time link; earlier links stop working; the old password works until the new one is set, then every session ends', async () => {
    const u = await createStaff(h, 'communications');
    const s = await signIn(h, u.email, u.password);
    const first = await admin.agent.post(`/console/users/${u.id}/password-link`).type('form').send({ _csrf: admin.csrf });
    expect(first.status).toBe(200);
    const firstLink = linkIn(first.text);
    const second = await admin.agent.post(`/console/users/${u.id}/password-link`).type('form').send({ _csrf: admin.csrf });
    const secondLink = linkIn(second.text);
    expect(secondLink).not.toBe(firstLink);
    expect((await request(h.rt.app).get(new URL(firstLink).pathname)).status).toBe(404);

    expect((await attemptSignIn(h, u.email, u.password)).status).toBe(303);
    const newPassword = 'một mật khẩu hoàn toàn mới';
    expect((await setPassword(secondLink, newPassword)).status).toBe(303);
    expect((await s.agent.get('/console')).status).toBe(303); // the old session ended
    expect((await attemptSignIn(h, u.email, u.password)).status).toBe(401);
    expect((await attemptSignIn(h, u.email, newPassword)).status).toBe(303);
    const links = (await auditRows(h, 'user.password-link')).filter((r) => r.target_id === u.id);
    expect(links.map((r) => r.details.reason)).toEqual(['create', 'reset', 'reset']);
    expect(JSON.stringify(await auditRows(h))).not.toContain(newPassword);
  });
});

describe('the audit log', () => {
  it('records sign-ins with the actor and address, shows the newest entries to admins, and never holds passwords', async () => {
    await attemptSignIn(h, ADMIN.email, ADMIN.password, { 'X-Forwarded-For': '203.0.113.44' });
    const ok = (await auditRows(h, 'login.success')).pop()!;
    expect(ok).toMatchObject({ actor_kind: 'staff', target_kind: 'staff-user', ip: '203.0.113.44', details: { via: 'console' } });
    const page = await admin.agent.get('/console/audit');
    expect(page.status).toBe(200);
    expect(page.text).toContain('login.success');
    expect(JSON.stringify(await auditRows(h))).not.toContain(ADMIN.password);
  });

  it('one writer for every staff change: record() takes an actor, an area.verb action, a target and details, and drops keys that could hold secrets or residents\' data', async () => {
    const actor = await adminActor(h);
    await h.rt.staff.audit.record({ actor, action: 'report.assign', target: { kind: 'report', id: 'PA-7K3M9Q' }, details: { agency: 'hepco', phone: '0905123456', password: 'x', text: 'tin nhắn của dân' } });
    const row = (await auditRows(h, 'report.assign')).pop()!;
    expect(row).toMatchObject({ actor_kind: 'staff', actor_id: actor.id, target_kind: 'report', target_id: 'PA-7K3M9Q', details: { agency: 'hepco' } });
    expect(Object.keys(row.details)).toEqual(['agency']);
    await expect(h.rt.staff.audit.record({ actor, action: 'Assign Report', target: null })).rejects.toThrow(/area\.verb/);
  });
});
