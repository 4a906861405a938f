/**
 * No open doors: a channel without credentials is disabled and accepts no fake secret; the map
 * web view's token hides the platform id, lives briefly and posts once; security headers on pages
 * and files; public endpoints are rate limited; consented contacts are validated; old raw messages
 * are purged.
 */
import request from 'supertest';
import { parseConfig } from '../../../src/config';
import { createApplication } from '../../../src/main';
import { silentLogger } from '../../../src/logger';
import { WebviewTokens } from '../../../src/server/webview-token';
import { normaliseName, normalisePhone } from '../../../src/app/save-contact';
import { FAKE_SECRETS } from '../../../dev/fake-credentials';
import { createMessengerWebhooks } from '../../../dev/fakes/messenger-webhooks';
import { createZaloWebhooks } from '../../../dev/fakes/zalo-webhooks';
import { createHarness, TEST_ZALO, type Harness } from '../../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('a channel without credentials is disabled', () => {
  it('with only Zalo configured and the simulator off, the Messenger webhook answers 404, even to the published fake secret', async () => {
    const config = parseConfig({
      ZALO_APP_ID: TEST_ZALO.appId,
      ZALO_APP_SECRET: TEST_ZALO.appSecret,
      ZALO_OA_ID: TEST_ZALO.oaId,
      ZALO_OA_SECRET_KEY: TEST_ZALO.oaSecretKey,
      ZALO_REFRESH_TOKEN: TEST_ZALO.refreshToken,
      ZALO_API_URL: h.zalo.url,
      ZALO_OAUTH_URL: h.zalo.url,
      DATA_DIR: h.dataDir,
      LOG_LEVEL: 'silent',
    });
    expect(config.messenger).toBeNull();
    expect(config.simulator).toBe(false); // auto: a channel is configured
    const app = createApplication({ config, db: h.t.db, logger: silentLogger });
    const forged = createMessengerWebhooks({ appSecret: FAKE_SECRETS.messengerAppSecret, pageId: FAKE_SECRETS.messengerPageId }).text({ psid: 'intruder', text: 'xin chào' });
    const res = await request(app.app).post('/webhooks/messenger').set(forged.headers).send(forged.body);
    expect(res.status).toBe(404);
    expect((await request(app.app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': FAKE_SECRETS.messengerVerifyToken, 'hub.challenge': '1' })).status).toBe(404);
    expect((await request(app.app).get('/simulator')).status).toBe(404);
    const stored = await h.t.db.query("SELECT count(*)::int AS n FROM inbound_events WHERE conversation_key = 'messenger:intruder'");
    expect(stored.rows[0]!.n).toBe(0);
    // The configured channel refuses the fake secret too.
    const zForged = createZaloWebhooks({ appId: FAKE_SECRETS.zaloAppId, oaId: FAKE_SECRETS.zaloOaId, oaSecretKey: FAKE_SECRETS.zaloOaSecretKey }).userSendText({ userId: '1', text: 'hi' });
    expect((await request(app.app).post('/webhooks/zalo').set(zForged.headers).send(zForged.body)).status).toBe(401);
  });
});

describe('map web view tokens', () => {
  const tokens = new WebviewTokens('secret-for-tests');

  it('do not show the platform user id, cannot be forged or altered, and expire', () => {
    const t = tokens.sign('zalo', '8000000000000000001');
    expect(Buffer.from(t, 'base64url').toString('latin1')).not.toContain('8000000000000000001');
    expect(tokens.verify(t)).toMatchObject({ channel: 'zalo', userId: '8000000000000000001' });
    const flipped = Buffer.from(t, 'base64url');
    flipped[20] = flipped[20]! ^ 1;
    expect(tokens.verify(flipped.toString('base64url'))).toBeNull();
    expect(new WebviewTokens('another-secret').verify(t)).toBeNull();
    let now = Date.now();
    const clocked = new WebviewTokens('s', 30 * 60_000, () => now);
    const short = clocked.sign('messenger', 'psid');
    now += 31 * 60_000;
    expect(clocked.verify(short)).toBeNull();
  });

  it('post a location once; a second post with the same link is refused', async () => {
    const t = h.rt.webviewTokens.sign('messenger', 'wv-once');
    const first = await request(h.rt.app).post('/webview/location').send({ t, lat: 16.4665, lng: 107.5905 });
    expect(first.status).toBe(200);
    const again = await request(h.rt.app).post('/webview/location').send({ t, lat: 16.47, lng: 107.59 });
    expect(again.status).toBe(409);
    await h.idle();
    const events = await h.t.db.query("SELECT count(*)::int AS n FROM inbound_events WHERE conversation_key = 'messenger:wv-once'");
    expect(events.rows[0]!.n).toBe(1);
    expect((await request(h.rt.app).post('/webview/location').send({ t: 'garbage', lat: 1, lng: 1 })).status).toBe(403);
    expect((await request(h.rt.app).post('/webview/location').send({ t: h.rt.webviewTokens.sign('messenger', 'x'), lat: '16', lng: 107 })).status).toBe(400);
  });
});

describe('security headers and rate limits', () => {
  it('every page and file carries helmet headers; the map page allows only what it needs', async () => {
    for (const path of ['/webview/location', '/healthz', '/static/leaflet/leaflet.js', '/api/reports/PA-2222222']) {
      const res = await request(h.rt.app).get(path);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['content-security-policy']).toBeDefined();
    }
    const page = await request(h.rt.app).get('/webview/location');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('img-src \'self\' data: https://tile.openstreetmap.org');
    expect(csp).toContain('frame-ancestors');
    expect((await request(h.rt.app).get('/healthz')).headers['content-security-policy']).toContain("default-src 'none'");
    // HSTS only behind https.
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('the public status API answers 429 to a client that asks too often', async () => {
    let last = 0;
    for (let i = 0; i < 70; i++) last = (await request(h.rt.app).get('/api/reports/PA-3333333').set('x-forwarded-for', '203.0.113.7')).status;
    expect(last).toBe(429);
    // Another client is still served.
    expect((await request(h.rt.app).get('/api/reports/PA-3333333').set('x-forwarded-for', '203.0.113.8')).status).toBe(404);
  });
});

describe('data hygiene', () => {
  it('consented contact fields are validated and bounded', () => {
    expect(normalisePhone('0905 123 456')).toBe('0905123456');
    expect(normalisePhone('+84 905-123-456')).toBe('+84905123456');
    expect(normalisePhone('9'.repeat(50_000))).toBeNull();
    expect(normalisePhone('123')).toBeNull();
    expect(normalisePhone('call me maybe')).toBeNull();
    expect(normaliseName('  Nguyễn   Văn A ')).toBe('Nguyễn Văn A');
    expect([...normaliseName('x'.repeat(500))!]).toHaveLength(100);
  });

  it('a 50,000-digit phone from a submit_info event is not stored', async () => {
    const userId = '8100000000000000001';
    await h.postZalo(h.zaloWebhooks.userSubmitInfo({ userId, info: { name: 'Lê Thị B', phone: '9'.repeat(50_000) } }));
    await h.idle();
    const r = await h.t.db.query<{ phone: string | null; name: string | null }>('SELECT phone, name FROM resident_contacts c JOIN residents r ON r.id = c.resident_id WHERE r.platform_user_id = $1', [userId]);
    expect(r.rows).toEqual([{ phone: null, name: 'Lê Thị B' }]);
  });

  it('raw webhook bodies older than INBOX_RETENTION_DAYS are emptied; their dedupe keys still catch a redelivery', async () => {
    const psid = 'retention-1';
    const req = h.webhooks.text({ psid, text: 'Số nhà 12 kiệt 3 Lê Lợi có rác' });
    await h.postMessenger(req);
    await h.idle();
    await h.t.db.query("UPDATE inbound_events SET received_at = now() - interval '31 days' WHERE conversation_key = $1", [`messenger:${psid}`]);
    expect(await h.rt.useCases.purgeRetained.run()).toBeGreaterThanOrEqual(1);
    const row = await h.t.db.query<{ body: unknown; purged_at: Date | null }>('SELECT body, purged_at FROM inbound_events WHERE conversation_key = $1', [`messenger:${psid}`]);
    expect(row.rows[0]!.body).toEqual({});
    expect(row.rows[0]!.purged_at).toBeInstanceOf(Date);
    const replies = await h.t.db.query<{ op: unknown }>('SELECT op FROM outbound_messages WHERE conversation_key = $1', [`messenger:${psid}`]);
    for (const r of replies.rows) expect(JSON.stringify(r.op)).not.toContain('Lê Lợi');
    const before = h.graph.sentMessages(psid).length;
    expect((await h.postMessenger(req)).status).toBe(200); // the platform redelivers: acknowledged, ignored
    await h.idle();
    expect(h.graph.sentMessages(psid)).toHaveLength(before);
  });
});
