/**
 * An app wired exactly as in production (createRuntime) against a real PostgreSQL database, the
 * fake Graph API and a fake Nominatim, all over real HTTP on loopback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parseConfig, type Config } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { createApplication, type Application, type ApplicationOptions } from '../../src/main';
import { createNlu, type Nlu } from '../../src/nlu';
import { loadTrainingData } from '../../src/storage/content-loader';
import { FakeGraphApi } from '../../dev/fakes/fake-graph-api';
import { FakeNominatim } from '../../dev/fakes/fake-nominatim';
import { FakeZaloApi } from '../../dev/fakes/fake-zalo-api';
import { createZaloWebhooks } from '../../dev/fakes/zalo-webhooks';
import { createMessengerWebhooks } from '../../dev/fakes/messenger-webhooks';
import { createTestDb, type TestDb } from './db';

export const TEST_MESSENGER = {
  accessToken: 'test-page-token',
  appSecret: 'test-app-secret',
  pageId: '1234567890',
  appId: '987654321',
  verifyToken: 'test-verify-token',
} as const;

export const TEST_ZALO = {
  appId: '4107330921648205127',
  appSecret: 'test-zalo-app-secret',
  oaId: '2950471185532601093',
  oaSecretKey: 'TESTONLY-oa-secret-key-0000',
  refreshToken: 'test-refresh-token-0',
} as const;

export interface Harness {
  readonly rt: Application;
  readonly config: Config;
  readonly graph: FakeGraphApi;
  readonly nominatim: FakeNominatim;
  readonly t: TestDb;
  readonly webhooks: ReturnType<typeof createMessengerWebhooks>;
  readonly zalo: FakeZaloApi;
  readonly zaloWebhooks: ReturnType<typeof createZaloWebhooks>;
  /** POSTs a signed Zalo webhook and returns the response. */
  postZalo(req: { body: string; headers: Record<string, string> }): Promise<request.Response>;
  readonly dataDir: string;
  /** POSTs a signed Messenger webhook and returns the response. */
  postMessenger(req: { body: string; headers: Record<string, string> }): Promise<request.Response>;
  /** Waits until every stored event has been handled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

let sharedNlu: Nlu | undefined;
/** The trained model, once per test file (training takes a few seconds). */
export function testNlu(): Nlu {
  sharedNlu ??= createNlu(loadTrainingData());
  return sharedNlu;
}

export async function createHarness(opts: { env?: Record<string, string>; runtime?: Partial<ApplicationOptions>; nlu?: boolean } = {}): Promise<Harness> {
  const t = await createTestDb();
  const graph = new FakeGraphApi({ accessToken: TEST_MESSENGER.accessToken, appSecret: TEST_MESSENGER.appSecret, pageId: TEST_MESSENGER.pageId, appId: TEST_MESSENGER.appId });
  await graph.start();
  const zalo = new FakeZaloApi({ appId: TEST_ZALO.appId, appSecret: TEST_ZALO.appSecret, refreshToken: TEST_ZALO.refreshToken });
  await zalo.start();
  const nominatim = new FakeNominatim();
  await nominatim.start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-data-'));
  const config = parseConfig({
    MESSENGER_ACCESS_TOKEN: TEST_MESSENGER.accessToken,
    MESSENGER_APP_SECRET: TEST_MESSENGER.appSecret,
    MESSENGER_PAGE_ID: TEST_MESSENGER.pageId,
    MESSENGER_APP_ID: TEST_MESSENGER.appId,
    MESSENGER_VERIFY_TOKEN: TEST_MESSENGER.verifyToken,
    MESSENGER_API_URL: graph.url,
    GEOCODER_URL: nominatim.url,
    ZALO_APP_ID: TEST_ZALO.appId,
    ZALO_APP_SECRET: TEST_ZALO.appSecret,
    ZALO_OA_ID: TEST_ZALO.oaId,
    ZALO_OA_SECRET_KEY: TEST_ZALO.oaSecretKey,
    ZALO_REFRESH_TOKEN: TEST_ZALO.refreshToken,
    ZALO_API_URL: zalo.url,
    ZALO_OAUTH_URL: zalo.url,
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://bot.test',
    LOG_LEVEL: 'silent',
    ...opts.env,
    // The fakes serve attachment URLs from loopback, which photo downloads refuse unless allowed.
    MEDIA_FETCH_ALLOW: [[graph.url, zalo.url].map((u) => new URL(u).host).join(','), opts.env?.MEDIA_FETCH_ALLOW].filter(Boolean).join(','),
  });
  const rt = createApplication({ config, db: t.db, logger: silentLogger, pollMs: 200, ...(opts.nlu ? { nlu: testNlu() } : {}), ...opts.runtime });
  await rt.start();
  const webhooks = createMessengerWebhooks({ appSecret: TEST_MESSENGER.appSecret, pageId: TEST_MESSENGER.pageId });
  return {
    rt,
    config,
    graph,
    nominatim,
    t,
    webhooks,
    zalo,
    zaloWebhooks: createZaloWebhooks({ appId: TEST_ZALO.appId, oaId: TEST_ZALO.oaId, oaSecretKey: TEST_ZALO.oaSecretKey }),
    postZalo: (req) => request(rt.app).post('/webhooks/zalo').set(req.headers).send(req.body),
    dataDir,
    postMessenger: (req) => request(rt.app).post('/webhooks/messenger').set(req.headers).send(req.body),
    idle: () => rt.inbox.idle(),
    async close() {
      await rt.stop();
      await graph.stop();
      await zalo.stop();
      await nominatim.stop();
      await t.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Texts and quick-reply payloads of what the bot sent to `psid`, in order. */
export function transcript(graph: FakeGraphApi, psid: string): Array<{ text: string; payloads: string[] }> {
  return graph.sentMessages(psid).map((m) => ({
    text: m.message?.text ?? (m.message?.attachment?.payload as { text?: string } | undefined)?.text ?? '',
    payloads: (m.message?.quick_replies ?? []).map((q) => String(q.payload ?? '')),
  }));
}

/** What the bot sent to a Zalo user: texts, and list-template buttons (payloads without '#'). */
export function zaloTranscript(zalo: FakeZaloApi, userId: string): Array<{ text: string; payloads: string[]; links: string[] }> {
  return zalo.sentMessages(userId).map((m) => {
    const msg = m.message as { text?: string; attachment?: { payload?: { template_type?: string; elements?: Array<{ title?: string }>; buttons?: Array<{ type: string; payload: unknown }> } } };
    const p = msg.attachment?.payload;
    const buttons = p?.buttons ?? [];
    return {
      text: msg.text ?? p?.elements?.[0]?.title ?? '',
      payloads: buttons.filter((b) => b.type.startsWith('oa.query')).map((b) => String(b.payload).replace(/^#/, '')),
      links: buttons.filter((b) => b.type === 'oa.open.url').map((b) => String((b.payload as { url?: string })?.url ?? b.payload)),
    };
  });
}
