import crypto from 'node:crypto';
import request from 'supertest';
import { signMessengerBody } from '../../../dev/fakes/messenger-webhooks';
import { createHarness, TEST_MESSENGER, transcript, type Harness } from '../../support/harness';

/** A body signed with the legacy SHA-1 scheme Meta used before X-Hub-Signature-256. */
function sha1Signature(secret: string, body: string): string {
  return `sha1=${crypto.createHmac('sha1', secret).update(body, 'utf8').digest('hex')}`;
}

describe('the Messenger webhook only lets Meta in', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  async function storedFor(psid: string): Promise<Array<{ status: string; kind: string }>> {
    const r = await h.t.db.query<{ status: string; kind: string }>(
      'SELECT status, kind FROM inbound_events WHERE conversation_key = $1 ORDER BY id',
      [`messenger:${psid}`],
    );
    return r.rows;
  }

  /** Posts, lets any handling finish, and checks that nothing was stored or sent for `psid`. */
  async function expectRefused(psid: string, req: request.Test, status: number): Promise<request.Response> {
    const before = h.graph.calls().length;
    const res = await req;
    expect(res.status).toBe(status);
    await h.idle();
    expect(await storedFor(psid)).toEqual([]);
    expect(h.graph.calls().length).toBe(before);
    expect(h.graph.sentMessages(psid)).toEqual([]);
    return res;
  }

  const post = () => request(h.rt.app).post('/webhooks/messenger');

  describe('the subscription handshake', () => {
    it('echoes hub.challenge when Meta presents the right verify token', async () => {
      const res = await request(h.rt.app)
        .get('/webhooks/messenger')
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': TEST_MESSENGER.verifyToken, 'hub.challenge': '1158201444' });
      expect(res.status).toBe(200);
      expect(res.text).toBe('1158201444');
    });

    it('answers 403 and does not echo the challenge for a wrong verify token', async () => {
      const res = await request(h.rt.app)
        .get('/webhooks/messenger')
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guessed-token', 'hub.challenge': '1158201444' });
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('1158201444');
    });

    it('answers 403 when the verify token is missing', async () => {
      const res = await request(h.rt.app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.challenge': '42' });
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('42');
    });
  });

  describe('signed POSTs', () => {
    it('refuses a POST without X-Hub-Signature-256 with 401, storing nothing and calling nobody', async () => {
      const psid = 'sec-unsigned';
      const req = h.webhooks.text({ psid, text: 'Đèn đường hỏng ở kiệt 5' });
      await expectRefused(psid, post().set('content-type', 'application/json').send(req.body), 401);
    });

    it('refuses a forged signature with 401', async () => {
      const psid = 'sec-forged';
      const req = h.webhooks.text({ psid, text: 'Đèn đường hỏng ở kiệt 5' });
      const forged = signMessengerBody('not-the-app-secret', req.body);
      await expectRefused(psid, post().set({ 'content-type': 'application/json', 'x-hub-signature-256': forged }).send(req.body), 401);
    });

    it('refuses a request that carries only the legacy SHA-1 X-Hub-Signature, even a correct one', async () => {
      const psid = 'sec-sha1';
      const req = h.webhooks.text({ psid, text: 'Đèn đường hỏng ở kiệt 5' });
      const legacy = sha1Signature(TEST_MESSENGER.appSecret, req.body);
      await expectRefused(psid, post().set({ 'content-type': 'application/json', 'x-hub-signature': legacy }).send(req.body), 401);
    });

    it('refuses a valid signature that was computed over a different body', async () => {
      const psid = 'sec-swapped';
      const signedFor = h.webhooks.text({ psid, text: 'Xin chào' });
      const sent = h.webhooks.text({ psid, text: 'Gửi tiền vào tài khoản này' });
      await expectRefused(psid, post().set(signedFor.headers).send(sent.body), 401);
    });

    it('refuses a body altered by one byte after signing', async () => {
      const psid = 'sec-tampered';
      const req = h.webhooks.text({ psid, text: 'Ổ gà ở đường Lê Lợi' });
      const tampered = req.body.replace('Lê Lợi', 'Lê Lai');
      expect(tampered).not.toBe(req.body);
      await expectRefused(psid, post().set(req.headers).send(tampered), 401);
    });

    it('answers 400 to malformed JSON even when it is correctly signed', async () => {
      const body = '{"object":"page","entry":[{"id":"1234567890",';
      const before = h.graph.calls().length;
      const res = await post()
        .set({ 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(TEST_MESSENGER.appSecret, body) })
        .send(body);
      expect(res.status).toBe(400);
      await h.idle();
      expect(h.graph.calls().length).toBe(before);
    });

    it.each([
      ['an array', '[1,2,3]'],
      ['an object without entry', '{"object":"page"}'],
      ['an envelope whose entry is not a list', '{"object":"page","entry":"nope"}'],
      ['a bare string', '"hello"'],
    ])('answers 400 to valid, signed JSON that is not a webhook envelope (%s)', async (_name, body) => {
      const before = (await h.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_events')).rows[0]!.n;
      const res = await post()
        .set({ 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(TEST_MESSENGER.appSecret, body) })
        .send(body);
      expect(res.status).toBe(400);
      const after = (await h.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_events')).rows[0]!.n;
      expect(after).toBe(before);
    });

    it('answers 413 to a body over 1 MB without storing it', async () => {
      const psid = 'sec-oversized';
      const req = h.webhooks.text({ psid, text: 'x'.repeat(1024 * 1024 + 10) });
      expect(Buffer.byteLength(req.body)).toBeGreaterThan(1024 * 1024);
      await expectRefused(psid, post().set(req.headers).send(req.body), 413);
    });
  });

  describe('event kinds the bot does not act on', () => {
    it.each([
      ['a delivery receipt', (psid: string) => h.webhooks.delivery({ psid, mids: ['m_abc'] })],
      ['a read receipt', (psid: string) => h.webhooks.read({ psid })],
      ['an echo of a Page message', (psid: string) => h.webhooks.echo({ psid, text: 'Cảm ơn bạn đã liên hệ' })],
    ])('acknowledges %s with 200 and sends nothing', async (name, build) => {
      const psid = `sec-kind-${name.replace(/\W+/g, '-')}`;
      const before = h.graph.calls().length;
      const res = await h.postMessenger(build(psid));
      expect(res.status).toBe(200);
      await h.idle();
      expect(h.graph.sentMessages(psid)).toEqual([]);
      expect(h.graph.calls().length).toBe(before);
      expect(await storedFor(psid)).toEqual([]);
    });
  });

  it('stores and handles every event of a batched POST with several entries', async () => {
    const [a, b, c] = ['sec-batch-a', 'sec-batch-b', 'sec-batch-c'];
    const now = Date.now();
    const pageId = h.webhooks.pageId;
    // Entry 1: two events from the same resident in one `messaging` list (Meta does this too).
    const twoInOne = {
      id: pageId,
      time: now,
      messaging: [
        { sender: { id: a }, recipient: { id: pageId }, timestamp: now, postback: { mid: `m_${a}_1`, title: 'Bắt đầu', payload: 'GET_STARTED' } },
        { sender: { id: a }, recipient: { id: pageId }, timestamp: now + 1, message: { mid: `m_${a}_2`, text: 'PA-ZZZZZZ' } },
      ],
    };
    const others = JSON.parse(
      h.webhooks.batch([h.webhooks.postback({ psid: b, payload: 'MY_REPORTS' }), h.webhooks.text({ psid: c, text: 'pa-yyyyyy' })]).body,
    ) as { entry: unknown[] };
    const req = h.webhooks.signRaw(JSON.stringify({ object: 'page', entry: [twoInOne, ...others.entry] }));
    expect(req.json.entry).toHaveLength(3);

    const res = await h.postMessenger(req);
    expect(res.status).toBe(200);
    await h.idle();

    expect(await storedFor(a)).toEqual([{ status: 'done', kind: 'postback' }, { status: 'done', kind: 'message' }]);
    expect(await storedFor(b)).toEqual([{ status: 'done', kind: 'postback' }]);
    expect(await storedFor(c)).toEqual([{ status: 'done', kind: 'message' }]);

    const ta = transcript(h.graph, a).map((m) => m.text);
    expect(ta[0]).toMatch(/Thành phố Huế/);
    expect(ta.at(-1)).toMatch(/Không tìm thấy phản ánh có mã PA-ZZZZZZ/);
    expect(transcript(h.graph, b).map((m) => m.text)).toEqual([expect.stringMatching(/chưa gửi phản ánh nào/)]);
    expect(transcript(h.graph, c).map((m) => m.text)).toEqual([expect.stringMatching(/PA-YYYYYY/)]);
  });
});
