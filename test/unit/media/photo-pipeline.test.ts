import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainError } from '../../../src/domain/shared/errors';
import type { ImageStore } from '../../../src/media/image-store';
import { DEFAULT_DECODE_CONCURRENCY, fromSharpError, PhotoPipeline, sharedDecodeSlots } from '../../../src/media/photo-pipeline';
import { Semaphore } from '../../../src/media/semaphore';
import * as fx from '../../fixtures/images';

class MemoryImageStore implements ImageStore {
  readonly files = new Map<string, { data: Buffer; contentType: string }>();
  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    if (!this.files.has(key)) this.files.set(key, { data: Buffer.from(data), contentType });
  }
  async get(key: string) {
    return this.files.get(key) ?? null;
  }
  async has(key: string) {
    return this.files.has(key);
  }
  data(key: string): Buffer {
    const file = this.files.get(key);
    if (!file) throw new Error(`nothing stored under ${key}`);
    return file.data;
  }
}

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (err: unknown) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the promise to fail');
}

/** Everything in an output that could identify a resident or their phone. */
async function expectNoMetadata(jpeg: Buffer): Promise<void> {
  const meta = await sharp(jpeg).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.exif).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(meta.comments).toBeUndefined();
  // Segment by segment: no APP1 (EXIF/XMP), APP2 (ICC), APP13 (IPTC) or COM survive.
  const markers = fx.jpegMarkers(jpeg);
  for (const forbidden of [0xe1, 0xe2, 0xed, 0xfe]) expect(markers).not.toContain(forbidden);
  const text = jpeg.toString('latin1');
  expect(text).not.toContain(fx.SECRET_COMMENT);
  expect(text).not.toContain(fx.SECRET_MAKE);
  expect(text).not.toContain('Nguyen Van A');
}

const near = (actual: fx.Rgb, expected: fx.Rgb) =>
  actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= 24);

describe('PhotoPipeline', () => {
  let store: MemoryImageStore;
  let pipeline: PhotoPipeline;
  beforeEach(() => {
    store = new MemoryImageStore();
    pipeline = new PhotoPipeline({ store });
  });

  it('when a photo arrives rotated with GPS, stores it upright, without metadata, and suggests its location', async () => {
    const photo = await pipeline.process(await fx.rotatedJpegWithGps(fx.HANOI));

    // stored 600×400 sideways; upright it is 400×600 with the red half on top
    expect([photo.width, photo.height]).toEqual([400, 600]);
    const stored = store.data(photo.key);
    expect(await sharp(stored).metadata()).toMatchObject({ width: 400, height: 600 });
    expect(near(await fx.pixelAt(stored, 200, 20), fx.RED)).toBe(true);
    expect(near(await fx.pixelAt(stored, 200, 580), fx.BLUE)).toBe(true);
    await expectNoMetadata(stored);

    const thumb = store.data(photo.thumbKey);
    expect([photo.thumbWidth, photo.thumbHeight]).toEqual([213, 320]);
    expect(near(await fx.pixelAt(thumb, 100, 10), fx.RED)).toBe(true);
    await expectNoMetadata(thumb);

    expect(photo.gps).not.toBeNull();
    expect(photo.gps!.lat).toBeCloseTo(fx.HANOI.lat, 4);
    expect(photo.gps!.lng).toBeCloseTo(fx.HANOI.lng, 4);
    expect(photo.contentType).toBe('image/jpeg');
  });

  it('when a 12 MP photo arrives, keeps 1600 px on the long side and a 320 px thumbnail, named by their sha256', async () => {
    const input = await fx.jpeg12mp();
    const photo = await pipeline.process(input);

    expect(photo).toMatchObject({ width: 1600, height: 1200, thumbWidth: 320, thumbHeight: 240, gps: null });
    const stored = store.data(photo.key);
    const thumb = store.data(photo.thumbKey);
    expect(photo.key).toBe(`${createHash('sha256').update(stored).digest('hex')}.jpg`);
    expect(photo.thumbKey).toBe(`${createHash('sha256').update(thumb).digest('hex')}.jpg`);
    expect(photo.bytes).toBe(stored.length);
    expect(stored.length).toBeLessThan(input.length);
    expect(store.files.get(photo.key)?.contentType).toBe('image/jpeg');
    await expectNoMetadata(stored);
  });

  it('when the same photo is sent twice, stores it once under the same keys', async () => {
    const input = await fx.rotatedJpegWithGps();
    const first = await pipeline.process(input);
    const second = await pipeline.process(input);
    expect(second.key).toBe(first.key);
    expect(second.thumbKey).toBe(first.thumbKey);
    expect(store.files.size).toBe(2);
  });

  it('when a small photo arrives, never enlarges it', async () => {
    const photo = await pipeline.process(await fx.png());
    expect(photo).toMatchObject({ width: 200, height: 100, thumbWidth: 200, thumbHeight: 100 });
  });

  it('when a PNG with transparency arrives, stores a JPEG with white where it was transparent', async () => {
    const photo = await pipeline.process(await fx.png({ alpha: true }));
    expect(near(await fx.pixelAt(store.data(photo.key), 10, 10), [255, 255, 255])).toBe(true);
  });

  it.each([
    ['WebP', fx.webp, fx.GREEN, [300, 200]],
    ['AVIF', fx.avif, fx.BLUE, [300, 200]],
    ['PNG', fx.png, fx.RED, [200, 100]],
  ] as const)('when a %s photo arrives, stores it as JPEG', async (_kind, make, colour, size) => {
    const photo = await pipeline.process(await make());
    expect([photo.width, photo.height]).toEqual(size);
    expect((await sharp(store.data(photo.key)).metadata()).format).toBe('jpeg');
    expect(near(await fx.pixelAt(store.data(photo.key), 5, 5), colour)).toBe(true);
  });

  it('when an animated GIF arrives, keeps its first frame', async () => {
    const photo = await pipeline.process(await fx.animatedGif());
    expect([photo.width, photo.height]).toEqual([40, 30]);
    expect(near(await fx.pixelAt(store.data(photo.key), 20, 15), fx.RED)).toBe(true);
  });

  it.each([
    ['a PDF', fx.pdfFile()],
    ['a text file', fx.textFile()],
    ['an SVG', fx.svgFile()],
    ['an empty file', Buffer.alloc(0)],
  ])('when %s arrives instead of a photo, refuses it as unsupported and stores nothing', async (_what, bytes) => {
    const err = await failure(pipeline.process(bytes));
    expect(err.code).toBe('photo.unsupported');
    expect(store.files.size).toBe(0);
  });

  it('when a photo arrives cut off mid-transfer, says it is corrupt and stores nothing', async () => {
    const err = await failure(pipeline.process(await fx.truncatedJpeg()));
    expect(err.code).toBe('photo.corrupt');
    expect(store.files.size).toBe(0);
  });

  it('when only the first bytes of a JPEG arrive, says it is corrupt', async () => {
    const err = await failure(pipeline.process((await fx.truncatedJpeg()).subarray(0, 40)));
    expect(err.code).toBe('photo.corrupt');
  });

  it('when a photo is over 10 MB, refuses it as too large before decoding', async () => {
    const big = await fx.oversizedJpeg();
    expect(big.length).toBeGreaterThan(10 * 1024 * 1024);
    const err = await failure(pipeline.process(big));
    expect(err.code).toBe('photo.too-large');
  });

  it('when the byte cap is configured lower, applies it', async () => {
    const small = new PhotoPipeline({ store, maxBytes: 1000 });
    expect((await failure(small.process(await fx.jpeg12mp()))).code).toBe('photo.too-large');
  });

  it('when a decompression bomb arrives, refuses it from its header without decoding it', async () => {
    const bomb = await fx.decompressionBombPng();
    expect(bomb.length).toBeLessThan(100_000);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({ width: 20000, height: 20000 });

    const started = Date.now();
    const err = await failure(pipeline.process(bomb));
    expect(err.code).toBe('photo.too-many-pixels');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(store.files.size).toBe(0);
  });

  it('when the pixel limit is configured, accepts a photo at the limit and refuses one above it', async () => {
    const png = await fx.png(); // 200×100
    await expect(new PhotoPipeline({ store, maxInputPixels: 20_000 }).process(png)).resolves.toMatchObject({ width: 200 });
    const err = await failure(new PhotoPipeline({ store, maxInputPixels: 19_999 }).process(png));
    expect(err.code).toBe('photo.too-many-pixels');
  });

  it('when sharp itself trips its pixel limit, reports too-many-pixels; other decoder failures are corrupt', () => {
    expect(fromSharpError(new Error('Input image exceeds pixel limit')).code).toBe('photo.too-many-pixels');
    expect(fromSharpError(new Error('Input buffer contains unsupported image format')).code).toBe('photo.unsupported');
    expect(fromSharpError(new Error('VipsJpeg: premature end of JPEG image')).code).toBe('photo.corrupt');
  });

  it('honours a custom long side and thumbnail size', async () => {
    const custom = new PhotoPipeline({ store, longSide: 800, thumbSide: 100 });
    const photo = await custom.process(await fx.jpeg12mp());
    expect(photo).toMatchObject({ width: 800, height: 600, thumbWidth: 100, thumbHeight: 75 });
  });

  it('when the store fails, the error is the store’s, not a photo error', async () => {
    const broken: ImageStore = {
      put: async () => {
        throw new Error('disk full');
      },
      get: async () => null,
      has: async () => false,
    };
    await expect(new PhotoPipeline({ store: broken }).process(await fx.png())).rejects.toThrow('disk full');
  });

  it('refuses nonsense options with a message naming the fix', () => {
    expect(() => new PhotoPipeline({ store, longSide: 0 })).toThrow(/longSide must be a positive integer/);
  });

  describe('decode memory is bounded process-wide', () => {
    /** Counts the decodes inside `slots` that overlap. */
    function watch(slots: Semaphore) {
      const seen = { now: 0, max: 0, calls: 0 };
      const original = slots.run.bind(slots);
      const spy = jest.spyOn(slots, 'run').mockImplementation(<T>(work: () => Promise<T>) =>
        original(async () => {
          seen.calls++;
          seen.max = Math.max(seen.max, ++seen.now);
          try {
            return await work();
          } finally {
            seen.now--;
          }
        }),
      );
      return { seen, restore: () => spy.mockRestore() };
    }

    it('when many photos arrive at once across pipelines, at most two are decoded at a time', async () => {
      expect(DEFAULT_DECODE_CONCURRENCY).toBe(2);
      const { seen, restore } = watch(sharedDecodeSlots);
      try {
        const a = new PhotoPipeline({ store });
        const b = new PhotoPipeline({ store: new MemoryImageStore() });
        const inputs = await Promise.all([fx.png(), fx.webp(), fx.rotatedJpegWithGps(), fx.jpegWithExif({}, 900, 700), fx.png({ alpha: true }), fx.avif()]);
        const done = await Promise.all(inputs.flatMap((img) => [a.process(img), b.process(img)]));
        expect(done).toHaveLength(12);
        expect(seen.calls).toBe(12);
        expect(seen.max).toBe(2);
      } finally {
        restore();
      }
    });

    it('a failed decode gives its slot back', async () => {
      const slots = new Semaphore(1);
      const own = new PhotoPipeline({ store, decodeSlots: slots });
      const err = await failure(own.process(await fx.truncatedJpeg()));
      expect(err.code).toBe('photo.corrupt');
      expect(slots.inUse).toBe(0);
      await expect(own.process(await fx.png())).resolves.toMatchObject({ width: 200 });
    });
  });
});
