// One signed event carried 10,000 image URLs and the bot made 10,000 downloads. Counted at a real
// loopback server: only what the draft can take (plus a small margin) is fetched, two at a time.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { downloadImage, FsImageStore, PhotoPipeline } from '../../../src/media';
import { DEFAULT_INGEST_CONCURRENCY, DEFAULT_INGEST_MARGIN, ingestPhotos } from '../../../src/media/ingest-photos';
import * as fx from '../../fixtures/images';

let server: http.Server;
let host: string;
let root: string;
let photo: Buffer;
const seen = { requests: 0, inFlight: 0, maxInFlight: 0 };

beforeAll(async () => {
  photo = await fx.jpegWithExif({}, 1200, 900);
  server = http.createServer((_req, res) => {
    seen.requests++;
    seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
    res.on('close', () => seen.inFlight--);
    // held briefly so that downloads which may overlap do overlap
    setTimeout(() => res.writeHead(200, { 'content-type': 'image/jpeg', connection: 'close' }).end(photo), 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = await mkdtemp(path.join(os.tmpdir(), 'ingest-photos-'));
});

beforeEach(() => {
  Object.assign(seen, { requests: 0, inFlight: 0, maxInFlight: 0 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('taking the photos of one message', () => {
  it('when one event carries 10,000 image URLs, downloads only what the draft can take plus the margin, two at a time', async () => {
    const pipeline = new PhotoPipeline({ store: new FsImageStore(root) });
    const urls = Array.from({ length: 10_000 }, (_, i) => `http://${host}/p/${i}.jpg?oh=token`);
    const allowed = 5;
    const out = await ingestPhotos(urls, {
      allowed,
      ingest: async (url) => pipeline.process(await downloadImage(url, { allow: [host], timeoutMs: 10_000 })),
    });
    expect(seen.requests).toBe(allowed + DEFAULT_INGEST_MARGIN);
    expect(seen.maxInFlight).toBeLessThanOrEqual(DEFAULT_INGEST_CONCURRENCY);
    expect(seen.maxInFlight).toBe(2); // bounded, and still parallel
    expect(out.results.map((r) => r.url)).toEqual(urls.slice(0, allowed + DEFAULT_INGEST_MARGIN));
    expect(out.results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(out.skipped).toBe(10_000 - allowed - DEFAULT_INGEST_MARGIN);
  });

  it('when the same URL is repeated 10,000 times, downloads it once', async () => {
    const url = `http://${host}/same.jpg`;
    const out = await ingestPhotos(new Array<string>(10_000).fill(url), {
      allowed: 5,
      ingest: (u) => downloadImage(u, { allow: [host], timeoutMs: 10_000 }),
    });
    expect(seen.requests).toBe(1);
    expect(out.results).toHaveLength(1);
    expect(out.repeated).toBe(9_999);
  });

  it('when the draft already has all its photos, makes no request at all', async () => {
    const out = await ingestPhotos([`http://${host}/a.jpg`, `http://${host}/b.jpg`], {
      allowed: 0,
      ingest: (u) => downloadImage(u, { allow: [host], timeoutMs: 10_000 }),
    });
    expect(seen.requests).toBe(0);
    expect(out.skipped).toBe(2);
  });
});
