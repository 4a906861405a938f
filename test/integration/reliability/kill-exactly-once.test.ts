/**
 * Exactly once across kill -9: the app is killed at several moments right after acknowledging a
 * photo (while downloading, processing, committing or sending), then restarted. However the turn
 * was interrupted, the resident sees its answer once, never twice, and never the contradicting
 * "you already sent this photo".
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { FakeGraphApi } from '../../../dev/fakes/fake-graph-api';
import { createMessengerWebhooks } from '../../../dev/fakes/messenger-webhooks';
import { killHard, startChildApp, until, type ChildApp } from '../../support/child-app';
import { createTestDb, type TestDb } from '../../support/db';
import { TEST_MESSENGER } from '../../support/harness';

const DELAYS_MS = [0, 10, 20, 28, 45, 80];

describe('kill -9 right after the ack of a photo', () => {
  let t: TestDb;
  let dataDir: string;
  let graph: FakeGraphApi;
  let photos: http.Server;
  let photoBase: string;
  const children: ChildApp[] = [];
  const webhooks = createMessengerWebhooks({ appSecret: TEST_MESSENGER.appSecret, pageId: TEST_MESSENGER.pageId });

  beforeAll(async () => {
    t = await createTestDb();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-kill-'));
    graph = new FakeGraphApi({ accessToken: TEST_MESSENGER.accessToken, appSecret: TEST_MESSENGER.appSecret, pageId: TEST_MESSENGER.pageId, appId: TEST_MESSENGER.appId });
    await graph.start();
    const jpegs = await Promise.all(DELAYS_MS.map((_, i) => sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 30 * i, g: 90, b: 140 } } }).jpeg().toBuffer()));
    photos = http.createServer((req, res) => {
      const i = Number((req.url ?? '').replace(/\D/g, ''));
      res.setHeader('content-type', 'image/jpeg');
      res.end(jpegs[i] ?? jpegs[0]);
    });
    await new Promise<void>((r) => photos.listen(0, '127.0.0.1', r));
    photoBase = `http://127.0.0.1:${(photos.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of children) await killHard(c);
    await graph.stop();
    await new Promise((r) => photos.close(r));
    await t.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<ChildApp> {
    const c = await startChildApp({ databaseUrl: t.url, dataDir, graphUrl: graph.url, env: { LOG_LEVEL: 'error', MEDIA_FETCH_ALLOW: new URL(photoBase).host } });
    children.push(c);
    return c;
  }

  async function post(app: ChildApp, req: { body: string; headers: Record<string, string> }): Promise<number> {
    return (await fetch(`${app.url}/webhooks/messenger`, { method: 'POST', headers: req.headers, body: req.body })).status;
  }

  async function quiet(psid: string, app: ChildApp): Promise<void> {
    await until(`everything of ${psid} handled and sent`, async () => {
      const r = await t.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM inbound_events WHERE conversation_key = $1 AND status = 'pending')
              + (SELECT count(*) FROM outbound_messages WHERE conversation_key = $1 AND status = 'pending') AS n`,
        [`messenger:${psid}`],
      );
      return Number(r.rows[0]!.n) === 0 ? true : undefined;
    }, 30_000, app);
  }

  const texts = (psid: string) => graph.sentMessages(psid).map((m) => m.message?.text ?? (m.message?.attachment?.payload as { text?: string } | undefined)?.text ?? '');

  it.each(DELAYS_MS.map((d, i) => [d, i] as const))('killed %i ms after the ack: one answer to the photo, no "already sent"', async (delay, i) => {
    const psid = `kill-${i}`;
    let app = children.find((c) => c.proc.exitCode === null && c.proc.signalCode === null) ?? (await start());
    expect(await post(app, webhooks.postback({ psid, payload: 'REPORT_START' }))).toBe(200);
    expect(await post(app, webhooks.text({ psid, text: 'Rác thải đổ trộm bên bờ sông Hương' }))).toBe(200);
    await quiet(psid, app);
    const before = texts(psid).length;

    expect(await post(app, webhooks.image({ psid, urls: [`${photoBase}/${i}.jpg`] }))).toBe(200);
    await new Promise((r) => setTimeout(r, delay));
    await killHard(app);
    app = await start();
    await quiet(psid, app);

    const after = texts(psid).slice(before);
    expect(after.filter((x) => /Đã nhận 1 ảnh/.test(x))).toHaveLength(1);
    expect(after.filter((x) => /đã gửi rồi/.test(x))).toHaveLength(0);
    // One question about the location, not two.
    expect(after.filter((x) => /Sự việc ở đâu/.test(x))).toHaveLength(1);
    const draft = await t.db.query<{ n: number }>("SELECT jsonb_array_length(data->'photos') AS n FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1", [psid]);
    expect(draft.rows[0]!.n).toBe(1);
  }, 90_000);
});
