/**
 * Signing in and out of the console against real PostgreSQL: session cookie flags and rotation,
 * sign-out, CSRF refusals, the lock-out and the per-address limit, security headers, language.
 */
import request from 'supertest';
import type { Harness } from '../../support/harness';
import { ADMIN, attemptSignIn, auditRows, consoleHarness, createStaff, csrfIn, sessionCookie, signIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
});
afterAll(async () => h.close());

describe('signing in and out', () => {
  it('signs in with the right password, starts a new session (new id), and lands on the home page', async () => {
    const agent = request.agent(h.rt.app);
    const page = await agent.get('/console/login');
    expect(page.status).toBe(200);
    const before = sessionCookie(page)!;
    expect(before).toBeDefined();

    const res = await agent.post('/console/login').type('form').send({ _csrf: csrfIn(page.text), email: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console');
    const after = sessionCookie(res)!;
    expect(after.split(';')[0]).not.toBe(before.split(';')[0]); // rotated: no session fixation

    const home = await agent.get('/console');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Admin');
    expect(home.text).toContain('/console/users');
  });

  it('sets the session cookie httpOnly, SameSite=Lax, and not Secure over plain http', async () => {
    const page = await request(h.rt.app).get('/console/login');
    const cookie = sessionCookie(page)!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/);
    expect(cookie).toMatch(/; Path=\//);
  });

  it('the old session id is useless after signing in, and after signing out the session is gone', async () => {
    const agent = request.agent(h.rt.app);
    const page = await agent.get('/console/login');
    const preLogin = sessionCookie(page)!.split(';')[0]!;
    const login = await agent.post('/console/login').type('form').send({ _csrf: csrfIn(page.text), email: ADMIN.email, password: ADMIN.password });
    const signedIn = sessionCookie(login)!.split(';')[0]!;
    // The pre-sign-in cookie does not carry the signed-in user.
    const withOld = await request(h.rt.app).get('/console').set('cookie', preLogin);
    expect(withOld.status).toBe(303);
    expect(withOld.headers.location).toMatch(/^\/console\/login/);

    const home = await agent.get('/console');
    expect((await request(h.rt.app).get('/console').set('cookie', signedIn)).status).toBe(200);
    const bye = await agent.post('/console/logout').type('form').send({ _csrf: csrfIn(home.text) });
    expect(bye.status).toBe(303);
    expect(bye.headers.location).toBe('/console/login?bye=1');
    expect((await agent.get('/console')).status).toBe(303);
    // The signed-in session was destroyed in the store, not only forgotten by this browser.
    expect((await request(h.rt.app).get('/console').set('cookie', signedIn)).status).toBe(303);
    const rows = await auditRows(h, 'session.logout');
    expect(rows.length).toBeGreaterThanOrEqual(1);
  });

  it('answers a wrong password and an unknown email with the same words, and audits both without the password', async () => {
    const wrong = await attemptSignIn(h, ADMIN.email, 'not the password at all');
    const unknown = await attemptSignIn(h, 'nobody-here@hue.gov.vn', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (html: string) => /<p class="notice notice-error" role="alert" id="login-error">([^<]+)<\/p>/.exec(html)?.[1];
    expect(message(wrong.text)).toBe('Email hoặc mật khẩu không đúng.');
    expect(message(unknown.text)).toBe(message(wrong.text));
    const failures = await auditRows(h, 'login.failure');
    expect(failures.map((r) => r.details.reason)).toEqual(expect.arrayContaining(['wrong-password', 'unknown-account']));
    const all = JSON.stringify(await auditRows(h));
    expect(all).not.toContain('not the password at all');
    expect(all).not.toContain(ADMIN.password);
  });

  it('sends anonymous visitors of a console page to the sign-in page, and back after signing in', async () => {
    const agent = request.agent(h.rt.app);
    const res = await agent.get('/console/users');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/login?next=%2Fconsole%2Fusers');
    const page = await agent.get(String(res.headers.location));
    expect(page.text).toContain('name="next" value="/console/users"');
    const signedIn = await agent.post('/console/login').type('form').send({ _csrf: csrfIn(page.text), email: ADMIN.email, password: ADMIN.password, next: '/console/users' });
    expect(signedIn.headers.location).toBe('/console/users');
  });

  it('never redirects outside the console after signing in', async () => {
    for (const next of ['https://evil.example/', '//evil.example/console', '/console/../x\\y', '/elsewhere']) {
      const agent = request.agent(h.rt.app);
      const page = await agent.get('/console/login');
      const res = await agent.post('/console/login').type('form').send({ _csrf: csrfIn(page.text), email: ADMIN.email, password: ADMIN.password, next });
      expect(res.headers.location).toBe('/console');
    }
  });

  it('htmx requests of an anonymous visitor get 401 with HX-Redirect to the sign-in page', async () => {
    const res = await request(h.rt.app).get('/console/users').set('HX-Request', 'true');
    expect(res.status).toBe(401);
    expect(res.headers['hx-redirect']).toBe('/console/login?next=%2Fconsole%2Fusers');
  });
});

describe('secure cookies behind https', () => {
  let hs: Harness & { clock: TestClock };
  beforeAll(async () => {
    hs = await consoleHarness({ env: { PUBLIC_URL: 'https://phananh.hue.gov.vn' } });
  });
  afterAll(async () => hs.close());

  it('marks the cookie Secure and sends HSTS when PUBLIC_URL is https (TLS ended at the proxy)', async () => {
    const page = await request(hs.rt.app).get('/console/login').set('X-Forwarded-Proto', 'https');
    expect(sessionCookie(page)).toMatch(/; Secure/);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    // The test client keeps Secure cookies to itself over http, so the cookie is carried by hand.
    const https = { 'X-Forwarded-Proto': 'https' };
    const res = await request(hs.rt.app).post('/console/login').set(https).set('cookie', sessionCookie(page)!.split(';')[0]!).type('form').send({ _csrf: csrfIn(page.text), email: ADMIN.email, password: ADMIN.password });
    expect(res.status).toBe(303);
    const signedIn = sessionCookie(res)!;
    expect(signedIn).toMatch(/; Secure/);
    expect((await request(hs.rt.app).get('/console').set(https).set('cookie', signedIn.split(';')[0]!)).status).toBe(200);
  });
});

describe('CSRF', () => {
  it('refuses the sign-in form without a token or with a wrong one (403), and signs nobody in', async () => {
    const agent = request.agent(h.rt.app);
    await agent.get('/console/login');
    const none = await agent.post('/console/login').type('form').send({ email: ADMIN.email, password: ADMIN.password });
    expect(none.status).toBe(403);
    expect(none.text).toContain('Biểu mẫu đã hết hạn');
    const wrong = await agent.post('/console/login').type('form').send({ _csrf: 'x'.repeat(43), email: ADMIN.email, password: ADMIN.password });
    expect(wrong.status).toBe(403);
    expect((await agent.get('/console')).status).toBe(303);
  });

  it('refuses a signed-in form post without a token or with a wrong one (403) and changes nothing; accepts the form field and the htmx header', async () => {
    const s = await signIn(h, ADMIN.email, ADMIN.password);
    const form = { email: 'csrf-victim@hue.gov.vn', displayName: 'Không được tạo', role: 'viewer' };
    const none = await s.agent.post('/console/users').type('form').send(form);
    expect(none.status).toBe(403);
    const wrong = await s.agent.post('/console/users').type('form').send({ ...form, _csrf: `${s.csrf.startsWith('A') ? 'B' : 'A'}${s.csrf.slice(1)}` });
    expect(wrong.status).toBe(403);
    const fromOtherSession = await signIn(h, ADMIN.email, ADMIN.password);
    expect((await s.agent.post('/console/users').type('form').send({ ...form, _csrf: fromOtherSession.csrf })).status).toBe(403);
    const count = async () => (await h.t.db.query("SELECT 1 FROM staff_users WHERE email = 'csrf-victim@hue.gov.vn'")).rows.length;
    expect(await count()).toBe(0);

    const ok = await s.agent.post('/console/users').type('form').set('X-CSRF-Token', s.csrf).send(form);
    expect(ok.status).toBe(201);
    expect(await count()).toBe(1);
  });

  it('refuses a session-made logout without the token', async () => {
    const s = await signIn(h, ADMIN.email, ADMIN.password);
    expect((await s.agent.post('/console/logout').type('form').send({})).status).toBe(403);
    expect((await s.agent.get('/console')).status).toBe(200);
  });
});

describe('lock-out after repeated failures', () => {
  it('locks an account after 5 failures for 15 minutes, refusing even the right password, says so plainly, then lets it in again', async () => {
    const user = await createStaff(h, 'operator');
    for (let i = 1; i <= 4; i++) expect((await attemptSignIn(h, user.email, `wrong password ${i}`)).text).toContain('Email hoặc mật khẩu không đúng.');
    const fifth = await attemptSignIn(h, user.email, 'wrong password 5');
    expect(fifth.status).toBe(401);
    expect(fifth.text).toContain('tạm khóa 15 phút');

    const right = await attemptSignIn(h, user.email, user.password);
    expect(right.status).toBe(401);
    expect(right.text).toContain('tạm khóa 15 phút');

    const lockouts = await auditRows(h, 'login.lockout');
    expect(lockouts.filter((r) => r.target_id === user.id)).toHaveLength(1);
    expect((await auditRows(h, 'login.locked')).filter((r) => r.target_id === user.id)).toHaveLength(1);

    h.clock.advance(14 * 60_000);
    expect((await attemptSignIn(h, user.email, user.password)).status).toBe(401);
    h.clock.advance(61_000);
    expect((await attemptSignIn(h, user.email, user.password)).status).toBe(303);
  });

  it('treats an unknown email exactly like an account: the same answers at the same count', async () => {
    const email = `ghost-${Date.now()}@hue.gov.vn`;
    const answers: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const res = await attemptSignIn(h, email, `guess ${i}`);
      answers.push(`${res.status} ${/tạm khóa/.test(res.text) ? 'locked' : 'refused'}`);
    }
    expect(answers).toEqual(['401 refused', '401 refused', '401 refused', '401 refused', '401 locked', '401 locked']);
  });

  it('an admin can unlock a locked account before the lock ends', async () => {
    const user = await createStaff(h, 'viewer');
    for (let i = 1; i <= 5; i++) await attemptSignIn(h, user.email, `nope ${i}`);
    expect((await attemptSignIn(h, user.email, user.password)).status).toBe(401);
    const admin = await signIn(h, ADMIN.email, ADMIN.password);
    const page = await admin.agent.get(`/console/users/${user.id}`);
    expect(page.text).toContain('Tạm khóa');
    const res = await admin.agent.post(`/console/users/${user.id}/unlock`).type('form').send({ _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect((await attemptSignIn(h, user.email, user.password)).status).toBe(303);
    expect((await auditRows(h, 'user.unlock')).some((r) => r.target_id === user.id)).toBe(true);
  });
});

describe('per-address limit', () => {
  let hl: Harness & { clock: TestClock };
  beforeAll(async () => {
    hl = await consoleHarness({ env: { LOGIN_IP_LIMIT: '3' } });
  });
  afterAll(async () => hl.close());

  it('after 3 failures from one address, that address gets 429 (page and API) while another address still signs in', async () => {
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (let i = 0; i < 3; i++) expect((await attemptSignIn(hl, `someone${i}@hue.gov.vn`, 'bad guess', from('203.0.113.7'))).status).toBe(401);
    const limited = await attemptSignIn(hl, ADMIN.email, ADMIN.password, from('203.0.113.7'));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.text).toContain('địa chỉ mạng này');
    const api = await request(hl.rt.app).post('/api/staff/v1/tokens').set(from('203.0.113.7')).send({ email: ADMIN.email, password: ADMIN.password });
    expect(api.status).toBe(429);
    expect(api.body.error.code).toBe('auth.rate-limited');

    expect((await attemptSignIn(hl, ADMIN.email, ADMIN.password, from('198.51.100.9'))).status).toBe(303);
  });

  it('counts only failures: many successful sign-ins from one office address are fine', async () => {
    for (let i = 0; i < 5; i++) expect((await attemptSignIn(hl, ADMIN.email, ADMIN.password, { 'X-Forwarded-For': '192.0.2.50' })).status).toBe(303);
  });
});

describe('security headers and language', () => {
  it('sends helmet headers on every console page: CSP with self only, no framing, nosniff, no referrer, no caching', async () => {
    const s = await signIn(h, ADMIN.email, ADMIN.password);
    for (const path of ['/console/login', '/console', '/console/users', '/console/api-keys', '/console/health', '/console/audit', '/console/users/new', '/console/nothing-here']) {
      const res = path === '/console/login' ? await request(h.rt.app).get(path) : await s.agent.get(path);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['strict-transport-security']).toBeUndefined(); // plain http here
    }
  });

  it('serves htmx and the stylesheet from the console itself', async () => {
    const js = await request(h.rt.app).get('/console/static/htmx.min.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toContain('htmx');
    const css = await request(h.rt.app).get('/console/static/console.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/css/);
  });

  it('speaks Vietnamese first and English after ?lang=en, for the rest of the session', async () => {
    const agent = request.agent(h.rt.app);
    const vi = await agent.get('/console/login');
    expect(vi.text).toContain('<html lang="vi">');
    expect(vi.text).toContain('Đăng nhập');
    const en = await agent.get('/console/login?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Sign in');
    expect((await agent.get('/console/login')).text).toContain('Sign in');
    const wrong = await agent.post('/console/login').type('form').send({ _csrf: csrfIn(en.text), email: ADMIN.email, password: 'wrong wrong wrong' });
    expect(wrong.text).toContain('Wrong email or password.');
  });
});
