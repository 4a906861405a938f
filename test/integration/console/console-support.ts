/**
 * Helpers of the console tests: an app with a first admin, a clock the tests move, signed-in
 * agents (cookie jar + the session's CSRF token), staff users of each role, API tokens.
 */
import request from 'supertest';
import type { StaffRole } from '../../../src/domain/staff/actor';
import type { StaffActor } from '../../../src/domain/staff/actor';
import { createHarness, type Harness } from '../../support/harness';

export const ADMIN = { email: 'admin@hue.gov.vn', password: 'một câu thật dài để đăng nhập' } as const;
export const PASSWORD = 'mật khẩu mới đủ dài 2026';

/** A clock the test moves forward (lock-outs, token and link expiry). */
export class TestClock {
  private t = new Date('2026-03-02T08:00:00Z').getTime();
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export async function consoleHarness(o: { env?: Record<string, string>; clock?: TestClock } = {}): Promise<Harness & { clock: TestClock }> {
  const clock = o.clock ?? new TestClock();
  const h = await createHarness({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...o.env }, runtime: { clock } });
  return Object.assign(h, { clock });
}

/** The CSRF token in a console page (the hidden `_csrf` field). */
export function csrfIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in the page');
  return m[1]!;
}

export interface SignedIn {
  readonly agent: ReturnType<typeof request.agent>;
  readonly csrf: string;
}

/** Signs in through the login form; fails the test unless it succeeds. */
export async function signIn(h: Harness, email: string, password: string, headers: Record<string, string> = {}): Promise<SignedIn> {
  const agent = request.agent(h.rt.app);
  const page = await agent.get('/console/login').set(headers);
  const res = await agent.post('/console/login').set(headers).type('form').send({ _csrf: csrfIn(page.text), email, password });
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
  const home = await agent.get('/console').set(headers);
  return { agent, csrf: csrfIn(home.text) };
}

/** Attempts a sign-in through the form and returns the answer. */
export async function attemptSignIn(h: Harness, email: string, password: string, headers: Record<string, string> = {}): Promise<request.Response> {
  const agent = request.agent(h.rt.app);
  const page = await agent.get('/console/login').set(headers);
  return agent.post('/console/login').set(headers).type('form').send({ _csrf: csrfIn(page.text), email, password });
}

/** The first admin as an actor (for calling the account use cases directly). */
export async function adminActor(h: Harness): Promise<StaffActor> {
  const r = await h.t.db.query<{ id: string }>("SELECT id::text AS id FROM staff_users WHERE lower(email) = lower($1)", [ADMIN.email]);
  return { kind: 'staff', id: r.rows[0]!.id, role: 'admin', agencies: [], wards: [] };
}

let seq = 0;

/** Creates a user of a role with a password (through the one-time link) and returns their email. */
export async function createStaff(h: Harness, role: StaffRole, o: { agencies?: string[]; wards?: string[]; email?: string } = {}): Promise<{ id: string; email: string; password: string }> {
  seq += 1;
  const email = o.email ?? `${role}-${seq}-${Date.now()}@hue.gov.vn`;
  const scope = role === 'agency' ? { agencies: o.agencies ?? ['hepco'], wards: o.wards ?? [] } : {};
  const { user, link } = await h.rt.staff.accounts.createUser(await adminActor(h), { email, displayName: `Cán bộ ${role} ${seq}`, role, ...scope }, { ip: null });
  const token = link.url.split('/').pop()!;
  const set = await h.rt.staff.accounts.setPasswordWithLink(token, PASSWORD, PASSWORD, { ip: null });
  if (set.kind !== 'set') throw new Error(`could not set the password of ${email}: ${set.kind}`);
  return { id: user.id, email, password: PASSWORD };
}

/** A bearer token from POST /api/staff/v1/tokens. */
export async function apiToken(h: Harness, email: string, password: string): Promise<string> {
  const res = await request(h.rt.app).post('/api/staff/v1/tokens').send({ email, password });
  if (res.status !== 200) throw new Error(`tokens answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

export async function auditRows(h: Harness, action?: string): Promise<Array<{ action: string; actor_kind: string; actor_id: string | null; target_kind: string | null; target_id: string | null; details: Record<string, unknown>; ip: string | null }>> {
  const r = await h.t.db.query<{ action: string; actor_kind: string; actor_id: string | null; target_kind: string | null; target_id: string | null; details: Record<string, unknown>; ip: string | null }>(
    'SELECT action, actor_kind, actor_id, target_kind, target_id, details, ip FROM audit_log WHERE ($1::text IS NULL OR action = $1) ORDER BY id',
    [action ?? null],
  );
  return r.rows;
}

/** `Set-Cookie` of the session cookie in a response, or undefined. */
export function sessionCookie(res: request.Response): string | undefined {
  const raw = res.headers['set-cookie'] as unknown;
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return list.find((c) => c.startsWith('phananh.sid='));
}
