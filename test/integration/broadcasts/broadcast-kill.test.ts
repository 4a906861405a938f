/**
 * kill -9 mid-broadcast: the app process dies while a group message it sent is applied by Zalo but
 * not yet answered. After a restart every group has exactly one post (the interrupted one is found
 * by its reference, not repeated) and none is missing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ChangeStatus } from '../../../src/app/change-status';
import { RecordPhoto } from '../../../src/app/record-photo';
import type { Actor } from '../../../src/domain/staff/actor';
import { PhotoRedaction } from '../../../src/app/photo-redaction';
import { FsImageStore, PhotoPipeline, SharpRedactionRenderer } from '../../../src/media';
import { PgPhotoRedactionsRepo } from '../../../src/storage/photo-redactions-repo';
import { loadCityProfile } from '../../../src/storage/content-loader';
import { PgMediaRepo } from '../../../src/storage/media-repo';
import { PgReportsRepo } from '../../../src/storage/reports-repo';
import { PgResidentsRepo } from '../../../src/storage/residents-repo';
import { FakeZaloApi } from '../../../dev/fakes/fake-zalo-api';
import { killHard, startChildApp, until, type ChildApp } from '../../support/child-app';
import { createTestDb, type TestDb } from '../../support/db';
import { TEST_ZALO } from '../../support/harness';

const GROUPS = ['g1', 'g2', 'g3', 'g4', 'g5'];
const ADMIN = { ADMIN_EMAIL: 'admin@hue.gov.vn', ADMIN_PASSWORD: 'một câu thật dài để đăng nhập' };
const OPERATOR: Actor = { kind: 'staff', id: '1', role: 'operator', agencies: [], wards: [] };

describe('kill -9 in the middle of a broadcast', () => {
  let t: TestDb;
  let dataDir: string;
  let zalo: FakeZaloApi;
  const children: ChildApp[] = [];

  beforeAll(async () => {
    t = await createTestDb();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-bkill-'));
    zalo = new FakeZaloApi({ appId: TEST_ZALO.appId, appSecret: TEST_ZALO.appSecret, refreshToken: TEST_ZALO.refreshToken, hangMs: 20_000 });
    await zalo.start();
    for (const g of GROUPS) zalo.addGroup({ groupId: g, name: `Nhóm ${g}` });
  });
  afterAll(async () => {
    for (const c of children) await killHard(c);
    await zalo.stop();
    await t.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const c = await startChildApp({ databaseUrl: t.url, dataDir, zaloUrl: zalo.url, env: { ...ADMIN, LOG_LEVEL: 'error' } });
    children.push(c);
    return c;
  };

  it('every group gets exactly one post after a restart', async () => {
    let app = await start();
    // A resolved report with photos, made directly in the database the app uses.
    const reports = new PgReportsRepo(t.db);
    const resident = await new PgResidentsRepo(t.db).touch('zalo', '7400000000000000001', new Date());
    // Photos get their public copy at once here (a detector that finds no face), as the app's job would.
    const store = new FsImageStore(path.join(dataDir, 'media'));
    const redaction = new PhotoRedaction({
      repo: new PgPhotoRedactionsRepo({ db: t.db, clock: { now: () => new Date() } }),
      detector: { version: 'none', detect: async (jpeg) => ({ faces: [], size: (({ width, height }) => ({ width: width!, height: height! }))(await sharp(jpeg).metadata()) }) },
      renderer: new SharpRedactionRenderer({ store }),
      images: store,
      jobs: { send: async () => null },
    });
    const record = new RecordPhoto({ download: async () => Buffer.alloc(0), processor: new PhotoPipeline({ store }), media: new PgMediaRepo(t.db), bounded: async () => ({ results: [], skipped: 0 }), redaction });
    const jpeg = (c: string) => sharp({ create: { width: 1200, height: 900, channels: 3, background: c } }).jpeg().toBuffer();
    const before = await record.fromBytes(await jpeg('#a33'));
    const after = await record.fromBytes(await jpeg('#3a3'));
    for (const p of [before, after]) expect(await redaction.detect(p.key)).toBe('done');
    const report = await reports.submit({
      residentId: resident.id, channel: 'zalo', category: 'waste', description: 'Rác ùn ứ đầu kiệt', locale: 'vi',
      place: { lat: 16.46, lng: 107.59, address: 'Lê Lợi, phường Vỹ Dạ', source: 'platform' }, photos: [before], ward: null, createdAt: new Date(Date.now() - 3 * 86_400_000), dueAt: new Date(),
    });
    const change = new ChangeStatus({ reports, jobs: { send: async () => null }, city: loadCityProfile('hue'), clock: { now: () => new Date() }, reopenDays: 14 });
    await change.execute(report.code, { to: 'assigned', agency: 'hepco' }, OPERATOR);
    await change.execute(report.code, { to: 'in_progress' }, OPERATOR);
    await change.execute(report.code, { to: 'resolved', note: 'Đã thu gom.', photoIds: [after.key] }, OPERATOR);

    const token = ((await (await fetch(`${app.url}/api/staff/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD }) })).json()) as { token: string }).token;
    const api = async (url: string, body?: object) => {
      const res = await fetch(`${app.url}/api/staff/v1${url}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const targets = (await api('/broadcast-targets/sync', {})).body as unknown as Array<{ id: string }>;
    expect(targets).toHaveLength(GROUPS.length);
    const composed = await api('/broadcasts', { reports: [report.code], targets: targets.map((x) => x.id) });
    expect(composed.status).toBe(201);

    // The first group message is applied by Zalo, its answer held; the process dies meanwhile.
    zalo.failNext('lost-answer', 1);
    await api(`/broadcasts/${composed.body.id}/approve`, {});
    await until('the first group message to be applied', async () => (zalo.groupMessages().length >= 1 ? true : undefined), 30_000, app);
    await killHard(app);

    const restarted = Date.now();
    app = await start();
    const settled = await until(
      'every delivery to settle',
      async () => {
        const r = await t.db.query<{ state: string }>('SELECT state FROM broadcast_deliveries WHERE broadcast_id = $1', [composed.body.id]);
        return r.rows.every((x) => x.state === 'sent') ? Date.now() - restarted : undefined;
      },
      120_000,
      app,
    );
    for (const g of GROUPS) expect(zalo.groupMessages(g)).toHaveLength(1);
    // Reported, not asserted on a clock: the issue asks for at most 60 s.
    process.stdout.write(`broadcast-kill: settled ${Math.round(settled / 1000)} s after the restart\n`);
  }, 240_000);
});
