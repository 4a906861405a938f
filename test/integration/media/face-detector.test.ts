/**
 * The face detector on real photos: face-api's SSD MobileNet v1 on the TensorFlow.js WebAssembly
 * backend, in its worker thread, with the weights from the npm package. It finds every face of the
 * package's demo photos and none in an empty street; its thread ends when idle or stuck and the
 * next photo starts a new one; a closed detector refuses work; bytes that are not a photo fail as
 * the photo pipeline's errors do.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { WorkerFaceDetector } from '../../../src/media/face-detector';
import { composeScene, FACE_API_DEMO_DIR, facesFound, SAMPLE_FACES, type SampleId } from '../../fixtures/face-scenes';

jest.setTimeout(120_000);

let detector: WorkerFaceDetector;
beforeAll(() => {
  detector = new WorkerFaceDetector();
});
afterAll(async () => detector.close());

it('finds every face of the six demo photos (22 people), each with its confidence', async () => {
  let found = 0;
  let total = 0;
  for (const id of [1, 2, 3, 4, 5, 6] as SampleId[]) {
    const jpeg = fs.readFileSync(path.join(FACE_API_DEMO_DIR, `sample${id}.jpg`));
    const r = await detector.detect(jpeg);
    expect(r.size.width).toBe(1920);
    found += facesFound(SAMPLE_FACES[id], r.faces);
    total += SAMPLE_FACES[id].length;
    for (const f of r.faces) {
      expect(f.score).toBeGreaterThanOrEqual(0.4);
      expect(f.x + f.w).toBeLessThanOrEqual(r.size.width);
      expect(f.y + f.h).toBeLessThanOrEqual(r.size.height);
    }
  }
  expect({ found, total }).toEqual({ found: 22, total: 22 });
});

it('finds nobody in a street without people', async () => {
  const empty = await composeScene({ width: 1600, height: 1200, placements: [], plate: { x: 600, y: 900, w: 240, h: 60 } });
  expect((await detector.detect(empty.jpeg)).faces).toEqual([]);
});

it('ends its thread when idle, and starts a new one for the next photo', async () => {
  const idle = new WorkerFaceDetector({ idleMs: 50 });
  try {
    const scene = await composeScene({ width: 800, height: 600, placements: [{ sample: 5, width: 760, left: 20, top: 40 }] });
    const first = await idle.detect(scene.jpeg);
    expect(facesFound(scene.faces, first.faces)).toBe(5);
    await new Promise((r) => setTimeout(r, 300));
    expect((idle as unknown as { thread: unknown }).thread).toBeNull();
    expect(await idle.detect(scene.jpeg)).toEqual(first);
  } finally {
    await idle.close();
  }
});

it('gives up on a photo that takes longer than its time limit, ending the thread', async () => {
  const hasty = new WorkerFaceDetector({ timeoutMs: 1 });
  try {
    const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#888' } }).jpeg().toBuffer();
    await expect(hasty.detect(jpeg)).rejects.toThrow(/took longer than 1 ms; the detector thread was restarted/);
  } finally {
    await hasty.close();
  }
});

it('refuses work once closed, and fails on bytes that are not a photo', async () => {
  const closed = new WorkerFaceDetector();
  await closed.close();
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer();
  await expect(closed.detect(jpeg)).rejects.toThrow(/closed/);
  await expect(detector.detect(Buffer.from('not a photo at all'))).rejects.toMatchObject({ code: 'photo.unsupported' });
});
