/**
 * The report API's rate limit (STAFF_API_RATE_PER_MINUTE) against the real app: counted per user
 * or API key across the API and the console's export, 429 with Retry-After beyond it, other users
 * unaffected, anonymous requests answered 401 without being counted.
 */
import request from 'supertest';
import type { Harness } from '../../support/harness';
import { apiToken, consoleHarness, createStaff, signIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000', STAFF_API_RATE_PER_MINUTE: '5' } });
});
afterAll(async () => h.close());

it('the sixth request of a user within a minute gets 429 with Retry-After; another user still gets answers; the console export shares the count', async () => {
  const a = await createStaff(h, 'operator');
  const b = await createStaff(h, 'viewer');
  const tokenA = await apiToken(h, a.email, a.password);
  const tokenB = await apiToken(h, b.email, b.password);
  const get = (token: string, path: string) => request(h.rt.app).get(path).set('authorization', `Bearer ${token}`);

  for (let i = 0; i < 10; i++) expect((await request(h.rt.app).get('/api/staff/v1/reports')).status).toBe(401);
  const paths = ['/api/staff/v1/reports', '/api/staff/v1/agencies', '/api/staff/v1/reports?status=received', '/api/staff/v1/reports.csv', '/api/staff/v1/reports/PA-ZZZZZZZ'];
  const statuses = [];
  for (const p of paths) statuses.push((await get(tokenA, p)).status);
  expect(statuses).toEqual([200, 200, 200, 200, 404]);
  const limited = await get(tokenA, '/api/staff/v1/reports');
  expect(limited.status).toBe(429);
  expect(limited.body.error.code).toBe('rate-limited');
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect((await request(h.rt.app).post('/api/staff/v1/reports/PA-ZZZZZZZ/transitions').set('authorization', `Bearer ${tokenA}`).send({ to: 'rejected', note: 'x' })).status).toBe(429);
  expect((await get(tokenB, '/api/staff/v1/reports')).status).toBe(200);

  // The same person through the console: the export counts with their API calls.
  const session = await signIn(h, b.email, b.password);
  for (let i = 0; i < 4; i++) expect((await session.agent.get('/console/reports.csv')).status).toBe(200);
  const page = await session.agent.get('/console/reports.csv');
  expect(page.status).toBe(429);
  expect(page.text).toContain('Bạn thao tác quá nhanh. Hãy chờ một phút rồi thử lại.');
});
