import { InMemoryTokenStore, ZaloOaClient, type TokenStore } from '../../../src/clients/zalo-oa';
import { PlatformApiError } from '../../../src/domain/shared/errors';
import { FAKE_SECRETS } from '../../../dev/fake-credentials';
import { createDb, type Db } from '../../../src/storage/db';
import { PgZaloTokenStore } from '../../../src/storage/zalo-token-repo';
import { FakeZaloApi } from '../../../dev/fakes/fake-zalo-api';
import { createTestDb, type TestDb } from '../../support/db';

const OA = FAKE_SECRETS.zaloOaId;
const RESIDENT = '5519028374615903382';
const DAY = 24 * 60 * 60 * 1000;
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 1)]);

describe('Zalo OA client against the fake Zalo API and PostgreSQL', () => {
  let t: TestDb;
  let fake: FakeZaloApi;
  const sleeps: number[] = [];
  /** Virtual time: sleeping moves the client's clock forward instantly, so back-off costs no real time. */
  let skew = 0;

  function client(store: TokenStore, over: Partial<ConstructorParameters<typeof ZaloOaClient>[0]> = {}): ZaloOaClient {
    return new ZaloOaClient({
      appId: FAKE_SECRETS.zaloAppId,
      appSecret: FAKE_SECRETS.zaloAppSecret,
      oaId: OA,
      tokenStore: store,
      initialRefreshToken: FAKE_SECRETS.zaloRefreshToken,
      apiUrl: fake.url,
      oauthUrl: fake.url,
      now: () => Date.now() + skew,
      sleep: async (ms) => {
        sleeps.push(ms);
        skew += ms;
      },
      ...over,
    });
  }

  async function storedRow(db: Db = t.db) {
    const r = await db.query<{ access_token: string | null; refresh_token: string; refresh_count: number }>(
      'SELECT access_token, refresh_token, refresh_count FROM zalo_tokens WHERE oa_id = $1',
      [OA],
    );
    return r.rows[0];
  }

  beforeAll(async () => {
    t = await createTestDb();
    fake = new FakeZaloApi();
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    await t.drop();
  });
  beforeEach(async () => {
    fake.reset();
    sleeps.length = 0;
    skew = 0;
    await t.db.query('DELETE FROM zalo_tokens');
  });

  it('on first use, trades the configured refresh token for a pair, stores it, and sends the text', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    const ids = await c.sendText(RESIDENT, 'Chào bạn, phường đã nhận phản ánh.');
    expect(ids).toHaveLength(1);
    expect(fake.refreshCalls).toBe(1);
    expect(fake.sentMessages(RESIDENT).map((m) => m.message.text)).toEqual(['Chào bạn, phường đã nhận phản ánh.']);
    expect(fake.sentMessages(RESIDENT)[0]!.messageId).toBe(ids[0]);
    expect(await storedRow()).toEqual({ access_token: fake.currentAccessToken, refresh_token: fake.currentRefreshToken, refresh_count: 1 });
  });

  it('when Zalo says the token is invalid (-216), refreshes once and the send then succeeds', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    await c.sendText(RESIDENT, 'một');
    fake.failNext('invalid-token');
    await c.sendText(RESIDENT, 'hai');
    expect(fake.refreshCalls).toBe(2);
    expect(fake.sentMessages().map((m) => m.message.text)).toEqual(['một', 'hai']);
  });

  it('ten concurrent sends after the token expired cause exactly one refresh, and all ten are delivered', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    await c.sendText(RESIDENT, 'mở đầu');
    fake.expireAccessToken();
    await Promise.all(Array.from({ length: 10 }, (_, i) => c.sendText(RESIDENT, `tin ${i}`)));
    expect(fake.refreshCalls).toBe(2); // the first-use refresh plus exactly one more
    expect(fake.sentMessages()).toHaveLength(11);
  });

  it('two processes sharing one database refresh an expired token exactly once between them', async () => {
    const seed = client(new PgZaloTokenStore(t.db));
    await seed.sendText(RESIDENT, 'mở đầu');
    fake.expireAccessToken();
    const otherPool = createDb(t.url, 5);
    try {
      const a = client(new PgZaloTokenStore(t.db));
      const b = client(new PgZaloTokenStore(otherPool));
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).sendText(RESIDENT, `tin ${i}`)));
      expect(fake.refreshCalls).toBe(2);
      expect(fake.sentMessages()).toHaveLength(11);
      expect((await storedRow())?.refresh_count).toBe(2);
    } finally {
      await otherPool.close();
    }
  });

  it('two processes that find a stored token close to expiry refresh it once, before expiry', async () => {
    await client(new PgZaloTokenStore(t.db)).sendText(RESIDENT, 'mở đầu');
    await t.db.query("UPDATE zalo_tokens SET expires_at = now() + interval '10 minutes'");
    const otherPool = createDb(t.url, 5);
    try {
      const a = client(new PgZaloTokenStore(t.db));
      const b = client(new PgZaloTokenStore(otherPool));
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).sendText(RESIDENT, `tin ${i}`)));
      expect(fake.refreshCalls).toBe(2);
      expect(fake.sentMessages()).toHaveLength(11);
    } finally {
      await otherPool.close();
    }
  });

  it('a new pair is in the database before it is used: every send carries the token the row already holds', async () => {
    const observed: Array<{ token: string | undefined; row: string | null | undefined; refresh: string | undefined }> = [];
    fake.onRequest(async (call) => {
      if (call.path !== '/v3.0/oa/message/cs') return;
      const row = await storedRow();
      observed.push({ token: call.token, row: row?.access_token, refresh: row?.refresh_token });
    });
    const c = client(new PgZaloTokenStore(t.db));
    await c.sendText(RESIDENT, 'một');
    fake.expireAccessToken();
    await c.sendText(RESIDENT, 'hai'); // refused (-216), refreshed, retried
    expect(observed).toHaveLength(3);
    for (const o of observed) expect(o.row).toBe(o.token);
    // The retried send used the new token, and by then the row held the new (single-use) refresh token.
    expect(observed[2]).toEqual({ token: fake.currentAccessToken, row: fake.currentAccessToken, refresh: fake.currentRefreshToken });
  });

  it('a process that kept a spent refresh token (not sharing the store) is refused and told a human must re-authorise', async () => {
    const shared = client(new PgZaloTokenStore(t.db));
    await shared.sendText(RESIDENT, 'một'); // spends the configured seed refresh token
    const loner = client(new InMemoryTokenStore()); // would reuse the same seed
    const err = await loner.sendText(RESIDENT, 'hai').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformApiError);
    expect(err).toMatchObject({ action: 'give-up', code: 'refresh-refused' });
    expect((err as Error).message).toMatch(/re-authorise/);
    expect((err as Error).message).not.toContain(FAKE_SECRETS.zaloRefreshToken);
    expect(fake.refreshCalls).toBe(1);
  });

  it('when the refresh token was revoked, gives up and the stored pair stays untouched', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    await c.sendText(RESIDENT, 'một');
    const before = await storedRow();
    fake.revokeRefreshToken();
    fake.expireAccessToken();
    await expect(c.sendText(RESIDENT, 'hai')).rejects.toMatchObject({ action: 'give-up' });
    expect(await storedRow()).toEqual(before);
  });

  it('a rate-limited send (-32) is retried after backing off to the next minute', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    await c.sendText(RESIDENT, 'một');
    fake.failNext('rate-limit');
    await c.sendText(RESIDENT, 'hai');
    expect(fake.sentMessages().map((m) => m.message.text)).toEqual(['một', 'hai']);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeLessThanOrEqual(61_000);
  });

  it('a server error (HTTP 500) on a read is retried and then succeeds', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    fake.setUserProfile(RESIDENT, { displayName: 'Trần Thị Bích Ngọc', sharedInfo: { phone: '84903123456' } });
    fake.failNext('server');
    const d = await c.getUserDetail(RESIDENT);
    expect(d).toMatchObject({ userId: RESIDENT, displayName: 'Trần Thị Bích Ngọc', isFollower: true, sharedInfo: { phone: '84903123456' } });
    expect(sleeps).toHaveLength(1);
  });

  it('a resident silent for more than 7 days cannot get a consultation message: action window-closed', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    fake.userInteracted(RESIDENT, Date.now() - 8 * DAY);
    const err = await c.sendText(RESIDENT, 'Phản ánh của bạn đã được xử lý').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: '-230', action: 'window-closed', retryable: false });
    expect(fake.sentMessages()).toHaveLength(0);
    // …but the ZBS template by user id still reaches them.
    const id = await c.sendTemplateByUserId(RESIDENT, 'tpl-status', { ma_phan_anh: 'PA-2026-00123' });
    expect(fake.templateMessages(RESIDENT)).toEqual([expect.objectContaining({ messageId: id, templateId: 'tpl-status' })]);
  });

  it('a resident who wrote within 7 days can be answered, and the quota endpoint reports when', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    const at = Date.now() - 2 * DAY;
    fake.userInteracted(RESIDENT, at);
    await c.sendText(RESIDENT, 'Chào bạn');
    await expect(c.getUserQuota(RESIDENT)).resolves.toMatchObject({ lastInteraction: new Date(at) });
  });

  it('a long answer arrives as several messages, each within the 2,000-character cap the fake enforces', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    const long = Array.from({ length: 120 }, (_, i) => `Bước ${i}: chuẩn bị giấy tờ tùy thân và tờ khai theo mẫu.`).join(' ');
    const ids = await c.sendText(RESIDENT, long);
    expect(ids.length).toBeGreaterThan(1);
    expect(fake.sentMessages().map((m) => m.message.text).join(' ')).toBe(long);
  });

  it('an image over 1 MB is refused locally, before any request', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    const big = Buffer.concat([JPEG, Buffer.alloc(1_100_000)]);
    await expect(c.uploadImage(big, 'hien-truong.jpg', 'image/jpeg')).rejects.toMatchObject({ code: 'local-image-too-large', action: 'give-up' });
    expect(fake.calls()).toHaveLength(0);
  });

  it('uploads a photo and sends it by attachment id with a caption', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    const attachmentId = await c.uploadImage(JPEG, 'hien-truong.jpg', 'image/jpeg');
    expect(fake.calls('/upload/image')[0]!.body).toEqual({ file: { name: 'hien-truong.jpg', type: 'image/jpeg', size: JPEG.length } });
    await c.sendImage(RESIDENT, { attachmentId }, 'Ảnh sau khi xử lý');
    const m = fake.sentMessages(RESIDENT)[0]!.message;
    expect(m.text).toBe('Ảnh sau khi xử lý');
    expect(JSON.stringify(m.attachment)).toContain(attachmentId);
  });

  it('sends an FAQ list; when Zalo rejects list templates (-233) the caller is told to give up (and fall back to text)', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    const list = {
      elements: [{ title: 'Khai sinh', subtitle: 'Thủ tục đăng ký khai sinh' }, { title: 'Tạm trú' }],
      buttons: [{ title: 'Phản ánh hiện trường', type: 'oa.query.show' as const, payload: '#report' }],
    };
    await c.sendList(RESIDENT, list);
    expect(fake.sentMessages()).toHaveLength(1);
    fake.failNext('reject-template');
    await c.sendText(RESIDENT, 'tin thường vẫn đi'); // the list rejection waits for a list
    await expect(c.sendList(RESIDENT, list)).rejects.toMatchObject({ code: '-233', action: 'give-up' });
  });

  it('asks for contact details and reads the OA profile as a health check', async () => {
    const c = client(new PgZaloTokenStore(t.db));
    await c.sendRequestUserInfo(RESIDENT, { title: 'UBND Phường', subtitle: 'Xin số điện thoại', imageUrl: `${fake.url}/logo.png` });
    const m = fake.sentMessages(RESIDENT)[0]!.message as { attachment: { payload: { template_type: string } } };
    expect(m.attachment.payload.template_type).toBe('request_user_info');
    await expect(c.getOaInfo()).resolves.toMatchObject({ oaId: OA });
  });

  it('every recorded call carries the token in its own field, not among the headers', async () => {
    await client(new PgZaloTokenStore(t.db)).sendText(RESIDENT, 'a');
    const send = fake.calls('/message/cs')[0]!;
    expect(send.token).toBe(fake.currentAccessToken);
    expect(Object.keys(send.headers)).not.toContain('access_token');
  });
});
