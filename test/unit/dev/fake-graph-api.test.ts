import crypto from 'node:crypto';
import http from 'node:http';
import { MessengerClient } from 'messaging-api-messenger';
import { FAKE_GRAPH_DEFAULTS, FakeGraphApi } from '../../../dev/fakes/fake-graph-api';
import { createMessengerWebhooks, messengerWebhook } from '../../../dev/fakes/messenger-webhooks';

const { accessToken, appSecret, pageId } = FAKE_GRAPH_DEFAULTS;
const PSID = '24300000000000001';
const HOUR = 60 * 60 * 1000;

interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  errorSubcode?: number;
}

/** Awaits a client call that must fail and returns the (camel-cased) Graph error it carried. */
async function graphError(call: Promise<unknown>): Promise<{ status?: number; error: GraphErrorBody }> {
  try {
    await call;
  } catch (err: unknown) {
    const e = err as { status?: number; response?: { data?: { error?: GraphErrorBody } } };
    const error = e.response?.data?.error;
    if (!error) throw err;
    return { status: e.status, error };
  }
  throw new Error('expected the Graph call to fail, but it succeeded');
}

/** Plain GET over loopback, to check the fake CDN without the client. */
function get(url: string): Promise<{ status: number; type: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

describe('FakeGraphApi', () => {
  const fake = new FakeGraphApi({ accessToken, appSecret, pageId, hangMs: 300 });
  let client: MessengerClient;

  beforeAll(async () => {
    await fake.start();
    client = new MessengerClient({ accessToken, appSecret, version: '23.0', origin: fake.url });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.stop());

  describe('Send API', () => {
    it('records a text reply with RESPONSE messaging type, versioned path and redacted token', async () => {
      fake.userMessaged(PSID);
      const res = await client.sendText(PSID, 'Cảm ơn bạn đã phản ánh', { messagingType: 'RESPONSE' });

      expect(res).toEqual({ recipientId: PSID, messageId: expect.stringMatching(/^m_/) });
      expect(fake.sentMessages(PSID)).toEqual([
        { messaging_type: 'RESPONSE', recipient: { id: PSID }, message: { text: 'Cảm ơn bạn đã phản ánh' } },
      ]);
      const [call] = fake.calls({ path: '/me/messages' });
      expect(call).toMatchObject({
        method: 'POST',
        version: 'v23.0',
        status: 200,
        query: { access_token: '[token]', appsecret_proof: '[proof]' },
      });
    });

    it('refuses a message with 14 quick replies, naming the limit of 13', async () => {
      fake.userMessaged(PSID);
      const quickReplies = Array.from({ length: 14 }, (_, i) => ({
        contentType: 'text' as const,
        title: `Lựa chọn ${i}`,
        payload: `CHOICE_${i}`,
      }));

      const { status, error } = await graphError(
        client.sendText(PSID, 'Chọn một mục', { messagingType: 'RESPONSE', quickReplies }),
      );

      expect(status).toBe(400);
      expect(error.code).toBe(100);
      expect(error.message).toMatch(/quick_replies.*at most 13/);
      expect(fake.sentMessages()).toHaveLength(0);
    });

    it('refuses a quick reply whose title is 21 characters instead of truncating it', async () => {
      fake.userMessaged(PSID);
      const title = 'Báo cáo sự cố đèn đườ'; // 21 characters
      expect(Array.from(title)).toHaveLength(21);

      const { error } = await graphError(
        client.sendText(PSID, 'Bạn cần gì?', {
          messagingType: 'RESPONSE',
          quickReplies: [{ contentType: 'text', title, payload: 'REPORT' }],
        }),
      );

      expect(error.code).toBe(100);
      expect(error.message).toMatch(/quick_replies\]\[0\]\[title\].*20 \(got 21\)/);
    });

    it('refuses a button template with four buttons', async () => {
      fake.userMessaged(PSID);
      const buttons = [1, 2, 3, 4].map((n) => ({ type: 'postback' as const, title: `Nút ${n}`, payload: `B${n}` }));

      const { error } = await graphError(client.sendButtonTemplate(PSID, 'Chọn', buttons, { messagingType: 'RESPONSE' }));

      expect(error.message).toMatch(/buttons.*at most 3/);
    });

    it('records typing indicators as sender actions, not as messages', async () => {
      fake.userMessaged(PSID);
      await client.typingOn(PSID);

      expect(fake.sentMessages(PSID)).toEqual([]);
      expect(fake.senderActions(PSID)).toEqual([expect.objectContaining({ action: 'typing_on' })]);
    });

    it('records an uploaded image with its bytes re-served by the fake CDN', async () => {
      fake.userMessaged(PSID);
      const png = Buffer.from('fake-png-bytes');

      // filename/contentType reach form-data at runtime, though SendOption's type doesn't list them.
      const upload = { filename: 'photo.png', contentType: 'image/png', messagingType: 'RESPONSE' as const };
      await client.sendImage(PSID, png, upload);

      const [sent] = fake.sentMessages(PSID);
      expect(sent?.message?.attachment?.type).toBe('image');
      expect(sent?.filedata).toMatchObject({ filename: 'photo.png', contentType: 'image/png', size: png.length });
      const served = await get(sent!.filedata!.url);
      expect(served.body.equals(png)).toBe(true);
    });

    it('gives the messages to waitForMessages once they have arrived', async () => {
      fake.userMessaged(PSID);
      const waiting = fake.waitForMessages(PSID, 2, 2000);
      await client.sendText(PSID, 'Một', { messagingType: 'RESPONSE' });
      await client.sendText(PSID, 'Hai', { messagingType: 'RESPONSE' });

      const messages = await waiting;

      expect(messages.map((m) => m.message?.text)).toEqual(['Một', 'Hai']);
    });

    it('explains what did arrive when waitForMessages times out', async () => {
      await expect(fake.waitForMessages(PSID, 1, 50)).rejects.toThrow(/got 0/);
    });
  });

  describe('credentials', () => {
    it('rejects a wrong access token with OAuthException code 190', async () => {
      const wrong = new MessengerClient({ accessToken: 'stolen', appSecret, version: '23.0', origin: fake.url });

      const { status, error } = await graphError(wrong.sendText(PSID, 'x', { messagingType: 'RESPONSE' }));

      expect(status).toBe(400);
      expect(error).toMatchObject({ code: 190, type: 'OAuthException' });
    });

    it('rejects an appsecret_proof made with the wrong secret with code 100', async () => {
      const wrong = new MessengerClient({ accessToken, appSecret: 'other-secret', version: '23.0', origin: fake.url });

      const { error } = await graphError(wrong.sendText(PSID, 'x', { messagingType: 'RESPONSE' }));

      expect(error.code).toBe(100);
      expect(error.message).toMatch(/appsecret_proof/);
    });
  });

  describe('failures on demand', () => {
    it('rate-limits one send, then the next send goes through', async () => {
      fake.userMessaged(PSID);
      fake.failNext('rate-limit');

      const { error } = await graphError(client.sendText(PSID, 'Lần 1', { messagingType: 'RESPONSE' }));
      expect(error.code).toBe(613);

      await expect(client.sendText(PSID, 'Lần 2', { messagingType: 'RESPONSE' })).resolves.toMatchObject({
        recipientId: PSID,
      });
      expect(fake.sentMessages(PSID).map((m) => m.message?.text)).toEqual(['Lần 2']);
      expect(fake.calls({ path: '/me/messages' }).map((c) => c.status)).toEqual([400, 200]);
    });

    it('answers a server failure with HTTP 500 and code 2', async () => {
      fake.userMessaged(PSID);
      fake.failNext('server');

      const { status, error } = await graphError(client.sendText(PSID, 'x', { messagingType: 'RESPONSE' }));

      expect(status).toBe(500);
      expect(error.code).toBe(2);
    });

    it('holds a timed-out request for hangMs before answering it', async () => {
      fake.userMessaged(PSID);
      fake.failNext('timeout');
      const started = Date.now();

      await client.sendText(PSID, 'muộn', { messagingType: 'RESPONSE' });

      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });
  });

  describe('24-hour messaging window', () => {
    it('lets an ACCOUNT_UPDATE tagged send through after 25 h but refuses an untagged one with subcode 2018278', async () => {
      fake.userMessaged(PSID, Date.now() - 25 * HOUR);

      await expect(
        client.sendText(PSID, 'Phản ánh #123 đã được xử lý', { tag: 'ACCOUNT_UPDATE' }),
      ).resolves.toMatchObject({ recipientId: PSID });
      const { error } = await graphError(client.sendText(PSID, 'Còn gì nữa không?', { messagingType: 'RESPONSE' }));

      expect(error).toMatchObject({ code: 10, errorSubcode: 2018278 });
      expect(fake.sentMessages(PSID)).toEqual([expect.objectContaining({ messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' })]);
    });

    it('counts a resident message seen in a webhook as reopening the window', async () => {
      fake.userMessaged(PSID, Date.now() - 48 * HOUR);
      fake.observeWebhook(messengerWebhook.text({ psid: PSID, text: 'Xin chào' }).body);

      await expect(client.sendText(PSID, 'Chào bạn', { messagingType: 'RESPONSE' })).resolves.toBeDefined();
    });

    it('refuses MESSAGE_TAG without a known tag', async () => {
      const { error } = await graphError(
        client.sendRawBody({ recipient: { id: PSID }, messagingType: 'MESSAGE_TAG', tag: 'NON_PROMOTIONAL', message: { text: 'x' } }),
      );

      expect(error.message).toMatch(/ACCOUNT_UPDATE/);
    });

    it('with strictWindow, refuses untagged sends to someone who never wrote', async () => {
      const strict = new FakeGraphApi({ accessToken, appSecret, pageId, strictWindow: true });
      await strict.start();
      try {
        const c = new MessengerClient({ accessToken, appSecret, version: '23.0', origin: strict.url });
        const { error } = await graphError(c.sendText('stranger', 'x', { messagingType: 'UPDATE' }));
        expect(error.errorSubcode).toBe(2018278);
      } finally {
        await strict.stop();
      }
    });
  });

  describe('fake CDN', () => {
    it('serves hosted bytes with their content type', async () => {
      const jpeg = crypto.randomBytes(64);
      const url = fake.hostFile(jpeg, 'image/jpeg');

      const res = await get(url);

      expect(url.startsWith(`${fake.url}/cdn/`)).toBe(true);
      expect(res.status).toBe(200);
      expect(res.type).toBe('image/jpeg');
      expect(res.body.equals(jpeg)).toBe(true);
    });
  });

  describe('Page and profile', () => {
    it('records a Page photo post made through client.axios', async () => {
      const res = await client.axios.post(`/${pageId}/photos?access_token=${accessToken}`, {
        url: 'https://example.org/resolved.jpg',
        message: 'Đã sửa đèn đường',
        published: true,
      });

      expect(res.data).toEqual({ id: expect.any(String), postId: expect.stringMatching(new RegExp(`^${pageId}_`)) });
      expect(fake.calls({ method: 'POST', path: `/${pageId}/photos` })[0]).toMatchObject({
        status: 200,
        body: { url: 'https://example.org/resolved.jpg', message: 'Đã sửa đèn đường', published: true },
      });
      expect(fake.pagePosts()).toEqual([expect.objectContaining({ kind: 'photo', published: true })]);
    });

    it('posts several unpublished photos as one feed post', async () => {
      const ids: string[] = [];
      for (const n of [1, 2]) {
        const res = await client.axios.post<{ id: string }>(`/${pageId}/photos?access_token=${accessToken}`, {
          url: `https://example.org/${n}.jpg`,
          published: false,
        });
        ids.push(res.data.id);
      }

      const res = await client.axios.post<{ id: string }>(`/${pageId}/feed?access_token=${accessToken}`, {
        message: 'Hai ảnh',
        attached_media: ids.map((id) => ({ media_fbid: id })),
      });

      expect(res.data.id).toMatch(new RegExp(`^${pageId}_`));
      expect(fake.pagePosts().at(-1)).toMatchObject({ kind: 'feed', attachedMedia: ids });
    });

    it('refuses a persistent menu before Get Started, and one with 21 items', async () => {
      const item = { type: 'postback' as const, title: 'Báo cáo', payload: 'REPORT' };
      const menu = (n: number) => [{ locale: 'default', composerInputDisabled: false, callToActions: Array.from({ length: n }, () => item) }];

      expect((await graphError(client.setPersistentMenu(menu(2)))).error.message).toMatch(/Get Started/);
      await client.setGetStarted('GET_STARTED');
      expect((await graphError(client.setPersistentMenu(menu(21)))).error.message).toMatch(/at most 20/);
      await client.setPersistentMenu(menu(2));

      expect(fake.messengerProfile()).toMatchObject({ get_started: { payload: 'GET_STARTED' } });
    });

    it('answers a user profile with a stable fake name', async () => {
      const a = await client.getUserProfile(PSID);
      const b = await client.getUserProfile(PSID);

      expect(a).toEqual(b);
      expect(a).toMatchObject({ id: PSID, name: expect.any(String), firstName: expect.any(String) });
    });

    it('tracks the thread owner across pass and take thread control', async () => {
      await client.passThreadControlToPageInbox(PSID);
      expect(fake.threadOwner(PSID)).toBe('263902037430900');

      await client.takeThreadControl(PSID);
      expect(fake.threadOwner(PSID)).toBe(FAKE_GRAPH_DEFAULTS.appId);
    });
  });
});

describe('messenger webhook builders', () => {
  const hooks = createMessengerWebhooks({ appSecret: 'hook-secret', pageId: '777' });

  it('sign the raw body with HMAC-SHA256 of the app secret', () => {
    const req = hooks.text({ psid: PSID, text: 'Đèn đường hỏng' });

    const want = crypto.createHmac('sha256', 'hook-secret').update(req.body).digest('hex');
    expect(req.headers['x-hub-signature-256']).toBe(`sha256=${want}`);
    expect(JSON.parse(req.body)).toMatchObject({
      object: 'page',
      entry: [{ id: '777', messaging: [{ sender: { id: PSID }, recipient: { id: '777' }, message: { text: 'Đèn đường hỏng' } }] }],
    });
  });

  it('give every message a fresh mid', () => {
    const a = hooks.text({ psid: PSID, text: 'a' }).json.entry[0]?.messaging[0]?.message?.mid;
    const b = hooks.text({ psid: PSID, text: 'a' }).json.entry[0]?.messaging[0]?.message?.mid;

    expect(a).toMatch(/^m_/);
    expect(a).not.toBe(b);
  });

  it('shape a legacy location share as attachment coordinates {lat, long}', () => {
    const ev = hooks.location({ psid: PSID, lat: 16.4637, lng: 107.5909 }).json.entry[0]?.messaging[0];

    expect(ev?.message?.attachments).toEqual([
      expect.objectContaining({ type: 'location', payload: { coordinates: { lat: 16.4637, long: 107.5909 } } }),
    ]);
  });

  it('put the Page as sender of an echo', () => {
    const ev = hooks.echo({ psid: PSID, text: 'hi' }).json.entry[0]?.messaging[0];

    expect(ev).toMatchObject({ sender: { id: '777' }, recipient: { id: PSID }, message: { is_echo: true } });
  });

  it('batch several events as separate entries in one signed POST', () => {
    const req = hooks.batch([
      hooks.image({ psid: PSID, urls: ['http://127.0.0.1/cdn/a'] }),
      hooks.quickReply({ psid: PSID, text: 'Có', payload: 'YES' }),
      hooks.read({ psid: PSID }),
    ]);

    expect(req.json.entry).toHaveLength(3);
    expect(req.json.entry.map((e) => e.messaging.length)).toEqual([1, 1, 1]);
    const want = crypto.createHmac('sha256', 'hook-secret').update(req.body).digest('hex');
    expect(req.headers['x-hub-signature-256']).toBe(`sha256=${want}`);
  });
});
