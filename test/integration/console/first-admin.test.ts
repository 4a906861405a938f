/**
 * The first admin at start-up: from ADMIN_EMAIL/ADMIN_PASSWORD when no admin exists (never
 * overwriting one), and in simulator mode without them a development admin whose credentials are
 * exposed for stdout and the simulator page.
 */
import { parseConfig } from '../../../src/config';
import { developmentAdminCredentials, DEV_ADMIN_EMAIL } from '../../../src/console';
import { createLogger, silentLogger } from '../../../src/logger';
import { createApplication } from '../../../src/main';
import { createHarness, type Harness } from '../../support/harness';
import { attemptSignIn, auditRows } from './console-support';

/** A second start of the app on the same database (a restart), with other settings. */
async function restart(h: Harness, env: Record<string, string>, logger = silentLogger) {
  const config = parseConfig({ DATA_DIR: h.dataDir, PUBLIC_URL: 'http://bot.test', LOG_LEVEL: 'silent', ...env });
  const app = createApplication({ config: { ...config, messenger: h.config.messenger, zalo: h.config.zalo, geocoder: h.config.geocoder }, db: h.t.db, logger });
  await app.start();
  return app;
}

describe('ADMIN_EMAIL and ADMIN_PASSWORD', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ env: { ADMIN_EMAIL: 'Chief@Hue.gov.vn', ADMIN_PASSWORD: 'the first admin passphrase' } });
  });
  afterAll(async () => h.close());

  it('creates one active admin at start-up, who signs in with that password', async () => {
    const rows = (await h.t.db.query<{ email: string; role: string; active: boolean; password_hash: string }>('SELECT email, role, active, password_hash FROM staff_users')).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'Chief@Hue.gov.vn', role: 'admin', active: true });
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    expect((await attemptSignIn(h, 'chief@hue.gov.vn', 'the first admin passphrase')).status).toBe(303);
    expect((await auditRows(h, 'user.create'))[0]).toMatchObject({ actor_kind: 'system', actor_id: 'start-up', details: { role: 'admin', source: 'ADMIN_EMAIL' } });
    expect(h.rt.staff.devAdmin()).toBeNull();
  });

  it('does nothing when an admin exists: another ADMIN_EMAIL or password at the next start changes nothing', async () => {
    const app = await restart(h, { ADMIN_EMAIL: 'someone.else@hue.gov.vn', ADMIN_PASSWORD: 'another long passphrase' });
    await app.stop();
    const app2 = await restart(h, { ADMIN_EMAIL: 'chief@hue.gov.vn', ADMIN_PASSWORD: 'a changed long passphrase' });
    await app2.stop();
    const rows = (await h.t.db.query('SELECT email FROM staff_users')).rows;
    expect(rows).toEqual([{ email: 'Chief@Hue.gov.vn' }]);
    expect((await attemptSignIn(h, 'chief@hue.gov.vn', 'the first admin passphrase')).status).toBe(303);
    expect((await attemptSignIn(h, 'chief@hue.gov.vn', 'a changed long passphrase')).status).toBe(401);
  });
});

describe('simulator mode without ADMIN_EMAIL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ env: { SIMULATOR: 'on' } });
  });
  afterAll(async () => h.close());

  it('creates a development admin, exposes its credentials once for stdout and the simulator page, and they work', async () => {
    expect(h.config.simulator).toBe(true);
    const dev = h.rt.staff.devAdmin();
    expect(dev).toEqual({ email: DEV_ADMIN_EMAIL, password: expect.stringMatching(/^[A-Za-z0-9_-]{20}$/) });
    expect(developmentAdminCredentials()).toEqual(dev);
    expect((await attemptSignIn(h, dev!.email, dev!.password)).status).toBe(303);
    const row = (await h.t.db.query('SELECT role, dev_account FROM staff_users WHERE email = $1', [DEV_ADMIN_EMAIL])).rows[0];
    expect(row).toEqual({ role: 'admin', dev_account: true });
  });

  it('logs the credentials once at warn', async () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (s: string) => void lines.push(s) });
    const app = await restart(h, { SIMULATOR: 'on' }, logger);
    await app.stop();
    const dev = app.staff.devAdmin()!;
    const warn = lines.map((l) => JSON.parse(l) as { level: number; email?: string; password?: string; msg: string }).filter((l) => l.email === DEV_ADMIN_EMAIL);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatchObject({ level: 40, email: DEV_ADMIN_EMAIL, password: dev.password });
  });

  it('gives the development admin a new password at every start (the old one stops working)', async () => {
    const before = developmentAdminCredentials()!;
    const app = await restart(h, { SIMULATOR: 'on' });
    await app.stop();
    const after = app.staff.devAdmin()!;
    expect(after.password).not.toBe(before.password);
    expect((await attemptSignIn(h, DEV_ADMIN_EMAIL, before.password)).status).toBe(401);
    expect((await attemptSignIn(h, DEV_ADMIN_EMAIL, after.password)).status).toBe(303);
    expect((await h.t.db.query('SELECT 1 FROM staff_users')).rows).toHaveLength(1);
  });

  it('outside simulator mode, no development admin is made', async () => {
    const other = await createHarness();
    try {
      expect(other.config.simulator).toBe(false);
      expect(other.rt.staff.devAdmin()).toBeNull();
      expect((await other.t.db.query('SELECT 1 FROM staff_users')).rows).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});
