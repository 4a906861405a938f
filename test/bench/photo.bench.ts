/**
 * The photo pipeline per 12 MP JPEG (PhotoPipeline.process into an FsImageStore) against a bare
 * sharp resize of the same input. Runs in a child process (hosts/photo-host.ts) so its peak RSS
 * is about image work only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jpeg12mp } from '../fixtures/images';
import type { PhotoRun, PhotoSample, PhotoVariant } from './hosts/photo-host';
import { startHost } from './lib/host';
import { mb, ms, num, ratio, summarise } from './lib/stats';
import type { Suite, SuiteReport } from './lib/suite';

const ITERATIONS = 10;
const TARGET_RATIO = 1.3;

export const photoSuite: Suite = {
  name: 'photo',
  title: 'Photo pipeline per 12 MP JPEG vs bare sharp resize',
  async run(ctx): Promise<SuiteReport> {
    ctx.log('making the 12 MP fixture');
    const dir = ctx.tmpDir('photo');
    const file = path.join(dir, 'input-12mp.jpg');
    fs.writeFileSync(file, await jpeg12mp());
    const host = await startHost('photo', 'photo-host.ts', {
      log: ctx.log,
      env: { BENCH_PHOTO_FILE: file, BENCH_PHOTO_DIR: path.join(dir, 'store'), BENCH_PHOTO_ITERATIONS: String(ITERATIONS) },
    });
    ctx.defer(() => host.stop());
    ctx.log(`timing ${ITERATIONS} iterations of each, alternating order`);
    const r = await host.call<PhotoRun>('run', undefined, 150_000);
    await host.stop();

    const of = (v: PhotoVariant): PhotoSample[] => r.samples.filter((s) => s.variant === v);
    const pipe = summarise(of('pipeline').map((s) => s.ms));
    const bare = summarise(of('bare').map((s) => s.ms));
    const render = summarise(of('render').map((s) => s.ms));
    const meanRatio = pipe.mean / bare.mean;
    const min = (xs: PhotoSample[]) => Math.min(...xs.map((s) => s.ms));
    const peak = (xs: PhotoSample[]) => Math.max(...xs.map((s) => s.peakRssBytes));
    const out = (xs: PhotoSample[]) => {
      const s = xs[0];
      return s ? `${s.width}×${s.height}, ${num(s.bytes / 1024)} KiB` : 'n/a';
    };
    ctx.log(`pipeline mean ${ms(pipe.mean)}, bare mean ${ms(bare.mean)}, ratio ${ratio(meanRatio)}`);

    return {
      method:
        `Input: one ${r.inputWidth}×${r.inputHeight} camera-like JPEG (${num(r.inputBytes / 1024)} KiB, \`jpeg12mp()\` from ` +
        'test/fixtures/images.ts). **Pipeline**: `PhotoPipeline.process` (sniff, header check, EXIF GPS, auto-orient, ' +
        'resize to 1600 px inside, metadata-free JPEG q82, 320 px thumbnail from the result, SHA-256 keys, both files written ' +
        'to a fresh `FsImageStore` directory). **Baseline**: `sharp(buf).resize(1600, 1600, { fit: \'inside\' }).jpeg().toBuffer()`. ' +
        `Each call gets a fresh copy of the input buffer. One warm-up call each, then ${ITERATIONS} iterations, alternating ` +
        `which variant goes first; one image at a time, sharp concurrency ${r.sharpConcurrency}. In a dedicated child process.`,
      tables: [
        {
          columns: ['Variant', 'n', 'mean', 'p50', 'min', 'max', 'Output (main)'],
          rows: [
            ['PhotoPipeline.process', String(pipe.n), ms(pipe.mean), ms(pipe.p50), ms(min(of('pipeline'))), ms(pipe.max), out(of('pipeline'))],
            ['bare sharp resize (baseline)', String(bare.n), ms(bare.mean), ms(bare.p50), ms(min(of('bare'))), ms(bare.max), out(of('bare'))],
            ['pipeline ÷ bare', '', ratio(meanRatio), ratio(pipe.p50 / bare.p50), ratio(min(of('pipeline')) / min(of('bare'))), '', ''],
            ['diagnostic: PhotoPipeline.render (no hashing, no store)', String(render.n), ms(render.mean), ms(render.p50), ms(min(of('render'))), ms(render.max), out(of('render'))],
          ],
        },
      ],
      targets: [
        {
          label: 'pipeline time per image ÷ bare (mean)',
          target: `≤ ${TARGET_RATIO.toFixed(1)}×`,
          measured: `${ratio(meanRatio)} (${ms(pipe.mean)} vs ${ms(bare.mean)})`,
          pass: meanRatio <= TARGET_RATIO,
        },
      ],
      notes: [
        `Peak RSS of the photo process: ${mb(r.maxRssBytes)}, highest sampled during a pipeline call ${mb(peak(of('pipeline')))}, ` +
          `during a bare call ${mb(peak(of('bare')))} (RSS before the first call, with sharp loaded and the input read: ` +
          `${mb(r.rssBeforeBytes)}). RSS is a high-water mark of the process (libvips keeps freed memory), so per-variant ` +
          'figures after the first calls mostly show the shared peak.',
        `Warm-up calls: pipeline ${ms(r.warmup[0]?.ms ?? NaN)}, bare ${ms(r.warmup[1]?.ms ?? NaN)}. The diagnostic render row runs ` +
          'after each compared pair; it is the pipeline minus hashing and the two file writes.',
      ],
    };
  },
};
