// A forged attachment URL (or a CDN that redirects) must not make the bot fetch from our own
// network: loopback, private ranges, the cloud metadata service, in any spelling. Real HTTP
// servers on loopback play the attacker's CDN and the internal service it aims at.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { DomainError } from '../../../src/domain/shared/errors';
import { downloadImage, type ResolveHost } from '../../../src/media/download';
import * as fx from '../../fixtures/images';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    res.setHeader('connection', 'close');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** The internal service: records every request it gets, answers with a valid image so a leak would "work". */
let internal: { server: http.Server; port: number };
const internalHits: string[] = [];
/** The attacker's CDN, on loopback too, but allowed like a platform fake would be. */
let cdn: { server: http.Server; port: number };
const routes = new Map<string, Handler>();
const cdnHits: Array<{ path: string; host: string | undefined }> = [];
let png: Buffer;
let allow: string[];

beforeAll(async () => {
  png = await fx.png();
  internal = await listen((req, res) => {
    internalHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  });
  cdn = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    cdnHits.push({ path, host: req.headers.host });
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  allow = [`127.0.0.1:${cdn.port}`];
});

afterEach(() => {
  routes.clear();
  internalHits.length = 0;
  cdnHits.length = 0;
});

afterAll(async () => {
  for (const s of [internal.server, cdn.server]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
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

const redirectTo = (location: string): Handler => (_req, res) => res.writeHead(302, { location }).end();
const cdnUrl = (path: string) => `http://127.0.0.1:${cdn.port}${path}?oh=SIGNED_TOKEN`;

describe('photo downloads refuse internal addresses', () => {
  it('when the allowed CDN serves the photo, downloads it', async () => {
    routes.set('/photo', (_req, res) => res.writeHead(200).end(png));
    expect((await downloadImage(cdnUrl('/photo'), { allow, timeoutMs: 5000 })).equals(png)).toBe(true);
  });

  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${internal.port}/admin`, /loopback/],
    ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data/iam/', /metadata/],
    ['[::1]', () => `http://[::1]:${internal.port}/`, /loopback \(::1\)/],
    ['a private IP', () => 'http://10.0.0.5/', /private/],
    ['192.168.x', () => 'http://192.168.1.1:8080/', /private/],
    ['http://localhost', () => 'http://localhost/', /localhost resolves to 127\.0\.0\.1, loopback/],
    ['localhost with a port', () => `http://localhost:${internal.port}/`, /loopback/],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${internal.port}/`, /IPv4-mapped loopback/],
    ['a decimal IP', () => `http://2130706433:${internal.port}/`, /loopback/],
    ['an octal IP', () => `http://0177.0.0.1:${internal.port}/`, /loopback/],
    ['a hex IP', () => `http://0x7f.1:${internal.port}/`, /loopback/],
    ['0.0.0.0', () => `http://0.0.0.0:${internal.port}/`, /this network/],
  ])('when the CDN redirects to %s, refuses and never connects there', async (_what, target, reason) => {
    routes.set('/r', redirectTo(target()));
    const err = await failure(downloadImage(cdnUrl('/r'), { allow, timeoutMs: 5000 }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.message).toMatch(/refused/);
    expect(err.message).toMatch(reason);
    expect(err.message).not.toContain('SIGNED_TOKEN');
    expect(internalHits).toEqual([]);
  });

  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${internal.port}/x?sig=SECRET`],
    ['localhost', () => `http://localhost:${internal.port}/x?sig=SECRET`],
    ['a decimal IP', () => `http://2130706433:${internal.port}/x?sig=SECRET`],
    ['an octal IP', () => `http://0177.0.0.1:${internal.port}/x?sig=SECRET`],
    ['IPv4-mapped IPv6', () => `http://[::ffff:127.0.0.1]:${internal.port}/x?sig=SECRET`],
  ])('when the attachment URL itself points at %s, refuses it, naming the host only', async (_what, url) => {
    const err = await failure(downloadImage(url(), { allow, timeoutMs: 5000 }));
    expect(err.code).toBe('photo.download-failed');
    expect(err.message).toMatch(/refused/);
    expect(err.message).toContain(`:${internal.port}`);
    expect(err.message).not.toContain('SECRET');
    expect(internalHits).toEqual([]);
  });

  it('an allowed host:port does not open the other ports of the same host', async () => {
    const err = await failure(downloadImage(`http://127.0.0.1:${internal.port}/`, { allow, timeoutMs: 5000 }));
    expect(err.message).toMatch(/refused/);
    expect(internalHits).toEqual([]);
  });

  it.each([['file:///etc/passwd'], ['ftp://127.0.0.1/photo.jpg'], ['gopher://127.0.0.1:70/_x'], ['data:image/png;base64,iVBORw0KGgo=']])(
    'when the CDN redirects to %s, refuses the scheme',
    async (location) => {
      routes.set('/r', redirectTo(location));
      const err = await failure(downloadImage(cdnUrl('/r'), { allow, timeoutMs: 5000 }));
      expect(err.code).toBe('photo.download-failed');
      expect(err.message).toMatch(/redirect to a [a-z]+: URL refused/);
    },
  );

  it('follows up to three redirects and refuses the fourth', async () => {
    for (const n of [1, 2, 3, 4]) routes.set(`/r${n}`, redirectTo(`/r${n + 1}`));
    routes.set('/r5', (_req, res) => res.writeHead(200).end(png));
    routes.set('/r4', redirectTo('/photo'));
    routes.set('/photo', (_req, res) => res.writeHead(200).end(png));
    // /r1 → /r2 → /r3 → /r4 → /photo: four redirects
    const err = await failure(downloadImage(cdnUrl('/r1'), { allow, timeoutMs: 5000 }));
    expect(err.message).toMatch(/more than 3 redirects/);
    expect(cdnHits.map((h) => h.path)).toEqual(['/r1', '/r2', '/r3', '/r4']);
    cdnHits.length = 0;
    // /r2 → /r3 → /r4 → /photo: three redirects
    expect((await downloadImage(cdnUrl('/r2'), { allow, timeoutMs: 5000 })).equals(png)).toBe(true);
    expect(cdnHits.map((h) => h.path)).toEqual(['/r2', '/r3', '/r4', '/photo']);
  });

  it('a redirect loop ends at the redirect limit', async () => {
    routes.set('/loop', redirectTo('/loop'));
    expect((await failure(downloadImage(cdnUrl('/loop'), { allow, timeoutMs: 5000 }))).message).toMatch(/more than 3 redirects/);
    expect(cdnHits).toHaveLength(4);
  });

  it('connects to the address the name was checked at: one lookup, and the server sees the name in Host', async () => {
    routes.set('/photo', (_req, res) => res.writeHead(200).end(png));
    const lookups: string[] = [];
    // A rebinding resolver: the checked answer, then the internal service's address.
    const resolve: ResolveHost = async (host) => {
      lookups.push(host);
      return [{ address: lookups.length === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    };
    const got = await downloadImage(`http://photos.cdn.test:${cdn.port}/photo`, { allow, resolve, timeoutMs: 5000 });
    expect(got.equals(png)).toBe(true);
    expect(lookups).toEqual(['photos.cdn.test']);
    expect(cdnHits).toEqual([{ path: '/photo', host: `photos.cdn.test:${cdn.port}` }]);
  });

  it('over https, a pinned connection still sends the name as SNI and verifies the certificate', async () => {
    const sni: string[] = [];
    const tlsServer = https.createServer(
      {
        key: TEST_KEY,
        cert: TEST_CERT,
        // called with the ClientHello, before the client sees (and refuses) the certificate
        SNICallback: (servername, cb) => {
          sni.push(servername);
          cb(null, undefined);
        },
      },
      (_req, res) => res.end(png),
    );
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const port = (tlsServer.address() as AddressInfo).port;
    try {
      const resolve: ResolveHost = async () => [{ address: '127.0.0.1', family: 4 }];
      const err = await failure(downloadImage(`https://photos.cdn.test:${port}/p.png`, { allow: [`127.0.0.1:${port}`], resolve, timeoutMs: 5000 }));
      // the self-signed test certificate is not trusted: verification stayed on
      expect(err.code).toBe('photo.download-failed');
      expect(String((err.cause as Error).message)).toMatch(/self[- ]signed/i);
      expect(sni).toEqual(['photos.cdn.test']);
    } finally {
      tlsServer.closeAllConnections();
      await new Promise((r) => tlsServer.close(r));
    }
  });
});

/** Self-signed for photos.cdn.test; never trusted by the client, which is the point. */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjZrgQabVqgLpwg+O
skqYVCzrniFFZjuHTGxxo0+9y2GhRANCAAQZ6gCEiZSwS6WFj9YC4s5V1d0q5RTl
LgL+OtxNxQCeqeIGwPQFjIOrVUveIPNTILVDF3M2RDIFgXZIwx+JMCRS
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBpzCCAU2gAwIBAgIUe8AjmLnlvDjNyvgu9tBdnpz5RagwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPcGhvdG9zLmNkbi50ZXN0MCAXDTI2MTIwNTA0MTk0N1oYDzIx
MjYxMTExMDQxOTQ3WjAaMRgwFgYDVQQDDA9waG90b3MuY2RuLnRlc3QwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQZ6gCEiZSwS6WFj9YC4s5V1d0q5RTlLgL+OtxN
xQCeqeIGwPQFjIOrVUveIPNTILVDF3M2RDIFgXZIwx+JMCRSo28wbTAdBgNVHQ4E
FgQUM6Z70jWUfMwCIXWthmHFwRACVskwHwYDVR0jBBgwFoAUM6Z70jWUfMwCIXWt
hmHFwRACVskwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgg9waG90b3MuY2Ru
LnRlc3QwCgYIKoZIzj0EAwIDSAAwRQIgSmA/BD58z3YJH+OPXBqnn2G7RfsiYIkj
O72X/yeyVHwCIQCsa+TqjHbOsMkIyxHxG9hKl+trY22fHnt8wkHblxWrxQ==
-----END CERTIFICATE-----`;
