import { DomainError } from '../../../src/domain/shared/errors';
import { downloadImage } from '../../../src/media/download';
import * as fx from '../../fixtures/images';

type FetchFn = typeof globalThis.fetch;

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

const respondWith = (res: Response): jest.MockedFunction<FetchFn> =>
  jest.fn<ReturnType<FetchFn>, Parameters<FetchFn>>(async () => res);

describe('downloadImage', () => {
  it('when the attachment URL serves a photo, returns its bytes whatever Content-Type says', async () => {
    const png = await fx.png();
    const fetch = respondWith(new Response(new Uint8Array(png), { headers: { 'content-type': 'text/html' } }));
    const got = await downloadImage('https://cdn.example/a.html', { fetch, timeoutMs: 1000, maxBytes: 1_000_000 });
    expect(got.equals(png)).toBe(true);
  });

  it.each([
    ['file:///etc/passwd'],
    ['ftp://example.com/photo.jpg'],
    ['data:image/png;base64,iVBORw0KGgo='],
    ['javascript:alert(1)'],
    ['not a url'],
  ])('when the URL is %s, refuses it without fetching', async (url) => {
    const fetch = jest.fn<ReturnType<FetchFn>, Parameters<FetchFn>>();
    const err = await failure(downloadImage(url, { fetch }));
    expect(err.code).toBe('photo.download-failed');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('when the server declares a body over the cap, refuses it without reading the body', async () => {
    const { body, seen } = endless(new Uint8Array(1024));
    const fetch = respondWith(new Response(body, { headers: { 'content-length': String(20 * 1024 * 1024) } }));
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { fetch, maxBytes: 10 * 1024 * 1024 }));
    expect(err.code).toBe('photo.too-large');
    expect(seen.pulls).toBeLessThanOrEqual(1); // a stream may pre-pull once on construction
  });

  it('when the body runs past the cap, stops reading as soon as it is exceeded', async () => {
    const jpegStart = (await fx.jpegWithExif({})).subarray(0, 64 * 1024);
    const { body, seen } = endless(new Uint8Array(64 * 1024), jpegStart);
    const fetch = respondWith(new Response(body));
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { fetch, maxBytes: 1024 * 1024 }));
    expect(err.code).toBe('photo.too-large');
    expect(seen.cancelled).toBe(true);
    expect(seen.pulls).toBeLessThanOrEqual(1024 / 64 + 3);
  });

  it('when the first bytes are not an image, stops downloading and says unsupported', async () => {
    const { body, seen } = endless(new TextEncoder().encode('%PDF-1.7\n'.repeat(1000)));
    const fetch = respondWith(new Response(body, { headers: { 'content-type': 'image/jpeg' } }));
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { fetch }));
    expect(err.code).toBe('photo.unsupported');
    expect(seen.cancelled).toBe(true);
    expect(seen.pulls).toBeLessThanOrEqual(3);
  });

  it('when the platform answers 404 or 500, the download failed', async () => {
    for (const status of [404, 500]) {
      const fetch = respondWith(new Response('gone', { status }));
      const err = await failure(downloadImage('https://cdn.example/p.jpg', { fetch }));
      expect(err.code).toBe('photo.download-failed');
      expect(err.message).toContain(`HTTP ${status}`);
    }
  });

  it('when the network fails, the download failed and keeps the cause for the logs', async () => {
    const cause = new TypeError('fetch failed');
    const fetch = jest.fn<ReturnType<FetchFn>, Parameters<FetchFn>>(async () => {
      throw cause;
    });
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { fetch }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.cause).toBe(cause);
  });

  it('when the server never answers, gives up at the timeout', async () => {
    const fetch = jest.fn<ReturnType<FetchFn>, Parameters<FetchFn>>(
      (_url, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    );
    const started = Date.now();
    const err = await failure(downloadImage('https://cdn.example/p.jpg', { fetch, timeoutMs: 50 }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.message).toMatch(/timed out after 50 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when the body is empty, the download failed', async () => {
    const fetch = respondWith(new Response(new Uint8Array(0)));
    expect((await failure(downloadImage('https://cdn.example/p.jpg', { fetch }))).code).toBe('photo.download-failed');
  });

  it('never puts the signed query string of the attachment URL into error messages', async () => {
    const fetch = respondWith(new Response('no', { status: 403 }));
    const err = await failure(downloadImage('https://cdn.example/p.jpg?oh=SECRET_TOKEN&oe=123', { fetch }));
    expect(err.message).not.toContain('SECRET_TOKEN');
    expect(err.message).toContain('cdn.example');
  });

  it('refuses a nonsense cap or timeout with a message naming the fix', async () => {
    await expect(downloadImage('https://cdn.example/p.jpg', { maxBytes: 0 })).rejects.toThrow(/maxBytes must be a positive number/);
    await expect(downloadImage('https://cdn.example/p.jpg', { timeoutMs: Number.NaN })).rejects.toThrow(/timeoutMs/);
  });
});
