/**
 * Losing the database: a backend terminated while a turn holds its connection (pg_terminate_backend)
 * fails that turn, which is retried and completes; the process stays up; /readyz reports an outage
 * while PostgreSQL is unreachable and recovers with it; webhooks refused meanwhile lose nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import request from 'supertest';
import { createApplication, type Application } from '../../../src/main';
import { parseConfig } from '../../../src/config';
import { createDb, type Db } from '../../../src/storage/db';
import { createHarness, transcript, type Harness, TEST_MESSENGER } from '../../support/harness';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';
import { FakeGraphApi } from '../../../dev/fakes/fake-graph-api';
import { createMessengerWebhooks } from '../../../dev/fakes/messenger-webhooks';
import { silentLogger } from '../../../src/logger';

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a backend terminated in the middle of a turn', () => {
  let h: Harness;
  let photoServer: http.Server;
  let photoUrl: string;
  let served = 0;
  beforeAll(async () => {
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#aa3311' } }).jpeg().toBuffer();
    photoServer = http.createServer((_req, res) => {
      served++;
      // The first download is slow, so the turn is mid-way (transaction open) when its backend dies.
      setTimeout(() => res.end(jpeg), served === 1 ? 1500 : 0);
    });
    await new Promise<void>((r) => photoServer.listen(0, '127.0.0.1', r));
    photoUrl = `http://127.0.0.1:${(photoServer.address() as AddressInfo).port}/p.jpg`;
    h = await createHarness({ env: { MEDIA_FETCH_ALLOW: new URL(photoUrl).host }, runtime: { retryBackoffMs: [200, 200, 200], pollMs: 100 } });
  });
  afterAll(async () => {
    await h.close();
    await new Promise((r) => photoServer.close(r));
  });

  it('fails that turn, retries it, and the process stays up', async () => {
    const psid = 'cl-terminate';
    await h.postMessenger(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await h.postMessenger(h.webhooks.text({ psid, text: 'Cây đổ chắn ngang đường Hùng Vương' }));
    await h.idle();
    const before = transcript(h.graph, psid).length;
    await h.postMessenger(h.webhooks.image({ psid, urls: [photoUrl] }));
    // The turn's transaction is open while the photo downloads: terminate its backend.
    const pid = await waitFor(async () => {
      const r = await h.t.db.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()",
      );
      return r.rows[0]?.pid;
    });
    await h.t.db.query('SELECT pg_terminate_backend($1)', [pid]);
    // The turn is retried on a new connection and answers once (photo saved, asks for the location).
    await waitFor(async () => {
      const r = await h.t.db.query<{ status: string }>("SELECT status FROM inbound_events WHERE conversation_key = $1 AND kind = 'message' ORDER BY id DESC LIMIT 1", [`messenger:${psid}`]);
      return r.rows[0]?.status === 'done';
    });
    await h.graph.waitForMessages(psid, before + 1, 5000);
    const after = transcript(h.graph, psid).slice(before).map((m) => m.text);
    expect(after.join('\n')).toMatch(/ảnh/);
    const photos = await h.t.db.query<{ n: number }>("SELECT jsonb_array_length(data->'photos') AS n FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1", [psid]);
    expect(photos.rows[0]!.n).toBe(1);
    expect((await request(h.rt.app).get('/readyz')).status).toBe(200);
  });
});

describe('PostgreSQL unreachable', () => {
  let proxy: TcpProxy;
  let db: Db;
  let app: Application;
  let graph: FakeGraphApi;
  const webhooks = createMessengerWebhooks({ appSecret: TEST_MESSENGER.appSecret, pageId: TEST_MESSENGER.pageId });
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness(); // only for its migrated database
    const url = new URL(h.t.url);
    proxy = await startTcpProxy(url.hostname === 'localhost' || url.hostname === '' ? '127.0.0.1' : url.hostname, Number(url.port || 5432));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    url.searchParams.delete('host');
    db = createDb(url.toString(), 5);
    graph = new FakeGraphApi({ accessToken: TEST_MESSENGER.accessToken, appSecret: TEST_MESSENGER.appSecret, pageId: TEST_MESSENGER.pageId, appId: TEST_MESSENGER.appId });
    await graph.start();
    const config = parseConfig({
      MESSENGER_ACCESS_TOKEN: TEST_MESSENGER.accessToken,
      MESSENGER_APP_SECRET: TEST_MESSENGER.appSecret,
      MESSENGER_PAGE_ID: TEST_MESSENGER.pageId,
      MESSENGER_API_URL: graph.url,
      DATA_DIR: h.dataDir,
      LOG_LEVEL: 'silent',
    });
    app = createApplication({ config, db, logger: silentLogger, pollMs: 100, retryBackoffMs: [100, 100, 100] });
    await app.start();
  });
  afterAll(async () => {
    proxy.restore();
    await app.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    await proxy.close();
    await graph.stop();
    await h.close();
  });

  it('/readyz says so (503) and recovers; a webhook refused meanwhile (503) is accepted when retried', async () => {
    expect((await request(app.app).get('/readyz')).status).toBe(200);
    proxy.cut();
    const down = await request(app.app).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', database: 'unreachable' });
    const req = webhooks.text({ psid: 'cl-outage', text: 'PA-QWERTY' });
    const refused = await request(app.app).post('/webhooks/messenger').set(req.headers).send(req.body);
    expect(refused.status).toBe(503);
    expect((await request(app.app).get('/healthz')).status).toBe(200); // the process is up

    proxy.restore();
    await waitFor(async () => (await request(app.app).get('/readyz')).status === 200);
    const accepted = await request(app.app).post('/webhooks/messenger').set(req.headers).send(req.body);
    expect(accepted.status).toBe(200);
    const sent = await graph.waitForMessages('cl-outage', 1, 10_000);
    expect(sent[0]!.message?.text).toMatch(/PA-QWERTY/);
  });
});
