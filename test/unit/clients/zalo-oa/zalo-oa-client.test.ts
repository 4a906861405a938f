import { PlatformApiError } from '../../../../src/domain/shared/errors';
import { InMemoryTokenStore, ZaloOaClient, type ZaloOaClientOptions, type ZaloTokenPair } from '../../../../src/clients/zalo-oa';

const OA = '2950471185532601093';
const USER = '5519028374615903382';
const API = 'https://openapi.test';
const OAUTH = 'https://oauth.test';
const T0 = Date.parse('2026-11-22T03:00:00.000Z');
const HOUR = 3_600_000;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

interface SeenRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | FormData | undefined;
  readonly json: unknown;
  readonly form: Record<string, string>;
}

type Answer = unknown | Response;

/** An in-memory stand-in for fetch: records requests, answers with `handler`. No network. */
function scriptedFetch(handler: (r: SeenRequest) => Answer | Promise<Answer>) {
  const requests: SeenRequest[] = [];
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = { ...((init?.headers ?? {}) as Record<string, string>) };
    const body = init?.body as string | FormData | undefined;
    const text = typeof body === 'string' ? body : undefined;
    let json: unknown;
    if (text !== undefined && headers['content-type'] === 'application/json') json = JSON.parse(text);
    const form = text !== undefined && headers['content-type'] === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(text)) : {};
    const r: SeenRequest = { url, method: init?.method ?? 'GET', headers, body, json, form };
    requests.push(r);
    const out = await handler(r);
    return out instanceof Response ? out : Response.json(out);
  }) as typeof fetch;
  return { fetch: f, requests };
}

const isOauth = (r: SeenRequest) => r.url.origin === OAUTH;
const api = (r: SeenRequest) => r.url.origin === API;

function testClock(start = T0) {
  const c = { t: start, sleeps: [] as number[] };
  return { c, now: () => c.t, sleep: async (ms: number) => { c.sleeps.push(ms); c.t += ms; } };
}

function logger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
  return {
    lines,
    warn: (obj: Record<string, unknown>, msg?: string) => lines.push({ level: 'warn', obj, msg }),
    debug: (obj: Record<string, unknown>, msg?: string) => lines.push({ level: 'debug', obj, msg }),
  };
}

/** A refresh answer like Zalo's: top-level fields, expires_in as a string of seconds. */
function rotatingOauth() {
  let n = 0;
  let valid = 'rt-0';
  return {
    get count() {
      return n;
    },
    get valid() {
      return valid;
    },
    answer(r: SeenRequest): unknown {
      if (r.form.refresh_token !== valid) return { error: -14014, error_name: 'Invalid refresh token' };
      n += 1;
      valid = `rt-${n}`;
      return { access_token: `at-${n}`, refresh_token: valid, expires_in: '90000' };
    },
  };
}

const sent = (data: Record<string, unknown> = {}) => ({ error: 0, message: 'Success', data: { message_id: 'mid-1', ...data } });

function makeClient(over: Partial<ZaloOaClientOptions> & Pick<ZaloOaClientOptions, 'fetch' | 'tokenStore'>, clock = testClock()) {
  return new ZaloOaClient({
    appId: 'app-1',
    appSecret: 'app-secret',
    oaId: OA,
    apiUrl: API,
    oauthUrl: OAUTH,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...over,
  });
}

async function storeWith(pair: ZaloTokenPair): Promise<InMemoryTokenStore> {
  const store = new InMemoryTokenStore();
  await store.save(OA, pair);
  return store;
}

const validFor = (ms: number, token = 'at-stored', refresh = 'rt-0'): ZaloTokenPair => ({ accessToken: token, refreshToken: refresh, expiresAt: new Date(T0 + ms) });

describe('ZaloOaClient: tokens', () => {
  it('sends the access token in the access_token header (never Authorization) and the cs payload Zalo expects', async () => {
    const { fetch, requests } = scriptedFetch(() => sent());
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)) });
    await expect(client.sendText(USER, 'Xin chào')).resolves.toEqual(['mid-1']);
    expect(requests).toHaveLength(1);
    const r = requests[0]!;
    expect(`${r.method} ${r.url.pathname}`).toBe('POST /v3.0/oa/message/cs');
    expect(r.headers.access_token).toBe('at-stored');
    expect(r.headers.authorization).toBeUndefined();
    expect(r.json).toEqual({ recipient: { user_id: USER }, message: { text: 'Xin chào' } });
  });

  it('refreshes when less than an hour is left, stores the new pair, then sends with it', async () => {
    const oauth = rotatingOauth();
    const { fetch, requests } = scriptedFetch((r) => (isOauth(r) ? oauth.answer(r) : sent()));
    const store = await storeWith(validFor(30 * 60_000));
    const client = makeClient({ fetch, tokenStore: store });
    await client.sendText(USER, 'Chào bạn');
    expect(requests.map((r) => r.url.pathname)).toEqual(['/v4/oa/access_token', '/v3.0/oa/message/cs']);
    const refresh = requests[0]!;
    expect(refresh.headers.secret_key).toBe('app-secret');
    expect(refresh.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(refresh.form).toEqual({ refresh_token: 'rt-0', app_id: 'app-1', grant_type: 'refresh_token' });
    expect(requests[1]!.headers.access_token).toBe('at-1');
    expect(await store.load(OA)).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: new Date(T0 + 90_000_000) });
  });

  it('does not refresh while more than an hour is left', async () => {
    const { fetch, requests } = scriptedFetch(() => sent());
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(2 * HOUR)) });
    await client.sendText(USER, 'a');
    expect(requests.filter(isOauth)).toHaveLength(0);
  });

  it('with an empty store, seeds from the configured refresh token', async () => {
    const oauth = rotatingOauth();
    const { fetch, requests } = scriptedFetch((r) => (isOauth(r) ? oauth.answer(r) : sent()));
    const store = new InMemoryTokenStore();
    const client = makeClient({ fetch, tokenStore: store, initialRefreshToken: 'rt-0' });
    await client.sendText(USER, 'a');
    expect(requests.map((r) => r.url.pathname)).toEqual(['/v4/oa/access_token', '/v3.0/oa/message/cs']);
    expect((await store.load(OA))?.refreshToken).toBe('rt-1');
  });

  it('uses a configured access token of unknown expiry until Zalo refuses it, then refreshes once and retries', async () => {
    const oauth = rotatingOauth();
    let refusals = 0;
    const { fetch, requests } = scriptedFetch((r) => {
      if (isOauth(r)) return oauth.answer(r);
      if (r.headers.access_token === 'at-seed' && refusals++ >= 1) return { error: -216, message: 'Access token is invalid' };
      return sent();
    });
    const client = makeClient({ fetch, tokenStore: new InMemoryTokenStore(), initialRefreshToken: 'rt-0', initialAccessToken: 'at-seed' });
    await client.sendText(USER, 'first');
    await client.sendText(USER, 'second');
    expect(requests.map((r) => `${r.url.pathname} ${r.headers.access_token ?? ''}`.trim())).toEqual([
      '/v3.0/oa/message/cs at-seed',
      '/v3.0/oa/message/cs at-seed',
      '/v4/oa/access_token',
      '/v3.0/oa/message/cs at-1',
    ]);
  });

  it('a stored pair wins over the configured seed (refresh tokens are single-use)', async () => {
    const { fetch, requests } = scriptedFetch(() => sent());
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)), initialAccessToken: 'at-seed', initialRefreshToken: 'rt-seed' });
    await client.sendText(USER, 'a');
    expect(requests[0]!.headers.access_token).toBe('at-stored');
  });

  it('ten concurrent sends that all find an expired token cause exactly one refresh, and all ten go out', async () => {
    const oauth = rotatingOauth();
    const { fetch, requests } = scriptedFetch(async (r) => {
      await new Promise((resolve) => setImmediate(resolve)); // let the other callers pile up
      return isOauth(r) ? oauth.answer(r) : sent({ message_id: `mid-${requests.length}` });
    });
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(-HOUR)) });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => client.sendText(USER, `tin ${i}`)));
    expect(oauth.count).toBe(1);
    expect(results.flat()).toHaveLength(10);
    expect(requests.filter(api).every((r) => r.headers.access_token === 'at-1')).toBe(true);
  });

  it('two clients sharing one store (two processes) also refresh only once', async () => {
    const oauth = rotatingOauth();
    const { fetch, requests } = scriptedFetch(async (r) => {
      await new Promise((resolve) => setImmediate(resolve));
      return isOauth(r) ? oauth.answer(r) : sent();
    });
    const store = await storeWith(validFor(-HOUR));
    const a = makeClient({ fetch, tokenStore: store });
    const b = makeClient({ fetch, tokenStore: store });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).sendText(USER, `tin ${i}`)));
    expect(oauth.count).toBe(1);
    expect(requests.filter(api)).toHaveLength(10);
    await expect(store.refreshCount(OA)).resolves.toBe(1);
  });

  it('on -216 refreshes once and retries once; if the new token is refused too, the error surfaces', async () => {
    const oauth = rotatingOauth();
    const { fetch, requests } = scriptedFetch((r) => (isOauth(r) ? oauth.answer(r) : { error: -216, message: 'Access token is invalid' }));
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)) });
    const err = await client.sendText(USER, 'a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformApiError);
    expect(err).toMatchObject({ code: '-216', action: 'refresh' });
    expect(requests.map((r) => r.url.pathname)).toEqual(['/v3.0/oa/message/cs', '/v4/oa/access_token', '/v3.0/oa/message/cs']);
  });

  it('when Zalo refuses the refresh token, gives up with a message asking a human to re-authorise, without the token in it', async () => {
    const { fetch } = scriptedFetch((r) => (isOauth(r) ? { error: -14014, error_name: 'Invalid refresh token' } : sent()));
    const log = logger();
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(-HOUR, 'at-old', 'rt-secret-value')), logger: log });
    const err = await client.sendText(USER, 'a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformApiError);
    expect(err).toMatchObject({ action: 'give-up', method: 'refreshAccessToken' });
    expect((err as Error).message).toMatch(/re-authorise/);
    expect((err as Error).message).not.toContain('rt-secret-value');
    expect(JSON.stringify(log.lines)).not.toContain('rt-secret');
  });

  it('a refresh answer without access_token is a give-up too', async () => {
    const { fetch } = scriptedFetch((r) => (isOauth(r) ? { refresh_token: 'x', expires_in: '90000' } : sent()));
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(-HOUR)) });
    await expect(client.sendText(USER, 'a')).rejects.toMatchObject({ action: 'give-up', message: expect.stringMatching(/re-authorise/) });
  });

  it('after the stored refresh token is refused, tries a different configured ZALO_REFRESH_TOKEN (a human re-authorised)', async () => {
    const { fetch } = scriptedFetch((r) => {
      if (!isOauth(r)) return sent();
      return r.form.refresh_token === 'rt-new-from-admin' ? { access_token: 'at-9', refresh_token: 'rt-9', expires_in: '90000' } : { error: -14014 };
    });
    const store = await storeWith(validFor(-HOUR, 'at-old', 'rt-dead'));
    const client = makeClient({ fetch, tokenStore: store, initialRefreshToken: 'rt-new-from-admin' });
    await client.sendText(USER, 'a');
    expect((await store.load(OA))?.refreshToken).toBe('rt-9');
  });

  it('if a refresh before expiry fails, keeps using the still-valid token and warns', async () => {
    const { fetch, requests } = scriptedFetch((r) => (isOauth(r) ? new Response('bad gateway', { status: 502 }) : sent()));
    const log = logger();
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(10 * 60_000)), logger: log, retry: { maxAttempts: 1 } });
    await expect(client.sendText(USER, 'a')).resolves.toEqual(['mid-1']);
    expect(requests.filter(api)[0]!.headers.access_token).toBe('at-stored');
    expect(log.lines.some((l) => l.level === 'warn')).toBe(true);
  });
});

describe('ZaloOaClient: failures and retries', () => {
  it('retries a rate-limited call (-32) after waiting for the next minute', async () => {
    let n = 0;
    const { fetch, requests } = scriptedFetch(() =>
      n++ === 0
        ? new Response(JSON.stringify({ error: -32, message: 'limit' }), { headers: { 'x-ratelimit-remain': '0', 'content-type': 'application/json' } })
        : sent(),
    );
    const clock = testClock(T0 + 40_000); // 03:00:40 → next minute in 20 s
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)) }, clock);
    await expect(client.sendText(USER, 'a')).resolves.toEqual(['mid-1']);
    expect(requests).toHaveLength(2);
    const waited = clock.c.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(20_000);
    expect(waited).toBeLessThan(22_000);
  });

  it('retries transient server errors with growing back-off, a bounded number of times', async () => {
    const { fetch, requests } = scriptedFetch(() => new Response('oops', { status: 503 }));
    const clock = testClock();
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)), retry: { maxAttempts: 4, baseDelayMs: 1000 } }, clock);
    await expect(client.getUserDetail(USER)).rejects.toMatchObject({ action: 'retry', code: 'http-503' });
    expect(requests).toHaveLength(4);
    expect(clock.c.sleeps).toEqual([750, 3000, 12_000]); // ×4 growth, jitter fixed at 0.5
  });

  it('retries a send that may already have reached Zalo (HTTP 500) only once, warning of a possible duplicate', async () => {
    const { fetch, requests } = scriptedFetch(() => new Response('oops', { status: 500 }));
    const log = logger();
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)), logger: log });
    await expect(client.sendText(USER, 'a')).rejects.toMatchObject({ action: 'retry' });
    expect(requests).toHaveLength(2);
    expect(log.lines.some((l) => l.level === 'warn' && /duplicate/.test(l.msg ?? ''))).toBe(true);
  });

  it('a send that certainly did not leave (connection refused) uses the whole retry budget', async () => {
    const { fetch, requests } = scriptedFetch(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    });
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)), retry: { maxAttempts: 3 } });
    await expect(client.sendText(USER, 'a')).rejects.toMatchObject({ action: 'retry', code: 'network' });
    expect(requests).toHaveLength(3);
  });

  it.each([
    [-230, 'window-closed'],
    [-213, 'window-closed'],
    [-201, 'give-up'],
    [-234, 'reschedule'],
  ])('an in-body error %i (HTTP 200) surfaces as %s without retrying', async (code, action) => {
    const { fetch, requests } = scriptedFetch(() => ({ error: code, message: 'refused' }));
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)) });
    await expect(client.sendText(USER, 'a')).rejects.toMatchObject({ platform: 'zalo', code: String(code), action, status: 200 });
    expect(requests).toHaveLength(1);
  });

  it('the night-time refusal carries retryAt = next 06:00 Vietnam time', async () => {
    const { fetch } = scriptedFetch(() => ({ error: -234, message: 'night' }));
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)) }); // T0 = 10:00 local
    const err = (await client.sendText(USER, 'a').catch((e: unknown) => e)) as PlatformApiError;
    expect(err.retryAt?.toISOString()).toBe('2026-11-22T23:00:00.000Z');
  });

  it('holds requests back to the configured requests-per-minute', async () => {
    const { fetch } = scriptedFetch(() => sent());
    const clock = testClock();
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)), requestsPerMinute: 6 }, clock);
    for (let i = 0; i < 3; i += 1) await client.sendText(USER, `tin ${i}`);
    expect(clock.c.sleeps).toEqual([10_000, 10_000]);
  });

  it('pauses until the next minute when Zalo reports X-RateLimit-Remain: 0 on a success', async () => {
    const { fetch } = scriptedFetch(
      () => new Response(JSON.stringify(sent()), { headers: { 'x-ratelimit-remain': '0', 'content-type': 'application/json' } }),
    );
    const clock = testClock(T0 + 45_000);
    const client = makeClient({ fetch, tokenStore: await storeWith(validFor(20 * HOUR)) }, clock);
    await client.sendText(USER, 'a');
    expect(clock.c.sleeps).toEqual([]);
    await client.sendText(USER, 'b');
    expect(clock.c.t).toBe(T0 + 60_000);
  });
});

describe('ZaloOaClient: calls', () => {
  async function recording(answer: (r: SeenRequest) => Answer = () => sent()) {
    const s = scriptedFetch(answer);
    const client = makeClient({ fetch: s.fetch, tokenStore: await storeWith(validFor(20 * HOUR)) });
    return { client, requests: s.requests };
  }

  it('splits a long text into several messages of at most 2,000 characters and returns every id in order', async () => {
    let n = 0;
    const { client, requests } = await recording(() => sent({ message_id: `mid-${++n}` }));
    const long = Array.from({ length: 100 }, (_, i) => `Câu số ${i} nói về thủ tục hành chính ở phường.`).join(' ');
    const ids = await client.sendText(USER, long);
    expect(ids).toEqual(['mid-1', 'mid-2', 'mid-3']);
    const texts = requests.map((r) => (r.json as { message: { text: string } }).message.text);
    expect(texts.every((t) => t.length <= 2000)).toBe(true);
    expect(texts.join(' ')).toBe(long);
  });

  it('refuses an empty text locally', async () => {
    const { client, requests } = await recording();
    await expect(client.sendText(USER, '   ')).rejects.toMatchObject({ action: 'give-up', code: 'local-empty-text' });
    expect(requests).toHaveLength(0);
  });

  it('sends an image by URL or by attachment id in a media template, with the caption in message.text', async () => {
    const { client, requests } = await recording();
    await client.sendImage(USER, { url: 'https://cdn.test/a.jpg' }, 'Ảnh hiện trường');
    await client.sendImage(USER, { attachmentId: 'att-1' });
    expect(requests[0]!.json).toEqual({
      recipient: { user_id: USER },
      message: {
        text: 'Ảnh hiện trường',
        attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://cdn.test/a.jpg' }] } },
      },
    });
    expect(requests[1]!.json).toEqual({
      recipient: { user_id: USER },
      message: { attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: 'att-1' }] } } },
    });
  });

  it('uploads a JPG as multipart field "file" and returns the attachment id', async () => {
    const { client, requests } = await recording(() => ({ error: 0, data: { attachment_id: 'att-42' } }));
    await expect(client.uploadImage(JPEG, 'photo.jpg', 'image/jpeg')).resolves.toBe('att-42');
    const r = requests[0]!;
    expect(`${r.method} ${r.url.pathname}`).toBe('POST /v2.0/oa/upload/image');
    expect(r.body).toBeInstanceOf(FormData);
    const file = (r.body as FormData).get('file') as File;
    expect(file.name).toBe('photo.jpg');
    expect(file.type).toBe('image/jpeg');
    expect(file.size).toBe(JPEG.length);
  });

  it('refuses locally an image over 1 MB, or one that is not JPG/PNG, without calling Zalo', async () => {
    const { client, requests } = await recording();
    const big = Buffer.concat([JPEG, Buffer.alloc(1_000_001)]);
    await expect(client.uploadImage(big, 'big.jpg', 'image/jpeg')).rejects.toMatchObject({ action: 'give-up', code: 'local-image-too-large' });
    const gif = Buffer.from('GIF89a....');
    await expect(client.uploadImage(gif, 'a.gif', 'image/gif')).rejects.toMatchObject({ code: 'local-image-type' });
    await expect(client.uploadImage(gif, 'a.jpg', 'image/jpeg')).rejects.toMatchObject({ code: 'local-image-type' });
    expect(requests).toHaveLength(0);
  });

  it('sends a list template with elements, default actions and buttons in Zalo wire form', async () => {
    const { client, requests } = await recording();
    await client.sendList(USER, {
      text: 'Bạn cần hỏi về thủ tục nào?',
      elements: [
        { title: 'Khai sinh', subtitle: 'Đăng ký khai sinh', imageUrl: 'https://cdn.test/ks.png', defaultAction: { type: 'oa.query.show', payload: '#faq_khai_sinh' } },
        { title: 'Cổng dịch vụ công', defaultAction: { type: 'oa.open.url', url: 'https://dichvucong.gov.vn' } },
      ],
      buttons: [
        { title: 'Phản ánh', type: 'oa.query.hide', payload: '#report' },
        { title: 'Website', type: 'oa.open.url', payload: 'https://hue.gov.vn' },
        { title: 'Gọi tổng đài', type: 'oa.open.phone', payload: '842343822222' },
      ],
    });
    expect((requests[0]!.json as { message: unknown }).message).toEqual({
      text: 'Bạn cần hỏi về thủ tục nào?',
      attachment: {
        type: 'template',
        payload: {
          template_type: 'list',
          elements: [
            { title: 'Khai sinh', subtitle: 'Đăng ký khai sinh', image_url: 'https://cdn.test/ks.png', default_action: { type: 'oa.query.show', payload: '#faq_khai_sinh' } },
            { title: 'Cổng dịch vụ công', default_action: { type: 'oa.open.url', url: 'https://dichvucong.gov.vn' } },
          ],
          buttons: [
            { title: 'Phản ánh', type: 'oa.query.hide', payload: '#report' },
            { title: 'Website', type: 'oa.open.url', payload: { url: 'https://hue.gov.vn' } },
            { title: 'Gọi tổng đài', type: 'oa.open.phone', payload: { phone_code: '842343822222' } },
          ],
        },
      },
    });
  });

  it('refuses locally a list with more than 5 elements or buttons', async () => {
    const { client, requests } = await recording();
    const el = { title: 'x' };
    await expect(client.sendList(USER, { elements: Array(6).fill(el), buttons: [] })).rejects.toMatchObject({ code: 'local-list-elements' });
    const b = { title: 'b', type: 'oa.query.show' as const, payload: 'p' };
    await expect(client.sendList(USER, { elements: [el], buttons: Array(6).fill(b) })).rejects.toMatchObject({ code: 'local-list-buttons' });
    expect(requests).toHaveLength(0);
  });

  it('asks for the resident’s contact details with a request_user_info template', async () => {
    const { client, requests } = await recording();
    await client.sendRequestUserInfo(USER, { title: 'UBND Phường Phú Hội', subtitle: 'Xin số điện thoại để liên hệ', imageUrl: 'https://cdn.test/logo.png' });
    expect((requests[0]!.json as { message: unknown }).message).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'request_user_info',
          elements: [{ title: 'UBND Phường Phú Hội', subtitle: 'Xin số điện thoại để liên hệ', image_url: 'https://cdn.test/logo.png' }],
        },
      },
    });
  });

  it('reads a user profile through ?data={"user_id":…}, keeping ids as strings', async () => {
    const { client, requests } = await recording(() => ({
      error: 0,
      data: {
        user_id: USER,
        user_id_by_app: '8823016655104398214',
        display_name: 'Ngọc',
        user_is_follower: true,
        user_last_interaction_date: '22/11/2026',
        shared_info: { phone: '84903123456', city: 'Huế', address: null },
        unexpected: { nested: true },
      },
    }));
    const d = await client.getUserDetail(USER);
    expect(requests[0]!.url.searchParams.get('data')).toBe(`{"user_id":"${USER}"}`);
    expect(requests[0]!.method).toBe('GET');
    expect(d).toMatchObject({ userId: USER, userIdByApp: '8823016655104398214', displayName: 'Ngọc', isFollower: true, lastInteractionDate: '22/11/2026' });
    expect(d.sharedInfo).toEqual({ phone: '84903123456', city: 'Huế' });
  });

  it('reads the last interaction time from the quota endpoint (epoch ms string), or null when absent', async () => {
    let answer: unknown = { error: 0, data: { last_interaction: '1763798412345' } };
    const { client, requests } = await recording(() => answer);
    await expect(client.getUserQuota(USER)).resolves.toMatchObject({ lastInteraction: new Date(1763798412345) });
    expect(requests[0]!.json).toEqual({ user_id: USER });
    expect(requests[0]!.url.pathname).toBe('/v3.0/oa/quota/message');
    answer = { error: 0, data: {} };
    await expect(client.getUserQuota(USER)).resolves.toMatchObject({ lastInteraction: null });
  });

  it('sends a ZBS template by user id with a flat user_id', async () => {
    const { client, requests } = await recording(() => ({ error: 0, data: { message_id: 'zbs-1' } }));
    const id = await client.sendTemplateByUserId(USER, '7895417a7d3f9461cd2e', { ma_phan_anh: 'PA-2026-00123', ket_qua: 'Đã sửa đèn đường' });
    expect(id).toBe('zbs-1');
    expect(requests[0]!.url.pathname).toBe('/v3.0/oa/message/template');
    expect(requests[0]!.json).toEqual({ user_id: USER, template_id: '7895417a7d3f9461cd2e', template_data: { ma_phan_anh: 'PA-2026-00123', ket_qua: 'Đã sửa đèn đường' } });
  });

  it('names the missing setting when constructed without credentials', () => {
    expect(() => new ZaloOaClient({ appId: '', appSecret: 's', oaId: OA, tokenStore: new InMemoryTokenStore() })).toThrow(/appId is empty/);
  });
});
