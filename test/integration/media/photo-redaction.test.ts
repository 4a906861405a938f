/**
 * Photo redaction end to end, against real PostgreSQL, the real job queue and the real face
 * detector (face-api on TensorFlow.js WebAssembly, in its worker thread): a resident's photo is
 * stored as pending and queued once; until the detector has run it is not public (the public status
 * API leaves it out); the detector finds the faces of a street photo and the public copy has them
 * pixelated while the rest of the photo is unchanged; staff result photos go the same way; a
 * repeated job changes nothing; the sweep picks up photos left pending.
 */
import request from 'supertest';
import { keyToUuid } from '../../../src/jobs/job-queue';
import { photoRedaction } from '../../../src/jobs/queues';
import { WorkerFaceDetector } from '../../../src/media/face-detector';
import { pixelationRegion } from '../../../src/domain/photos/redaction';
import { pixelateRaw } from '../../../src/media/pixelate';
import { composeScene, facesFound, flatness, meanDifference, rgb, streetWithPeople, type Box, type Scene } from '../../fixtures/face-scenes';
import { createHarness, type Harness } from '../../support/harness';
import { fileReportWithPhoto, GatedDetector, waitFor, waitForDetection } from '../../support/redaction';

jest.setTimeout(180_000);

let h: Harness;
let detector: WorkerFaceDetector;
let gate: GatedDetector;
let scene: Scene;

beforeAll(async () => {
  detector = new WorkerFaceDetector();
  gate = new GatedDetector(detector);
  h = await createHarness({ runtime: { faceDetector: gate } });
  scene = await streetWithPeople();
});
afterAll(async () => {
  gate?.open();
  await h?.close();
  await detector?.close();
});

async function jobsFor(key: string): Promise<Array<{ state: string }>> {
  const r = await h.t.db.query<{ state: string }>('SELECT state FROM pgboss.job WHERE name = $1 AND singleton_key = $2', [photoRedaction.name, `photo:${key}`]);
  return r.rows;
}

type Pixels = Awaited<ReturnType<typeof rgb>>;

/**
 * The copy shows `box` pixelated: flat (neighbours nearly equal, JPEG noise aside), equal within JPEG
 * noise to the original pixelated with `boxes`, and far from the original itself.
 */
function expectPixelated(original: Pixels, copy: Pixels, box: Box, boxes: readonly Box[]): void {
  const expected = { ...original, data: Buffer.from(original.data) };
  pixelateRaw(expected, boxes);
  const toExpected = meanDifference(copy, expected, box);
  expect(flatness(copy, box, 4)).toBeGreaterThan(0.75);
  expect(toExpected).toBeLessThan(3);
  expect(meanDifference(copy, original, box)).toBeGreaterThan(2 * toExpected + 2);
}

describe('a resident photo on its way to the public', () => {
  let code: string;
  let key: string;
  let thumbKey: string;

  it('is stored as pending, queued once for the face detector, and not public until the detector has run', async () => {
    ({ code, key, thumbKey } = await fileReportWithPhoto(h, 'psid-redact-1', scene.jpeg));
    const row = await h.t.db.query('SELECT status, width, height, detected_at, redacted_key FROM photo_redactions WHERE media_key = $1', [key]);
    expect(row.rows[0]).toEqual({ status: 'pending', width: 1600, height: 1200, detected_at: null, redacted_key: null });
    const jobs = await jobsFor(key);
    expect(jobs).toHaveLength(1);
    expect((await h.t.db.query('SELECT id FROM pgboss.job WHERE name = $1 AND singleton_key = $2', [photoRedaction.name, `photo:${key}`])).rows[0]).toEqual({ id: keyToUuid(photoRedaction.name, `photo:${key}`) });

    // The detector is held back: whatever the timing, the photo is not public.
    await waitFor('the job to reach the detector', async () => gate.arrived > 0);
    const uc = h.rt.useCases.photoRedaction;
    expect(await uc.publicPhotoKey(key)).toBeNull();
    expect(await uc.publicThumbKey(key)).toBeNull();
    const api = await request(h.rt.app).get(`/api/reports/${code}`);
    expect(api.status).toBe(200);
    expect(api.body.photos).toEqual([]);
    expect(JSON.stringify(api.body)).not.toContain(key.slice(0, 64));
  });

  it('once the detector ran: every face of the street photo is found and pixelated in the public copy, the rest left as it was', async () => {
    gate.open();
    const done = await waitForDetection(h, key);
    expect(done.status).toBe('auto');
    expect(done.detector).toMatch(/^face-api@1\.7\.15 ssd-mobilenet-v1 min=0\.4/);
    expect(done.auto_boxes.length).toBeGreaterThanOrEqual(scene.faces.length);
    expect(facesFound(scene.faces, done.auto_boxes)).toBe(scene.faces.length);
    for (const b of done.auto_boxes) expect(b.score).toBeGreaterThan(0.4);
    expect(await jobsFor(key)).toEqual([{ state: 'completed' }]);

    // The public status API shows the redacted copy only.
    const api = await request(h.rt.app).get(`/api/reports/${code}`);
    expect(api.body.photos).toHaveLength(1);
    const photo = api.body.photos[0] as { url: string; thumbnailUrl: string; width: number; height: number };
    expect(photo.url).toBe(`http://bot.test/media/${done.redacted_key}`);
    expect(photo.thumbnailUrl).toBe(`http://bot.test/media/${done.redacted_thumb_key}`);
    expect(done.redacted_key).not.toBe(key);
    expect(done.redacted_thumb_key).not.toBe(thumbKey);
    expect(JSON.stringify(api.body)).not.toContain(key.slice(0, 64));
    expect(JSON.stringify(api.body)).not.toContain(thumbKey.slice(0, 64));
    expect(await h.rt.useCases.photoRedaction.publicPhotoKey(key)).toBe(done.redacted_key);
    expect(await h.rt.useCases.photoRedaction.publicThumbKey(key)).toBe(done.redacted_thumb_key);

    const fetched = await request(h.rt.app).get(new URL(photo.url).pathname);
    expect(fetched.status).toBe(200);
    expect(fetched.headers['content-type']).toBe('image/jpeg');
    const original = await rgb(scene.jpeg);
    const copy = await rgb(fetched.body as Buffer);
    for (const face of scene.faces) expectPixelated(original, copy, face, done.auto_boxes);
    // Away from every face region (the road, left of the plate): only JPEG noise.
    const road: Box = { x: 0, y: 900, w: 1100, h: 300 };
    for (const b of done.auto_boxes) {
      const r = pixelationRegion(b, { width: 1600, height: 1200 });
      expect(r.y + r.h <= road.y || r.x >= road.x + road.w).toBe(true);
    }
    expect(meanDifference(original, copy, road)).toBeLessThan(2.5);
    // The plate was not a face: staff mark plates by hand.
    expect(flatness(copy, scene.plate!, 4)).toBeLessThan(0.75);
  });

  it('a repeated job changes nothing: the detector does not run again and no history is added', async () => {
    expect(await h.rt.useCases.photoRedaction.detect(key)).toBe('skipped');
    const events = await h.t.db.query('SELECT action, actor_kind, actor_id FROM photo_redaction_events WHERE media_key = $1', [key]);
    expect(events.rows).toEqual([{ action: 'detected', actor_kind: 'system', actor_id: 'photo-redaction' }]);
    // The same photo sent again is the same key: still one job.
    await h.rt.useCases.recordPhoto.fromBytes(scene.jpeg);
    expect(await jobsFor(key)).toHaveLength(1);
  });
});

describe('staff result photos', () => {
  it('are queued for the face detector when stored, like residents\' photos (workers have faces too)', async () => {
    const crew = await composeScene({ width: 1200, height: 900, placements: [{ sample: 3, width: 1100, left: 50, top: 80 }], seed: 3 });
    const stored = await h.rt.useCases.recordPhoto.fromBytes(crew.jpeg);
    expect((await jobsFor(stored.key)).length).toBe(1);
    const done = await waitForDetection(h, stored.key);
    expect(facesFound(crew.faces, done.auto_boxes)).toBe(crew.faces.length);
    const res = await request(h.rt.app).get(`/media/${done.redacted_key}`);
    const copy = await rgb(res.body as Buffer);
    const original = await rgb(crew.jpeg);
    for (const face of crew.faces) expectPixelated(original, copy, face, done.auto_boxes);
  });
});

describe('photos left pending', () => {
  it('the sweep queues the detector for a photo stored without its row (stored before redaction existed, or a crash in between)', async () => {
    const lone = await composeScene({ width: 900, height: 700, placements: [{ sample: 2, width: 860, left: 20, top: 60 }], seed: 5 });
    const stored = await h.rt.useCases.recordPhoto.fromBytes(lone.jpeg);
    await waitForDetection(h, stored.key); // let its own job finish, then pretend it never existed
    await h.t.db.query('DELETE FROM photo_redactions WHERE media_key = $1', [stored.key]);
    await h.t.db.query("DELETE FROM pgboss.job WHERE name = $1 AND singleton_key = $2", [photoRedaction.name, `photo:${stored.key}`]);
    await h.t.db.query("UPDATE media SET created_at = now() - interval '1 hour' WHERE key = $1", [stored.key]);
    expect(await h.rt.useCases.photoRedaction.publicPhotoKey(stored.key)).toBeNull();

    expect(await h.rt.useCases.photoRedaction.sweep()).toBeGreaterThanOrEqual(1);
    const done = await waitForDetection(h, stored.key);
    expect(facesFound(lone.faces, done.auto_boxes)).toBe(lone.faces.length);
    expect(await h.rt.useCases.photoRedaction.publicPhotoKey(stored.key)).toBe(done.redacted_key);
  });
});
