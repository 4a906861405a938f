/**
 * Pixelation on real image data: inside each box (and its margin) the detail is gone, outside it
 * nothing changed; the public copy is a new content-addressed JPEG with a thumbnail made from it.
 * Also where the face detector looks (whole photo, then tiles).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { pixelationRegion } from '../../../src/domain/photos/redaction';
import { detectionWindows, DEFAULT_DETECTOR_SETTINGS, describeSettings } from '../../../src/media/face-tiles';
import { FsImageStore } from '../../../src/media/image-store';
import { pixelateJpeg, pixelateRaw, SharpRedactionRenderer } from '../../../src/media/pixelate';
import { detail, flatness, meanDifference, rgb, streetWithPeople, variance, type Box } from '../../fixtures/face-scenes';

const SIZE = { width: 1600, height: 1200 };

/** Every pixel outside the regions of `boxes`. */
function outsideEqual(a: Buffer, b: Buffer, width: number, height: number, boxes: readonly Box[]): number {
  const regions = boxes.map((x) => pixelationRegion(x, { width, height }));
  let differing = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (regions.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)) continue;
      const i = (y * width + x) * 3;
      if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) differing++;
    }
  }
  return differing;
}

describe('pixelating raw pixels', () => {
  it('flattens the detail of each face and of the plate, and leaves every pixel outside the regions as it was', async () => {
    const scene = await streetWithPeople();
    const before = await rgb(scene.jpeg);
    const after = { ...before, data: Buffer.from(before.data) };
    const boxes = [...scene.faces, scene.plate!];
    pixelateRaw(after, boxes);

    for (const b of boxes) {
      // The box's own pixels: neighbours equal except across block edges; the spread of values shrinks.
      expect(flatness(before, b)).toBeLessThan(0.2);
      expect(flatness(after, b)).toBeGreaterThan(0.9);
      expect(variance(after, b)).toBeLessThan(variance(before, b));
      expect(detail(after, b)).toBeLessThan(detail(before, b) * 0.5);
    }
    expect(detail(before, scene.plate!)).toBeGreaterThan(40); // the stripes really were detail
    expect(outsideEqual(before.data, after.data, before.width, before.height, boxes)).toBe(0);
  });

  it('makes each block one colour: the average of its pixels', () => {
    // 12 × 12, left half black, right half white; a box over all of it gets a 6 px block grid.
    const px = Buffer.alloc(12 * 12 * 3);
    for (let y = 0; y < 12; y++) for (let x = 6; x < 12; x++) px.fill(255, (y * 12 + x) * 3, (y * 12 + x) * 3 + 3);
    const raw = { data: px, width: 12, height: 12, channels: 3 };
    pixelateRaw(raw, [{ x: 2, y: 2, w: 8, h: 8 }]);
    // Region = whole image (4 px margin), blocks of 6: the left blocks stay black, the right white.
    expect(px[0]).toBe(0);
    expect(px[(0 * 12 + 11) * 3]).toBe(255);
    // A block straddling the edge averages to grey.
    const mixed = { data: Buffer.from([0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255]), width: 4, height: 1, channels: 3 };
    pixelateRaw(mixed, [{ x: 0, y: 0, w: 4, h: 1 }]);
    expect([...mixed.data]).toEqual(Array(12).fill(128));
  });

  it('does nothing without boxes', async () => {
    const scene = await streetWithPeople();
    const before = await rgb(scene.jpeg);
    const after = { ...before, data: Buffer.from(before.data) };
    pixelateRaw(after, []);
    expect(after.data.equals(before.data)).toBe(true);
  });
});

describe('the public copy of a stored photo', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-pixelate-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is a JPEG whose boxes are pixelated and whose other pixels only carry JPEG noise', async () => {
    const scene = await streetWithPeople();
    const out = await pixelateJpeg(scene.jpeg, [scene.plate!]);
    expect({ width: out.width, height: out.height }).toEqual(SIZE);
    const before = await rgb(scene.jpeg);
    const after = await rgb(out.data);
    expect(detail(after, scene.plate!)).toBeLessThan(detail(before, scene.plate!) * 0.25);
    expect(flatness(after, scene.plate!, 4)).toBeGreaterThan(0.9);
    // Far from the plate: re-encoding at the pipeline's quality changes pixels by a level or two at most on average.
    expect(meanDifference(before, after, { x: 0, y: 0, w: 1000, h: 800 })).toBeLessThan(2.5);
    expect((await sharp(out.data).metadata()).format).toBe('jpeg');
  });

  it('is stored under its content hash with a thumbnail made from the pixelated copy', async () => {
    const scene = await streetWithPeople();
    const store = new FsImageStore(dir);
    const originalKey = `${'a'.repeat(64)}.jpg`;
    await store.put(originalKey, scene.jpeg, 'image/jpeg');
    const renderer = new SharpRedactionRenderer({ store });
    const copy = await renderer.render(originalKey, scene.faces);
    expect(copy.key).toMatch(/^[a-f0-9]{64}\.jpg$/);
    expect(copy.key).not.toBe(originalKey);
    const main = await store.get(copy.key);
    const thumb = await store.get(copy.thumbKey);
    expect(main && thumb).toBeTruthy();
    const meta = await sharp(thumb!.data).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(320);
    // The thumbnail of the copy shows the face blocks too: its first face region has lost its detail
    // compared with a thumbnail of the original.
    const scale = 320 / 1600;
    const f = scene.faces[0]!;
    const small = { x: Math.round(f.x * scale), y: Math.round(f.y * scale), w: Math.round(f.w * scale), h: Math.round(f.h * scale) };
    const originalThumb = await rgb(await sharp(scene.jpeg).resize(320).jpeg().toBuffer());
    expect(flatness(await rgb(thumb!.data), small, 4)).toBeGreaterThan(flatness(originalThumb, small, 4) + 0.2);
    // Same boxes, same bytes, same key.
    expect(await renderer.render(originalKey, scene.faces)).toEqual(copy);
  });

  it('fails with a clear message when the original is missing', async () => {
    const renderer = new SharpRedactionRenderer({ store: new FsImageStore(dir) });
    await expect(renderer.render(`${'b'.repeat(64)}.jpg`, [])).rejects.toThrow(/missing from the image store/);
  });
});

describe('where the face detector looks', () => {
  it('looks at a large photo whole, then in nine overlapping tiles reaching every edge', () => {
    const w = detectionWindows(1600, 1200, DEFAULT_DETECTOR_SETTINGS);
    expect(w[0]).toEqual({ x: 0, y: 0, w: 1600, h: 1200 });
    expect(w.slice(1)).toEqual([
      { x: 0, y: 0, w: 640, h: 480 },
      { x: 480, y: 0, w: 640, h: 480 },
      { x: 960, y: 0, w: 640, h: 480 },
      { x: 0, y: 360, w: 640, h: 480 },
      { x: 480, y: 360, w: 640, h: 480 },
      { x: 960, y: 360, w: 640, h: 480 },
      { x: 0, y: 720, w: 640, h: 480 },
      { x: 480, y: 720, w: 640, h: 480 },
      { x: 960, y: 720, w: 640, h: 480 },
    ]);
    // Two by two: halves grown by 20%.
    expect(detectionWindows(1600, 1200, { ...DEFAULT_DETECTOR_SETTINGS, tiles: [2, 2] }).slice(1)).toEqual([
      { x: 0, y: 0, w: 960, h: 720 },
      { x: 640, y: 0, w: 960, h: 720 },
      { x: 0, y: 480, w: 960, h: 720 },
      { x: 640, y: 480, w: 960, h: 720 },
    ]);
  });

  it('looks at a small photo whole only', () => {
    expect(detectionWindows(800, 600, DEFAULT_DETECTOR_SETTINGS)).toEqual([{ x: 0, y: 0, w: 800, h: 600 }]);
    expect(detectionWindows(1600, 1200, { ...DEFAULT_DETECTOR_SETTINGS, tiles: [1, 1] })).toHaveLength(1);
  });

  it('names the model and its settings', () => {
    expect(describeSettings(DEFAULT_DETECTOR_SETTINGS, '1.7.15')).toBe('face-api@1.7.15 ssd-mobilenet-v1 min=0.4 tiles=3x3>1024px');
  });
});
