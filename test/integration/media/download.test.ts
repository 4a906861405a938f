// Downloads over a real loopback HTTP server: the transfer behaviour (timeouts, caps, lying
// headers) that matters with real sockets and real fetch, not a mocked one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DomainError } from '../../../src/domain/shared/errors';
import { downloadImage } from '../../../src/media/download';
import * as fx from '../../fixtures/images';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let server: http.Server;
let base: string;
/** The fake platform CDN listens on loopback, which downloads refuse unless it is allowed. */
let allow: string[];
const routes = new Map<string, Handler>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    // one connection per request: a download aborted mid-body leaves nothing for the next test
    res.setHeader('connection', 'close');
    const handler = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  allow = [new URL(base).host];
});

afterEach(() => {
  routes.clear();
  // Connections are not force-closed here: fetch may already hold a fresh one for the next test.
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err: unknown) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the download to fail');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('downloadImage over HTTP', () => {
  it('when the platform serves a photo labelled as HTML, downloads it: the bytes decide, not the header', async () => {
    const png = await fx.png();
    routes.set('/photo', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(png));
    const got = await downloadImage(`${base}/photo?token=abc`, { allow, timeoutMs: 2000, maxBytes: 1_000_000 });
    expect(got.equals(png)).toBe(true);
  });

  it('when a PDF is served as image/jpeg, refuses it as unsupported', async () => {
    routes.set('/fake.jpg', (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(fx.pdfFile()));
    expect((await failure(downloadImage(`${base}/fake.jpg`, { allow, timeoutMs: 2000 }))).code).toBe('photo.unsupported');
  });

  it('when the photo comes through a redirect, follows it', async () => {
    const jpeg = await fx.rotatedJpegWithGps();
    routes.set('/short', (_req, res) => res.writeHead(302, { location: '/real' }).end());
    routes.set('/real', (_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg));
    expect((await downloadImage(`${base}/short`, { allow, timeoutMs: 2000 })).equals(jpeg)).toBe(true);
  });

  it('when the server never sends headers, gives up at the timeout', async () => {
    routes.set('/hang', () => undefined);
    const started = Date.now();
    const err = await failure(downloadImage(`${base}/hang`, { allow, timeoutMs: 200 }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('when a slow server dribbles the photo, the timeout covers the whole transfer', async () => {
    const jpeg = await fx.jpegWithExif({});
    routes.set('/slow', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= jpeg.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(jpeg.subarray(at, at + 64)); // bytes keep coming, so no idle timeout would fire
        at += 64;
      }, 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const err = await failure(downloadImage(`${base}/slow`, { allow, timeoutMs: 300 }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.message).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('when the body never ends, aborts once past the cap and closes the connection', async () => {
    const head = (await fx.jpegWithExif({})).subarray(0, 200);
    let written = 0;
    const closed = new Promise<void>((resolve) => {
      routes.set('/endless', (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/jpeg' }); // chunked, no Content-Length
        res.write(head);
        const chunk = Buffer.alloc(64 * 1024, 0x55);
        const pump = () => {
          while (!res.destroyed && written < 500 * 1024 * 1024) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
        };
        pump();
        res.on('close', () => resolve());
      });
    });
    const maxBytes = 1024 * 1024;
    const err = await failure(downloadImage(`${base}/endless`, { allow, timeoutMs: 10_000, maxBytes }));
    expect(err.code).toBe('photo.too-large');
    await closed; // the client hung up: the server stopped sending
    // what the server managed to push is bounded by the cap plus socket buffers, not by the body
    expect(written).toBeLessThan(maxBytes + 16 * 1024 * 1024);
  });

  it('when the server declares a body over the cap, refuses before the body arrives', async () => {
    routes.set('/huge', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.from([0xff, 0xd8, 0xff])); // then nothing: only the header could tell
    });
    const started = Date.now();
    const err = await failure(downloadImage(`${base}/huge`, { allow, timeoutMs: 5000, maxBytes: 10 * 1024 * 1024 }));
    expect(err.code).toBe('photo.too-large');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('when a real 16 MB photo is sent, refuses it at the default 10 MB cap', async () => {
    const big = await fx.oversizedJpeg();
    routes.set('/big-chunked', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'transfer-encoding': 'chunked' });
      res.end(big);
    });
    expect((await failure(downloadImage(`${base}/big-chunked`, { allow }))).code).toBe('photo.too-large');
  });

  it('when the connection drops mid-photo, the download failed', async () => {
    const jpeg = await fx.jpeg12mp();
    routes.set('/drop', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(jpeg.length) });
      res.write(jpeg.subarray(0, 100_000), () => setTimeout(() => res.destroy(), 20));
    });
    expect((await failure(downloadImage(`${base}/drop`, { allow, timeoutMs: 5000 }))).code).toBe('photo.download-failed');
  });

  it('when the attachment has expired (403/404), the download failed', async () => {
    routes.set('/expired', (_req, res) => res.writeHead(403).end('URL signature expired'));
    const err = await failure(downloadImage(`${base}/expired?oh=SIGNED`, { allow, timeoutMs: 2000 }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.message).not.toContain('SIGNED');
  });

  it('when nothing listens on the port, the download failed', async () => {
    const closedServer = http.createServer();
    await new Promise<void>((r) => closedServer.listen(0, '127.0.0.1', r));
    const port = (closedServer.address() as AddressInfo).port;
    await new Promise((r) => closedServer.close(r));
    await sleep(10);
    expect((await failure(downloadImage(`http://127.0.0.1:${port}/x`, { allow: [`127.0.0.1:${port}`], timeoutMs: 2000 }))).code).toBe('photo.download-failed');
  });
});
