// The whole intake path as the webhook handler runs it: download the attachment at once over
// HTTP, process it, store it on disk under its content hash.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DomainError } from '../../../src/domain/shared/errors';
import { downloadImage, FsImageStore, PhotoPipeline } from '../../../src/media';
import * as fx from '../../fixtures/images';

let server: http.Server;
let base: string;
const files = new Map<string, { body: Buffer; type: string }>();
let root: string;
let store: FsImageStore;
let pipeline: PhotoPipeline;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, connection: 'close' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'photo-intake-'));
  store = new FsImageStore(root);
  pipeline = new PhotoPipeline({ store });
});

afterEach(async () => {
  files.clear();
  await rm(root, { recursive: true, force: true });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function intake(url: string) {
  return pipeline.process(await downloadImage(url, { timeoutMs: 5000, maxBytes: pipeline.maxBytes, allow: [new URL(base).host] }));
}

describe('photo intake (download → pipeline → disk)', () => {
  it('when a resident sends a sideways photo with GPS, stores it upright, without metadata, and suggests its location', async () => {
    files.set('/att/1', { body: await fx.rotatedJpegWithGps(fx.HANOI), type: 'application/octet-stream' });

    const photo = await intake(`${base}/att/1?token=t`);

    const onDisk = await readFile(path.join(root, photo.key.slice(0, 2), photo.key));
    const meta = await sharp(onDisk).metadata();
    expect([meta.width, meta.height]).toEqual([400, 600]);
    expect(meta.exif ?? meta.icc ?? meta.xmp ?? meta.orientation).toBeUndefined();
    expect(fx.jpegMarkers(onDisk).filter((m) => m === 0xe1 || m === 0xe2 || m === 0xfe)).toEqual([]);
    expect(onDisk.toString('latin1')).not.toContain(fx.SECRET_COMMENT);
    const [r, , b] = await fx.pixelAt(onDisk, 200, 20);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);

    expect(await store.get(photo.thumbKey)).toMatchObject({ contentType: 'image/jpeg' });
    expect(photo.gps!.lat).toBeCloseTo(fx.HANOI.lat, 4);
    expect(photo.gps!.lng).toBeCloseTo(fx.HANOI.lng, 4);
  });

  it('when a 12 MP photo is sent twice, downloads and stores it once per size, with no temporary files', async () => {
    files.set('/att/big', { body: await fx.jpeg12mp(), type: 'image/jpeg' });
    const first = await intake(`${base}/att/big`);
    const second = await intake(`${base}/att/big`);
    expect(second.key).toBe(first.key);

    const stored = (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    expect(stored.sort()).toEqual([first.key, first.thumbKey].sort());
    expect(first).toMatchObject({ width: 1600, height: 1200, thumbWidth: 320, thumbHeight: 240 });
  });

  it('when a resident sends a document labelled as a photo, refuses it and stores nothing', async () => {
    files.set('/att/doc', { body: fx.pdfFile(), type: 'image/jpeg' });
    let caught: unknown;
    try {
      await intake(`${base}/att/doc`);
    } catch (err: unknown) {
      caught = err;
    }
    expect((caught as DomainError).code).toBe('photo.unsupported');
    expect(await readdir(root)).toEqual([]);
  });
});
