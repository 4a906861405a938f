/**
 * Child process: times PhotoPipeline.process (FsImageStore in a temp dir) against a bare sharp
 * resize of the same 12 MP JPEG, alternating which goes first, and reports peak RSS. Its own
 * process so the RSS figures are about image work, not about whatever the runner did before.
 *
 * Env: BENCH_PHOTO_FILE (the JPEG), BENCH_PHOTO_DIR (store root), BENCH_PHOTO_ITERATIONS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { FsImageStore, PhotoPipeline } from '../../../src/media';
import { prepareHost, serveHost } from '../lib/host-side';

prepareHost();

/** `render` (diagnostic): PhotoPipeline.render, i.e. the pipeline without hashing and storing. */
export type PhotoVariant = 'pipeline' | 'render' | 'bare';

export interface PhotoSample {
  readonly variant: PhotoVariant;
  readonly iteration: number;
  readonly ms: number;
  /** Highest RSS sampled (every 2 ms) while this call ran. */
  readonly peakRssBytes: number;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export interface PhotoRun {
  readonly inputBytes: number;
  readonly inputWidth: number;
  readonly inputHeight: number;
  readonly rssBeforeBytes: number;
  readonly maxRssBytes: number;
  readonly warmup: PhotoSample[];
  readonly samples: PhotoSample[];
  readonly sharpConcurrency: number;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; start this host through test/bench/lib/host.ts`);
  return v;
}

async function main(): Promise<void> {
  const original = fs.readFileSync(required('BENCH_PHOTO_FILE'));
  const root = required('BENCH_PHOTO_DIR');
  const iterations = Number(required('BENCH_PHOTO_ITERATIONS'));
  let calls = 0;

  async function once(variant: PhotoVariant, iteration: number): Promise<PhotoSample> {
    // A fresh copy each time, as each real photo is a new buffer (and no libvips cache hit on the input).
    const input = Buffer.from(original);
    // A fresh store directory, so every process() writes both files instead of finding the key.
    const store = new FsImageStore(path.join(root, String(calls++)));
    const pipeline = new PhotoPipeline({ store });
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 2);
    const t0 = performance.now();
    let out: { width: number; height: number; bytes: number };
    if (variant === 'pipeline') {
      const p = await pipeline.process(input);
      out = { width: p.width, height: p.height, bytes: p.bytes };
    } else if (variant === 'render') {
      const r = await pipeline.render(input);
      out = { width: r.main.width, height: r.main.height, bytes: r.main.data.length };
    } else {
      const { data, info } = await sharp(input).resize(1600, 1600, { fit: 'inside' }).jpeg().toBuffer({ resolveWithObject: true });
      out = { width: info.width, height: info.height, bytes: data.length };
    }
    const elapsed = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    return { variant, iteration, ms: elapsed, peakRssBytes: peak, ...out };
  }

  const meta = await sharp(original).metadata();
  serveHost(
    {},
    {
      async run(): Promise<PhotoRun> {
        const rssBeforeBytes = process.memoryUsage.rss();
        const warmup = [await once('pipeline', -1), await once('bare', -1), await once('render', -1)];
        const samples: PhotoSample[] = [];
        for (let i = 0; i < iterations; i++) {
          // The compared pair alternates which goes first; the diagnostic render runs after both.
          const order: PhotoVariant[] = i % 2 === 0 ? ['pipeline', 'bare', 'render'] : ['bare', 'pipeline', 'render'];
          for (const v of order) samples.push(await once(v, i));
        }
        return {
          inputBytes: original.length,
          inputWidth: meta.width ?? 0,
          inputHeight: meta.height ?? 0,
          rssBeforeBytes,
          maxRssBytes: process.resourceUsage().maxRSS * 1024,
          warmup,
          samples,
          sharpConcurrency: sharp.concurrency(),
        };
      },
    },
    async () => undefined,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`photo host failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
