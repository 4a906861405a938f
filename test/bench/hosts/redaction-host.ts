/**
 * Child process: the photo redaction job per 1600 px photo, as the job queue runs it
 * (`PhotoRedaction.detect`: read the stored photo, find the faces in the detector's worker thread,
 * pixelate them, store the public copy and its thumbnail, write the row, its history event) against
 * a real PostgreSQL database and an FsImageStore; and the recall of detector settings on composited
 * scenes, which chose the production settings. Its own process, so RSS is about this work only (the
 * worker thread's WebAssembly heap included: threads share the process).
 *
 * Env: BENCH_REDACT_DB (database URL), BENCH_REDACT_DIR (store root), BENCH_REDACT_ITERATIONS.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PhotoRedaction } from '../../../src/app/photo-redaction';
import type { FaceDetector, RedactionRenderer } from '../../../src/domain/photos/ports';
import { WorkerFaceDetector } from '../../../src/media/face-detector';
import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from '../../../src/media/face-tiles';
import { FsImageStore } from '../../../src/media/image-store';
import { PhotoPipeline } from '../../../src/media/photo-pipeline';
import { SharpRedactionRenderer } from '../../../src/media/pixelate';
import { createDb } from '../../../src/storage/db';
import { PgMediaRepo } from '../../../src/storage/media-repo';
import { PgPhotoRedactionsRepo } from '../../../src/storage/photo-redactions-repo';
import { composeScene, facesFound, recallScenes, type SampleId } from '../../fixtures/face-scenes';
import { prepareHost, serveHost } from '../lib/host-side';

prepareHost();

export interface JobSample {
  readonly iteration: number;
  /** The whole job: `PhotoRedaction.detect(key)`. */
  readonly ms: number;
  /** Of which: decoding and detection (waiting for the worker thread included). */
  readonly detectMs: number;
  /** Of which: pixelation, JPEG encode, thumbnail, both files written. */
  readonly renderMs: number;
  readonly faces: number;
  readonly expected: number;
  /** Highest RSS sampled (every 5 ms) during the job. */
  readonly peakRssBytes: number;
  /** Process CPU (all threads, the detector's included) during the job. */
  readonly cpuMs: number;
}

export interface JobRun {
  readonly width: number;
  readonly height: number;
  readonly detector: string;
  readonly rssBeforeBytes: number;
  /** The first job: the worker thread started, TensorFlow.js and the model loaded. */
  readonly first: JobSample;
  readonly samples: JobSample[];
  readonly rssAfterBytes: number;
  readonly maxRssBytes: number;
}

export interface RecallRow {
  readonly name: string;
  readonly detector: string;
  /** Per scene: faces found (≥ 70% covered by a box grown 20%), faces, median face height. */
  readonly scenes: Array<{ found: number; faces: number; faceHeight: number; boxes: number; ms: number }>;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; start this host through test/bench/lib/host.ts`);
  return v;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Times the two halves of the job without changing them. */
class Timed implements FaceDetector, RedactionRenderer {
  detectMs = 0;
  renderMs = 0;
  constructor(private readonly detector: FaceDetector, private readonly renderer: RedactionRenderer) {}
  get version(): string {
    return this.detector.version;
  }
  async detect(jpeg: Buffer) {
    const t0 = performance.now();
    try {
      return await this.detector.detect(jpeg);
    } finally {
      this.detectMs += performance.now() - t0;
    }
  }
  async render(key: string, boxes: Parameters<RedactionRenderer['render']>[1]) {
    const t0 = performance.now();
    try {
      return await this.renderer.render(key, boxes);
    } finally {
      this.renderMs += performance.now() - t0;
    }
  }
}

async function main(): Promise<void> {
  const db = createDb(required('BENCH_REDACT_DB'), 4);
  const root = required('BENCH_REDACT_DIR');
  const iterations = Number(required('BENCH_REDACT_ITERATIONS'));
  const store = new FsImageStore(path.join(root, 'store'));
  const pipeline = new PhotoPipeline({ store });
  const media = new PgMediaRepo(db);
  const repo = new PgPhotoRedactionsRepo({ db, clock: { now: () => new Date() } });
  const detector = new WorkerFaceDetector();
  const timed = new Timed(detector, new SharpRedactionRenderer({ store }));
  // The job is run by hand here; what it would queue is not the job's own cost.
  const redaction = new PhotoRedaction({ repo, detector: timed, renderer: timed, images: store, jobs: { send: async () => null } });

  /** A new street photo per iteration (people and background move), stored as the pipeline would. */
  const photo = async (i: number) => {
    const scene = await composeScene({
      width: 1600,
      height: 1200,
      placements: [
        { sample: ((i % 6) + 1) as SampleId, width: 700, left: 30 + (i % 5) * 10, top: 50 },
        { sample: (((i + 3) % 6) + 1) as SampleId, width: 700, left: 860, top: 60 + (i % 4) * 10 },
      ],
      plate: { x: 1100, y: 950, w: 240, h: 60 },
      seed: 100 + i,
    });
    const p = await pipeline.process(scene.jpeg);
    await media.save({ key: p.key, thumbKey: p.thumbKey, contentType: p.contentType, bytes: p.bytes, width: p.width, height: p.height });
    await redaction.photoStored(p.key, { width: p.width, height: p.height });
    return { key: p.key, faces: scene.faces, width: p.width, height: p.height };
  };

  const job = async (i: number, input: Awaited<ReturnType<typeof photo>>): Promise<JobSample> => {
    timed.detectMs = 0;
    timed.renderMs = 0;
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    const cpu0 = cpuNow();
    const t0 = performance.now();
    const outcome = await redaction.detect(input.key);
    const ms = performance.now() - t0;
    const cpuMs = cpuNow() - cpu0;
    clearInterval(sampler);
    if (outcome !== 'done') throw new Error(`job ${i} ended ${outcome}`);
    const row = await repo.find(input.key);
    return {
      iteration: i,
      ms,
      detectMs: timed.detectMs,
      renderMs: timed.renderMs,
      faces: facesFound(input.faces, row!.autoBoxes),
      expected: input.faces.length,
      peakRssBytes: Math.max(peak, process.memoryUsage.rss()),
      cpuMs,
    };
  };

  serveHost(
    {},
    {
      async job(): Promise<JobRun> {
        const inputs = [];
        for (let i = 0; i <= iterations; i++) inputs.push(await photo(i));
        const rssBeforeBytes = process.memoryUsage.rss();
        const first = await job(0, inputs[0]!);
        const samples: JobSample[] = [];
        for (let i = 1; i <= iterations; i++) samples.push(await job(i, inputs[i]!));
        return {
          width: inputs[0]!.width,
          height: inputs[0]!.height,
          detector: detector.version,
          rssBeforeBytes,
          first,
          samples,
          rssAfterBytes: process.memoryUsage.rss(),
          maxRssBytes: process.resourceUsage().maxRSS * 1024,
        };
      },
      async recall(): Promise<RecallRow[]> {
        const scenes = await recallScenes();
        const configs: Array<{ name: string; settings: DetectorSettings }> = [
          { name: 'SSD MobileNet v1, whole photo, min 0.5', settings: { ...DEFAULT_DETECTOR_SETTINGS, minScore: 0.5, tiles: [1, 1] } },
          { name: 'SSD MobileNet v1, whole photo, min 0.3', settings: { ...DEFAULT_DETECTOR_SETTINGS, minScore: 0.3, tiles: [1, 1] } },
          { name: 'Tiny face detector 608, whole photo, min 0.3', settings: { ...DEFAULT_DETECTOR_SETTINGS, model: 'tiny-face-detector', minScore: 0.3, tiles: [1, 1], inputSize: 608 } },
          { name: 'Tiny face detector 1024, whole photo, min 0.3', settings: { ...DEFAULT_DETECTOR_SETTINGS, model: 'tiny-face-detector', minScore: 0.3, tiles: [1, 1], inputSize: 1024 } },
          { name: 'Tiny face detector 608, whole + 2×2 tiles, min 0.4', settings: { ...DEFAULT_DETECTOR_SETTINGS, model: 'tiny-face-detector', inputSize: 608 } },
          { name: 'SSD MobileNet v1, whole + 2×2 tiles, min 0.4', settings: { ...DEFAULT_DETECTOR_SETTINGS, tiles: [2, 2] } },
          { name: 'SSD MobileNet v1, whole + 3×3 tiles, min 0.5', settings: { ...DEFAULT_DETECTOR_SETTINGS, tiles: [3, 3], minScore: 0.5 } },
          { name: `SSD MobileNet v1, whole + 3×3 tiles, min 0.4 (production)`, settings: DEFAULT_DETECTOR_SETTINGS },
        ];
        const rows: RecallRow[] = [];
        for (const c of configs) {
          const d = new WorkerFaceDetector({ settings: c.settings });
          try {
            await d.detect(scenes[0]!.jpeg); // warm-up: thread start and model load
            const out: RecallRow['scenes'] = [];
            for (const s of scenes) {
              const t0 = performance.now();
              const r = await d.detect(s.jpeg);
              out.push({ found: facesFound(s.faces, r.faces), faces: s.faces.length, faceHeight: s.faceHeight, boxes: r.faces.length, ms: performance.now() - t0 });
            }
            rows.push({ name: c.name, detector: d.version, scenes: out });
          } finally {
            await d.close();
          }
        }
        return rows;
      },
    },
    async () => {
      await detector.close();
      await db.close();
    },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`redaction host failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
