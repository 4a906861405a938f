/**
 * The simulator end to end. Messenger: the real app (createHarness) listening on a port, the
 * simulator on its own express app posting signed webhooks to it over HTTP. Zalo: the app has no
 * Zalo webhook here, so a stand-in receiver checks the signature and answers through FakeZaloApi
 * the way the bot does (message/cs with list and request_user_info templates).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import sharp from 'sharp';
import request from 'supertest';
import { PagePublisher } from '../../../src/clients/graph/page-publisher';
import { verifyZaloSignature } from '../../../src/channels/zalo/zalo-signature';
import { FAKE_SECRETS } from '../../../dev/fake-credentials';
import { FakeZaloApi } from '../../../dev/fakes/fake-zalo-api';
import { createZaloWebhooks } from '../../../dev/fakes/zalo-webhooks';
import { createHarness, TEST_MESSENGER, type Harness } from '../../support/harness';
import { messengerTranscriptItem, mountSimulator, type TranscriptItem } from '../../../dev/simulator/simulator-routes';

// any: parsed webhook JSON as the fakes built it; the assertions (toMatchObject) check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 30, g: 120, b: 200 } } }).jpeg().toBuffer();
}

describe('the simulator on Messenger, against the real app', () => {
  let h: Harness;
  let bot: { server: Server; url: string };
  let sim: express.Express;

  beforeAll(async () => {
    h = await createHarness();
    bot = await listen(h.rt.app);
    sim = express();
    mountSimulator(sim, { appBaseUrl: () => bot.url, graph: h.graph, messengerWebhooks: h.webhooks });
  });
  afterAll(async () => {
    await close(bot.server);
    await h.close();
  });

  async function say(body: Record<string, unknown>) {
    const res = await request(sim).post('/simulator/api/send').send({ channel: 'messenger', ...body });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(200);
    await h.idle();
    return res.body as { status: number; event: { entry: Array<{ messaging: Array<Json> }> }; imageUrl?: string };
  }

  async function transcript(userId: string, since?: string): Promise<TranscriptItem[]> {
    const res = await request(sim).get('/simulator/api/transcript').query({ channel: 'messenger', userId, ...(since ? { since } : {}) });
    expect(res.status).toBe(200);
    return res.body as TranscriptItem[];
  }

  it('shows what the city published on the Page as a post with its photo (Groups & Page)', async () => {
    const page = new PagePublisher({ origin: h.graph.url, pageId: TEST_MESSENGER.pageId, accessToken: TEST_MESSENGER.accessToken, appSecret: TEST_MESSENGER.appSecret });
    const card = await jpeg();
    const postId = await page.publish('Đã xử lý: PA-ABC234 #B7', [await page.uploadPhoto(card)]);
    const res = await request(sim).get('/simulator/api/posts');
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([]);
    expect(res.body.page).toEqual({ name: 'Facebook Page' });
    // Unpublished photo uploads are not posts of their own.
    expect(res.body.posts).toEqual([{ id: postId, where: 'facebook-page', target: 'Facebook Page', at: expect.any(String), text: 'Đã xử lý: PA-ABC234 #B7', images: [expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/cdn\//)] }]);
    const img = await fetch(res.body.posts[0].images[0]);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await img.arrayBuffer()).equals(card)).toBe(true);
  });

  it('serves the page, its script and its stylesheet, with no external resources', async () => {
    const page = await request(sim).get('/simulator');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('/simulator/app.js');
    expect(page.text).toContain('/simulator/app.css');
    expect(page.text).not.toMatch(/(src|href)="https?:/);

    const js = await request(sim).get('/simulator/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.text).toContain('/simulator/api/transcript');

    const css = await request(sim).get('/simulator/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);

    const cfg = await request(sim).get('/simulator/api/config');
    expect(cfg.body).toEqual({ channels: ['messenger'], center: { lat: 16.4637, lng: 107.5909 } });
  });

  it('when the resident taps Get Started, the signed postback reaches the bot and the transcript shows the menu as quick replies', async () => {
    const userId = 'sim-welcome';
    const sent = await say({ userId, type: 'follow' });
    expect(sent.event.entry[0]!.messaging[0]!.postback).toMatchObject({ payload: 'GET_STARTED' });

    const items = await transcript(userId);
    expect(items.map((i) => i.text).join('\n')).toMatch(/Huế/);
    const last = items.at(-1)!;
    expect(last.choices.map((c) => c.payload)).toEqual(['REPORT_START', 'ASK_QUESTION', 'MY_REPORTS', 'LANGUAGE']);
    expect(last.choices.every((c) => c.kind === 'quick_reply' && c.title.length > 0)).toBe(true);
    expect(last.raw).toMatchObject({ recipient: { id: userId } });
  });

  it('a typed text and a tapped quick reply go through the webhook and the bot answers each', async () => {
    const userId = 'sim-text';
    await say({ userId, type: 'quick_reply', payload: 'REPORT_START', text: 'Phản ánh' });
    const afterStart = await transcript(userId);
    expect(afterStart.at(-1)!.text).toMatch(/mô tả/i);

    const cursor = afterStart.at(-1)!.at;
    await say({ userId, type: 'text', text: 'Đèn đường hỏng trước nhà số 5' });
    const fresh = (await transcript(userId, cursor)).filter((i) => !afterStart.some((o) => o.id === i.id));
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.at(-1)!.text).toMatch(/ảnh/);

    expect(await transcript(userId, String(Date.now() + 60_000))).toEqual([]);
  });

  it('a photo from disk is hosted on the fake CDN, the webhook carries its URL and the bot downloads it', async () => {
    const userId = 'sim-photo';
    await say({ userId, type: 'postback', payload: 'REPORT_START', text: 'Phản ánh' });
    await say({ userId, type: 'text', text: 'Ổ gà lớn giữa đường Lê Lợi' });
    const bytes = await jpeg();
    const sent = await say({ userId, type: 'image', imageBase64: bytes.toString('base64'), contentType: 'image/jpeg' });

    expect(sent.imageUrl).toMatch(new RegExp(`^${h.graph.url}/cdn/[0-9a-f]+$`));
    const message = sent.event.entry[0]!.messaging[0]!.message as { attachments: Array<{ type: string; payload: { url: string } }> };
    expect(message.attachments).toEqual([{ type: 'image', payload: { url: sent.imageUrl } }]);

    const path = new URL(sent.imageUrl!).pathname;
    const downloads = h.graph.calls({ method: 'GET', path });
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads[0]!.status).toBe(200);
    expect(downloads[0]!.response).toEqual({ bytes: bytes.length, contentType: 'image/jpeg' });

    // With a description and a photo but no place yet, the bot offers the map picker: a web_url button → a link.
    const last = (await transcript(userId)).at(-1)!;
    expect(last.links).toEqual([{ title: expect.any(String), url: expect.stringMatching(/\/webview\/location\?t=/) }]);
  });

  it('lists the outbound Graph calls with tokens redacted', async () => {
    const res = await request(sim).get('/simulator/api/calls').query({ channel: 'messenger' });
    expect(res.status).toBe(200);
    const calls = res.body as Array<{ seq: number; method: string; path: string; status: number; body: unknown }>;
    expect(calls.some((c) => c.method === 'POST' && c.path === '/me/messages' && c.status === 200)).toBe(true);
    expect(calls.map((c) => c.seq)).toEqual([...calls.keys()].map((i) => calls[0]!.seq + i));
    expect(JSON.stringify(calls)).not.toContain(TEST_MESSENGER.accessToken);
  });

  it('refuses malformed sends with 400 and a reason', async () => {
    const noText = await request(sim).post('/simulator/api/send').send({ channel: 'messenger', userId: 'sim-x', type: 'text' });
    expect(noText.status).toBe(400);
    expect(noText.body.error).toMatch(/text is required/);

    const badType = await request(sim).post('/simulator/api/send').send({ channel: 'messenger', userId: 'sim-x', type: 'dance' });
    expect(badType.status).toBe(400);
    expect(badType.body.error).toMatch(/^type:/);

    const zalo = await request(sim).post('/simulator/api/send').send({ channel: 'zalo', userId: 'sim-x', type: 'text', text: 'hi' });
    expect(zalo.status).toBe(400);
    expect(zalo.body.error).toMatch(/Zalo is not simulated/);

    const info = await request(sim).post('/simulator/api/send').send({ channel: 'messenger', userId: 'sim-x', type: 'submit_info', info: { name: 'An' } });
    expect(info.status).toBe(400);
  });
});

describe('Messenger messages normalised for the page', () => {
  it('turns postback buttons into choices, web_url into links and phone_number into calls', () => {
    const item = messengerTranscriptItem({
      psid: 'p1',
      messageId: 'm_1',
      at: new Date('2025-01-02T03:04:05.000Z'),
      body: {
        recipient: { id: 'p1' },
        message: {
          attachment: {
            type: 'template',
            payload: {
              template_type: 'button',
              text: 'Nguy hiểm? Gọi ngay.',
              buttons: [
                { type: 'web_url', title: 'Chọn trên bản đồ', url: 'http://localhost:3000/webview/location?t=abc' },
                { type: 'postback', title: 'Hủy', payload: 'REPORT_CANCEL' },
                { type: 'phone_number', title: 'Cứu hỏa', payload: '114' },
              ],
            },
          },
          quick_replies: [{ content_type: 'text', title: 'Đúng', payload: 'LOCATION_CONFIRM' }],
        },
      },
    });
    expect(item).toMatchObject({
      id: 'm_1',
      at: '2025-01-02T03:04:05.000Z',
      text: 'Nguy hiểm? Gọi ngay.',
      links: [{ title: 'Chọn trên bản đồ', url: 'http://localhost:3000/webview/location?t=abc' }],
      calls: [{ title: 'Cứu hỏa', phone: '114' }],
      choices: [
        { title: 'Đúng', payload: 'LOCATION_CONFIRM', kind: 'quick_reply' },
        { title: 'Hủy', payload: 'REPORT_CANCEL', kind: 'postback' },
      ],
    });
  });
});

describe('the simulator on Zalo, against a stand-in receiver', () => {
  const ACCESS = 'zalo-sim-test-access-token';
  let zalo: FakeZaloApi;
  let receiver: { server: Server; url: string };
  let sim: express.Express;
  const received: Array<Json> = [];
  const downloads: Array<{ url: string; bytes: number; contentType: string | null }> = [];

  async function reply(userId: string, message: Record<string, unknown>) {
    const res = await fetch(`${zalo.url}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: ACCESS },
      body: JSON.stringify({ recipient: { user_id: userId }, message }),
    });
    const json = (await res.json()) as { error: number };
    if (json.error !== 0) throw new Error(`fake Zalo refused the reply: ${JSON.stringify(json)}`);
  }

  beforeAll(async () => {
    zalo = new FakeZaloApi({ accessToken: ACCESS, strictWindow: true });
    await zalo.start();
    const app = express();
    app.post('/webhooks/zalo', express.raw({ type: () => true }), async (req, res) => {
      const raw = req.body as Buffer;
      const event = JSON.parse(raw.toString('utf8')) as Json;
      const ok = verifyZaloSignature({
        rawBody: raw,
        header: req.headers['x-zevent-signature'],
        appIds: [FAKE_SECRETS.zaloAppId, event.app_id],
        oaSecretKey: FAKE_SECRETS.zaloOaSecretKey,
      });
      if (!ok) return res.status(401).json({ error: 'bad signature' });
      received.push(event);
      const userId = String(event.sender?.id ?? event.follower?.id);
      switch (event.event_name) {
        case 'follow':
          await reply(userId, {
            attachment: { type: 'template', payload: { template_type: 'request_user_info', elements: [{ title: 'Chia sẻ thông tin', subtitle: 'Để cán bộ liên hệ', image_url: 'http://bot.test/logo.png' }] } },
          });
          break;
        case 'user_send_text':
          await reply(userId, {
            text: 'Chọn loại sự việc:',
            attachment: {
              type: 'template',
              payload: {
                template_type: 'list',
                elements: [{ title: 'Phản ánh', subtitle: 'Chọn một mục' }, { title: 'Hỏi đáp', default_action: { type: 'oa.query.hide', payload: '#ASK_QUESTION' } }],
                buttons: [
                  { title: 'Đường hư', type: 'oa.query.hide', payload: '#CATEGORY:road-damage' },
                  { title: 'Chọn vị trí', type: 'oa.open.url', payload: { url: 'http://bot.test/webview/location?t=abc' } },
                  { title: 'Đường dây nóng', type: 'oa.open.phone', payload: { phone_code: '02343822222' } },
                ],
              },
            },
          });
          break;
        case 'user_send_image': {
          const url = String(event.message.attachments[0].payload.url);
          const got = await fetch(url);
          downloads.push({ url, bytes: (await got.arrayBuffer()).byteLength, contentType: got.headers.get('content-type') });
          await reply(userId, { text: 'Đã nhận ảnh.' });
          break;
        }
        default:
          break;
      }
      return res.json({ received: true });
    });
    receiver = await listen(app);
    sim = express();
    mountSimulator(sim, {
      appBaseUrl: () => receiver.url,
      // this app simulates Zalo only (Messenger has real credentials, or none and is disabled)
      zalo,
      zaloWebhooks: createZaloWebhooks(),
    });
  });
  afterAll(async () => {
    await close(receiver.server);
    await zalo.stop();
  });

  async function send(body: Record<string, unknown>) {
    const res = await request(sim).post('/simulator/api/send').send({ channel: 'zalo', ...body });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(200);
    return res.body as { event: Json; imageUrl?: string };
  }

  async function transcript(userId: string): Promise<TranscriptItem[]> {
    const res = await request(sim).get('/simulator/api/transcript').query({ channel: 'zalo', userId });
    expect(res.status).toBe(200);
    return res.body as TranscriptItem[];
  }

  it('offers only the simulated channel in the page config, and refuses to play the other', async () => {
    const cfg = await request(sim).get('/simulator/api/config');
    expect(cfg.body.channels).toEqual(['zalo']);
    const res = await request(sim).post('/simulator/api/send').send({ channel: 'messenger', userId: 'x', type: 'text', text: 'hi' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/not simulated/);
  });

  it('a text reaches the receiver signed; the list reply shows query buttons as choices, URL buttons as links, phone buttons as calls', async () => {
    const userId = 'sim-zalo-list';
    // strictWindow: the reply only goes through because the simulator told the fake the user interacted.
    await send({ userId, type: 'text', text: 'Xin chào' });
    expect(received.at(-1)).toMatchObject({ event_name: 'user_send_text', sender: { id: userId }, message: { text: 'Xin chào' } });

    const [item] = await transcript(userId);
    expect(item).toMatchObject({
      text: 'Chọn loại sự việc:',
      choices: [{ title: 'Đường hư', payload: '#CATEGORY:road-damage', kind: 'text' }],
      links: [{ title: 'Chọn vị trí', url: 'http://bot.test/webview/location?t=abc' }],
      calls: [{ title: 'Đường dây nóng', phone: '02343822222' }],
      elements: [{ title: 'Phản ánh', subtitle: 'Chọn một mục' }, { title: 'Hỏi đáp', action: { kind: 'text', payload: '#ASK_QUESTION' } }],
    });
  });

  it('tapping a query button sends its payload as a user_send_text', async () => {
    const userId = 'sim-zalo-tap';
    const sent = await send({ userId, type: 'quick_reply', payload: '#CATEGORY:road-damage', text: 'Đường hư' });
    expect(sent.event).toMatchObject({ event_name: 'user_send_text', message: { text: '#CATEGORY:road-damage' } });
    expect(received.at(-1)!.message.text).toBe('#CATEGORY:road-damage');
  });

  it('a photo is hosted on the fake Zalo CDN and the receiver downloads it from the webhook URL', async () => {
    const userId = 'sim-zalo-photo';
    const bytes = await jpeg();
    const sent = await send({ userId, type: 'image', imageBase64: bytes.toString('base64'), contentType: 'image/jpeg' });
    expect(sent.imageUrl).toMatch(new RegExp(`^${zalo.url}/cdn/`));
    expect(sent.event).toMatchObject({ event_name: 'user_send_image', message: { attachments: [{ type: 'image', payload: { url: sent.imageUrl } }] } });
    expect(downloads.at(-1)).toEqual({ url: sent.imageUrl, bytes: bytes.length, contentType: 'image/jpeg' });
    expect((await transcript(userId)).map((i) => i.text)).toEqual(['Đã nhận ảnh.']);
  });

  it('follow gets a request_user_info form, answered with user_submit_info; locations and stickers go through too', async () => {
    const userId = 'sim-zalo-info';
    await send({ userId, type: 'follow' });
    expect(received.at(-1)).toMatchObject({ event_name: 'follow', follower: { id: userId } });
    const [form] = await transcript(userId);
    expect(form!.form).toEqual({ kind: 'user_info', title: 'Chia sẻ thông tin', subtitle: 'Để cán bộ liên hệ' });

    await send({ userId, type: 'submit_info', info: { name: 'Nguyễn Văn An', phone: '0905123456', address: ' ' } });
    expect(received.at(-1)).toMatchObject({ event_name: 'user_submit_info', info: { name: 'Nguyễn Văn An', phone: '0905123456' } });
    expect(received.at(-1)!.info).not.toHaveProperty('address');

    await send({ userId, type: 'location', lat: 16.4637, lng: 107.5909 });
    expect(received.at(-1)!.message.attachments[0].payload.coordinates).toEqual({ latitude: '16.4637', longitude: '107.5909' });

    await send({ userId, type: 'sticker' });
    expect(received.at(-1)!.event_name).toBe('user_send_sticker');
  });

  it('lists the outbound Zalo calls without the access token', async () => {
    const res = await request(sim).get('/simulator/api/calls').query({ channel: 'zalo' });
    expect(res.status).toBe(200);
    expect(res.body.some((c: { path: string }) => c.path === '/v3.0/oa/message/cs')).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain(ACCESS);
  });
});
