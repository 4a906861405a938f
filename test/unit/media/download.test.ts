import { DomainError } from '../../../src/domain/shared/errors';
import { downloadImage, type ResolveHost } from '../../../src/media/download';
import type { PinnedGet } from '../../../src/media/pinned-get';
import * as fx from '../../fixtures/images';

type GetFn = PinnedGet;

/** cdn.example resolves to a public address (no DNS in unit tests). */
const resolve: ResolveHost = async () => [{ address: '93.184.215.14', family: 4 }];

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err: unknown) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the download to fail');
}

/** A body that produces `chunk` forever and records how much was pulled and whether it was cancelled. */
function endless(chunk: Uint8Array, first?: Uint8Array) {
  const seen = { pulls: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls++;
      controller.enqueue(seen.pulls === 1 && first ? first : chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

const respondWith = (res: Response): jest.MockedFunction<GetFn> =>
  jest.fn<ReturnType<GetFn>, Parameters<GetFn>>(async () => res);

describe('downloadImage', () => {
  it('when the attachment URL serves a photo, returns its bytes whatever Content-Type says', async () => {
    const png = await fx.png();
    const get = respondWith(new Response(new Uint8Array(png), { headers: { 'content-type': 'text/html' } }));
    const got = await downloadImage('https://cdn.example/a.html', { get, resolve, timeoutMs: 1000, maxBytes: 1_000_000 });
    expect(got.equals(png)).toBe(true);
  });

  it.each([
    ['file:///etc/passwd'],
    ['ftp://example.com/photo.jpg'],
    ['data:image/png;base64,iVBORw0KGgo='],
    ['javascript:alert(1)'],
    ['not a url'],
  ])('when the URL is %s, refuses it without fetching', async (url) => {
    const get = jest.fn<ReturnType<GetFn>, Parameters<GetFn>>();
    const err = await failure(downloadImage(url, { get, resolve }));
    expect(err.code).toBe('photo.download-failed');
    expect(get).not.toHaveBeenCalled();
  });

  it('when the server declares a body over the cap, refuses it without reading the body', async () => {
    const { body, seen } = endless(new Uint8Array(1024));
    const get = respondWith(new Response(body, { headers: { 'content-length': String(20 * 1024 * 1024) } }));
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve, maxBytes: 10 * 1024 * 1024 }));
    expect(err.code).toBe('photo.too-large');
    expect(seen.pulls).toBeLessThanOrEqual(1); // a stream may pre-pull once on construction
  });

  it('when the body runs past the cap, stops reading as soon as it is exceeded', async () => {
    const jpegStart = (await fx.jpegWithExif({})).subarray(0, 64 * 1024);
    const { body, seen } = endless(new Uint8Array(64 * 1024), jpegStart);
    const get = respondWith(new Response(body));
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve, maxBytes: 1024 * 1024 }));
    expect(err.code).toBe('photo.too-large');
    expect(seen.cancelled).toBe(true);
    expect(seen.pulls).toBeLessThanOrEqual(1024 / 64 + 3);
  });

  it('when the first bytes are not an image, stops downloading and says unsupported', async () => {
    const { body, seen } = endless(new TextEncoder().encode('%PDF-1.7\n'.repeat(1000)));
    const get = respondWith(new Response(body, { headers: { 'content-type': 'image/jpeg' } }));
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve }));
    expect(err.code).toBe('photo.unsupported');
    expect(seen.cancelled).toBe(true);
    expect(seen.pulls).toBeLessThanOrEqual(3);
  });

  it('when the platform answers 404 or 500, the download failed', async () => {
    for (const status of [404, 500]) {
      const get = respondWith(new Response('gone', { status }));
      const err = await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve }));
      expect(err.code).toBe('photo.download-failed');
      expect(err.message).toContain(`HTTP ${status}`);
    }
  });

  it('when the network fails, the download failed and keeps the cause for the logs', async () => {
    const cause = new TypeError('fetch failed');
    const get = jest.fn<ReturnType<GetFn>, Parameters<GetFn>>(async () => {
      throw cause;
    });
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.cause).toBe(cause);
  });

  it('when the server never answers, gives up at the timeout', async () => {
    const get = jest.fn<ReturnType<GetFn>, Parameters<GetFn>>(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const started = Date.now();
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve, timeoutMs: 50 }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.message).toMatch(/timed out after 50 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when the body is empty, the download failed', async () => {
    const get = respondWith(new Response(new Uint8Array(0)));
    expect((await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve }))).code).toBe('photo.download-failed');
  });

  it('never puts the signed query string of the attachment URL into error messages', async () => {
    const get = respondWith(new Response('no', { status: 403 }));
    const err = await failure(downloadImage('https://cdn.example/p.jpg?oh=SECRET_TOKEN&oe=123', { get, resolve }));
    expect(err.message).not.toContain('SECRET_TOKEN');
    expect(err.message).toContain('cdn.example');
  });

  it('refuses a nonsense cap or timeout with a message naming the fix', async () => {
    await expect(downloadImage('https://cdn.example/p.jpg', { maxBytes: 0 })).rejects.toThrow(/maxBytes must be a positive number/);
    await expect(downloadImage('https://cdn.example/p.jpg', { timeoutMs: Number.NaN })).rejects.toThrow(/timeoutMs/);
  });

  describe('address policy with a scripted resolver', () => {
    const answers = (...addresses: string[]) => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

    it('connects to the address it checked, resolving each host once: a changed DNS answer (rebinding) is never used', async () => {
      const png = await fx.png();
      const dns = jest.fn<ReturnType<ResolveHost>, Parameters<ResolveHost>>()
        .mockResolvedValueOnce(answers('93.184.215.14'))
        .mockResolvedValue(answers('127.0.0.1'));
      const get = respondWith(new Response(new Uint8Array(png)));
      await downloadImage('https://cdn.example/p.png', { get, resolve: dns });
      expect(dns).toHaveBeenCalledTimes(1);
      expect(get.mock.calls[0]![1].address).toEqual({ address: '93.184.215.14', family: 4 });
    });

    it.each([
      ['a private address', ['10.1.2.3']],
      ['the metadata service', ['169.254.169.254']],
      ['loopback among public addresses', ['93.184.215.14', '127.0.0.1']],
      ['IPv6 loopback', ['::1']],
      ['an IPv4-mapped private address', ['::ffff:192.168.1.10']],
      ['a unique local IPv6 address', ['fd00::5']],
    ])('when the name resolves to %s, refuses without connecting', async (_what, addresses) => {
      const get = jest.fn<ReturnType<GetFn>, Parameters<GetFn>>();
      const err = await failure(downloadImage('https://cdn.example/p.jpg?sig=SECRET', { get, resolve: async () => answers(...addresses) }));
      expect(err.code).toBe('photo.download-failed');
      expect(err.message).toContain('cdn.example');
      expect(err.message).toContain('refused');
      expect(err.message).not.toContain('SECRET');
      expect(get).not.toHaveBeenCalled();
    });

    it('checks the host a redirect points to like the first one', async () => {
      const get = respondWith(new Response(null, { status: 302, headers: { location: 'https://internal.example/admin' } }));
      const dns: ResolveHost = async (host) => answers(host === 'internal.example' ? '192.168.0.1' : '93.184.215.14');
      const err = await failure(downloadImage('https://cdn.example/p.jpg', { get, resolve: dns }));
      expect(err.message).toMatch(/internal\.example.*refused/);
      expect(get).toHaveBeenCalledTimes(1);
    });

    it('when the name does not resolve, the download failed and keeps the cause', async () => {
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      const err = await failure(downloadImage('https://cdn.example/p.jpg', { get: jest.fn(), resolve: () => Promise.reject(cause) }));
      expect(err.code).toBe('photo.download-failed');
      expect(err.cause).toBe(cause);
    });

    it('when a host name is allowed, reaches it at its private address', async () => {
      const png = await fx.png();
      const get = respondWith(new Response(new Uint8Array(png)));
      const got = await downloadImage('http://media.internal:8080/p.png', { get, resolve: async () => answers('10.0.0.7'), allow: ['media.internal:8080'] });
      expect(got.equals(png)).toBe(true);
      expect(get.mock.calls[0]![1].address.address).toBe('10.0.0.7');
    });

    it('refuses URLs that carry credentials', async () => {
      const get = jest.fn<ReturnType<GetFn>, Parameters<GetFn>>();
      expect((await failure(downloadImage('https://user:pw@cdn.example/p.jpg', { get, resolve }))).code).toBe('photo.download-failed');
      expect(get).not.toHaveBeenCalled();
    });
  });
});
