import { FAKE_SECRETS } from '../../../dev/fake-credentials';
import { FakeZaloApi } from '../../../dev/fakes/fake-zalo-api';

const USER = '5519028374615903382';
const DAY = 24 * 60 * 60 * 1000;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 2)]);

/** The fake must behave like Zalo for the client tests to mean anything; these talk to it raw. */
describe('FakeZaloApi behaves like Zalo where the bot depends on it', () => {
  const fake = new FakeZaloApi();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function refresh(refreshToken: string, secret: string = FAKE_SECRETS.zaloAppSecret) {
    const res = await fetch(`${fake.url}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: secret },
      body: new URLSearchParams({ refresh_token: refreshToken, app_id: FAKE_SECRETS.zaloAppId, grant_type: 'refresh_token' }).toString(),
    });
    return (await res.json()) as Record<string, unknown>;
  }

  async function token(): Promise<string> {
    const r = await refresh(fake.currentRefreshToken);
    return r.access_token as string;
  }

  async function post(path: string, body: unknown, accessToken: string) {
    const res = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', access_token: accessToken }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { error: number; message?: string; data?: Record<string, unknown> } };
  }

  it('rotates refresh tokens: each refresh returns a new pair with expires_in as a string, and the old refresh token is dead', async () => {
    const first = await refresh(FAKE_SECRETS.zaloRefreshToken);
    expect(first).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: '90000' });
    const reused = await refresh(FAKE_SECRETS.zaloRefreshToken);
    expect(reused.error).not.toBe(0);
    expect(reused.access_token).toBeUndefined();
    const second = await refresh(first.refresh_token as string);
    expect(second.access_token).not.toBe(first.access_token);
    expect(fake.refreshCalls).toBe(2);
    expect(fake.refreshAttempts).toBe(3);
  });

  it('refuses a refresh signed with the wrong app secret', async () => {
    expect((await refresh(FAKE_SECRETS.zaloRefreshToken, 'wrong')).error).not.toBe(0);
    expect(fake.refreshCalls).toBe(0);
  });

  it('answers -216 (HTTP 200) to a missing, old or expired access token', async () => {
    const old = await token();
    const current = await token();
    const body = { recipient: { user_id: USER }, message: { text: 'a' } };
    expect((await post('/v3.0/oa/message/cs', body, old)).json.error).toBe(-216);
    expect((await post('/v3.0/oa/message/cs', body, current)).json.error).toBe(0);
    fake.expireAccessToken();
    const r = await post('/v3.0/oa/message/cs', body, current);
    expect(r.status).toBe(200);
    expect(r.json.error).toBe(-216);
  });

  it('refuses a text over 2,000 characters with -210', async () => {
    const at = await token();
    const r = await post('/v3.0/oa/message/cs', { recipient: { user_id: USER }, message: { text: 'a'.repeat(2001) } }, at);
    expect(r.json.error).toBe(-210);
    expect(fake.sentMessages()).toHaveLength(0);
  });

  it('caps list templates at 5 elements and 5 buttons', async () => {
    const at = await token();
    const list = (elements: number, buttons: number) => ({
      recipient: { user_id: USER },
      message: {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'list',
            elements: Array.from({ length: elements }, (_, i) => ({ title: `e${i}` })),
            buttons: Array.from({ length: buttons }, (_, i) => ({ title: `b${i}`, type: 'oa.query.show', payload: `#${i}` })),
          },
        },
      },
    });
    expect((await post('/v3.0/oa/message/cs', list(5, 5), at)).json.error).toBe(0);
    expect((await post('/v3.0/oa/message/cs', list(6, 1), at)).json.error).toBe(-210);
    expect((await post('/v3.0/oa/message/cs', list(1, 6), at)).json.error).toBe(-210);
  });

  it('enforces the 7-day window for users it knows; unknown users pass unless strictWindow', async () => {
    const at = await token();
    const send = (user: string) => post('/v3.0/oa/message/cs', { recipient: { user_id: user }, message: { text: 'a' } }, at);
    fake.userInteracted('recent', Date.now() - 6 * DAY);
    fake.userInteracted('stale', new Date(Date.now() - 8 * DAY));
    expect((await send('recent')).json.error).toBe(0);
    expect((await send('stale')).json.error).toBe(-230);
    expect((await send('never-seen')).json.error).toBe(0);

    const strict = new FakeZaloApi({ strictWindow: true });
    await strict.start();
    try {
      const r = await fetch(`${strict.url}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: FAKE_SECRETS.zaloAppSecret },
        body: new URLSearchParams({ refresh_token: strict.currentRefreshToken, app_id: FAKE_SECRETS.zaloAppId, grant_type: 'refresh_token' }).toString(),
      });
      const strictToken = ((await r.json()) as { access_token: string }).access_token;
      const res = await fetch(`${strict.url}/v3.0/oa/message/cs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: strictToken },
        body: JSON.stringify({ recipient: { user_id: 'never-seen' }, message: { text: 'a' } }),
      });
      expect(((await res.json()) as { error: number }).error).toBe(-230);
    } finally {
      await strict.stop();
    }
  });

  it('accepts JPG/PNG uploads up to 1 MB only', async () => {
    const at = await token();
    const upload = async (bytes: Buffer, type: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'x');
      const res = await fetch(`${fake.url}/v2.0/oa/upload/image`, { method: 'POST', headers: { access_token: at }, body: form });
      return (await res.json()) as { error: number; data?: { attachment_id: string } };
    };
    expect((await upload(PNG, 'image/png')).data?.attachment_id).toEqual(expect.any(String));
    expect((await upload(Buffer.concat([PNG, Buffer.alloc(1_000_000)]), 'image/png')).error).toBe(-210);
    expect((await upload(Buffer.from('GIF89a'), 'image/gif')).error).toBe(-201);
  });

  it('fails on demand, once per request, and a rejected template waits for a list', async () => {
    const at = await token();
    const text = { recipient: { user_id: USER }, message: { text: 'a' } };
    fake.failNext('server');
    fake.failNext('rate-limit');
    fake.failNext('window');
    fake.failNext('reject-template');
    fake.failNext('invalid-token');
    expect((await post('/v3.0/oa/message/cs', text, at)).status).toBe(500);
    const limited = await fetch(`${fake.url}/v3.0/oa/message/cs`, { method: 'POST', headers: { 'content-type': 'application/json', access_token: at }, body: JSON.stringify(text) });
    expect(limited.headers.get('x-ratelimit-remain')).toBe('0');
    expect(((await limited.json()) as { error: number }).error).toBe(-32);
    expect((await post('/v3.0/oa/message/cs', text, at)).json.error).toBe(-230);
    expect((await post('/v3.0/oa/message/cs', text, at)).json.error).toBe(-216);
    expect((await post('/v3.0/oa/message/cs', text, at)).json.error).toBe(0);
    const list = { recipient: { user_id: USER }, message: { attachment: { type: 'template', payload: { template_type: 'list', elements: [{ title: 'x' }] } } } };
    expect((await post('/v3.0/oa/message/cs', list, at)).json.error).toBe(-233);
    expect((await post('/v3.0/oa/message/cs', list, at)).json.error).toBe(0);
  });

  it('serves hosted files like a CDN so webhooks can carry image URLs', async () => {
    const url = fake.hostFile(PNG, 'image/png');
    const res = await fetch(url);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect(fake.calls()).toHaveLength(0); // CDN downloads are not API calls
  });

  it('records calls with the token apart from the headers, and filters them by path', async () => {
    const at = await token();
    await post('/v3.0/oa/message/cs', { recipient: { user_id: USER }, message: { text: 'xin chào' } }, at);
    const [send] = fake.calls('/message/cs');
    expect(send).toMatchObject({ method: 'POST', path: '/v3.0/oa/message/cs', token: at, body: { message: { text: 'xin chào' } } });
    expect(send!.headers.access_token).toBeUndefined();
    expect(fake.calls(/access_token$/)).toHaveLength(1);
    expect(fake.sentMessages(USER)).toEqual([expect.objectContaining({ userId: USER, message: { text: 'xin chào' } })]);
    fake.reset();
    expect(fake.calls()).toHaveLength(0);
    expect(fake.currentRefreshToken).toBe(FAKE_SECRETS.zaloRefreshToken);
  });
});
