/**
 * Photo redaction: the face-pixelation job per 1600 px photo (`PhotoRedaction.detect` as the job
 * queue runs it: the stored photo read, faces found by face-api in the detector's worker thread,
 * pixelated, the public copy and its thumbnail stored, the row and its history written to a real
 * PostgreSQL), with p50/p99 time, CPU and memory; and the recall of detector settings on composited
 * street scenes, which is how the production settings were chosen. In a child process
 * (hosts/redaction-host.ts) so its RSS is about this work.
 */
import type { JobRun, JobSample, RecallRow } from './hosts/redaction-host';
import { startHost } from './lib/host';
import { mb, ms, num, summarise } from './lib/stats';
import type { Suite, SuiteReport } from './lib/suite';

const ITERATIONS = 20;
/** A resident waits for their photo to go public, not for an answer: seconds are fine, minutes are not. */
const TARGET_P99_MS = 10_000;
/** The detector's thread, its WebAssembly heap and the model, on top of the app. */
const TARGET_PEAK_RSS = 768 * 1024 * 1024;

export const redactionSuite: Suite = {
  name: 'redaction',
  title: 'Photo redaction: the face-pixelation job per 1600 px photo, and detector recall',
  async run(ctx): Promise<SuiteReport> {
    const database = await ctx.database('redaction');
    const host = await startHost('redaction', 'redaction-host.ts', {
      log: ctx.log,
      env: { BENCH_REDACT_DB: database.url, BENCH_REDACT_DIR: ctx.tmpDir('redaction'), BENCH_REDACT_ITERATIONS: String(ITERATIONS) },
    });
    ctx.defer(() => host.stop());
    ctx.log(`redaction: ${ITERATIONS + 1} jobs on 1600 px street photos`);
    const r = await host.call<JobRun>('job', undefined, 900_000);
    ctx.log('redaction: recall of detector settings on composited scenes');
    const recall = await host.call<RecallRow[]>('recall', undefined, 1_800_000);
    await host.stop();

    const s = (pick: (x: JobSample) => number) => summarise(r.samples.map(pick));
    const total = s((x) => x.ms);
    const detect = s((x) => x.detectMs);
    const render = s((x) => x.renderMs);
    const cpu = s((x) => x.cpuMs);
    const peak = Math.max(...r.samples.map((x) => x.peakRssBytes), r.first.peakRssBytes);
    const found = r.samples.reduce((a, x) => a + x.faces, 0);
    const faces = r.samples.reduce((a, x) => a + x.expected, 0);
    const row = (label: string, x: ReturnType<typeof s>) => [label, String(x.n), ms(x.p50), ms(x.p99), ms(x.mean), ms(x.max)];
    ctx.log(`job p50 ${ms(total.p50)}, p99 ${ms(total.p99)}, peak RSS ${mb(peak)}`);

    const heights = recall[0]?.scenes.map((x) => `${x.faceHeight} px`) ?? [];
    const recallRows = recall.map((c) => {
      const f = c.scenes.reduce((a, x) => a + x.found, 0);
      const n = c.scenes.reduce((a, x) => a + x.faces, 0);
      const extra = c.scenes.reduce((a, x) => a + Math.max(0, x.boxes - x.found), 0);
      const time = summarise(c.scenes.map((x) => x.ms));
      return [c.name, ...c.scenes.map((x) => `${x.found}/${x.faces}`), `**${f}/${n}**`, String(extra), ms(time.mean)];
    });

    return {
      method:
        `Input: ${ITERATIONS + 1} different ${r.width}×${r.height} street photos, each two groups of people (the face-api demo ` +
        'photos, 700 px wide: 6–9 faces of 80–115 px) and a striped plate composited by `test/fixtures/face-scenes.ts`, stored by ' +
        '`PhotoPipeline.process` and recorded as pending. **Job**: `PhotoRedaction.detect(key)` exactly as the `photo-redaction` ' +
        'queue runs it: read the photo from an `FsImageStore`, decode with sharp, detect in the worker thread ' +
        `(\`${r.detector}\`), pixelate, encode the public copy and a 320 px thumbnail, store both, write the row, its history ` +
        'event (real PostgreSQL). One job at a time, as in production. The first job (thread start, TensorFlow.js and model load) ' +
        `is reported apart; then ${ITERATIONS} timed jobs. RSS is sampled every 5 ms in the host process (the worker thread ` +
        'shares it). **Recall**: each detector setting on five 1600×1200 scenes with all six demo photos at one size (22 faces; ' +
        'fewer fit at the largest size), a face counted found when a detected box grown by 20% covers 70% of it.',
      tables: [
        {
          title: 'The face-pixelation job per 1600 px photo',
          columns: ['Part', 'n', 'p50', 'p99', 'mean', 'max'],
          rows: [row('whole job', total), row('decode + detect (worker thread)', detect), row('pixelate + encode + thumbnail + store', render), row('process CPU per job (all threads)', cpu)],
        },
        {
          title: 'Recall of detector settings by face height (faces found / faces)',
          columns: ['Setting', ...heights, 'all', 'other boxes', 'mean time per photo'],
          rows: recallRows,
        },
      ],
      targets: [
        { label: 'job time per 1600 px photo (p99)', target: `≤ ${ms(TARGET_P99_MS)}`, measured: ms(total.p99), pass: total.p99 <= TARGET_P99_MS },
        { label: 'peak RSS of the process doing the job', target: `≤ ${mb(TARGET_PEAK_RSS)}`, measured: mb(peak), pass: peak <= TARGET_PEAK_RSS },
        { label: 'faces of the job photos found', target: 'all', measured: `${found}/${faces}`, pass: found === faces },
      ],
      notes: [
        `First job (worker thread started, TensorFlow.js WebAssembly backend and SSD MobileNet v1 weights loaded): ${ms(r.first.ms)}, ` +
          `of which detection ${ms(r.first.detectMs)}.`,
        `RSS before the first job ${mb(r.rssBeforeBytes)}, after all jobs ${mb(r.rssAfterBytes)}, highest sampled ${mb(peak)} ` +
          `(process high-water mark ${mb(r.maxRssBytes)}). The WebAssembly heap never shrinks, so after the first photos the figure ` +
          'stays flat: one detection at a time keeps it bounded by one photo\'s tensors.',
        `Per job ${num(cpu.mean)} ms of CPU on average against ${num(total.mean)} ms of wall time: the detector runs on one core ` +
          '(TensorFlow.js WebAssembly, SIMD, no threads), the event loop stays free.',
        'The production setting (SSD MobileNet v1 on the whole photo and on 3 × 3 overlapping tiles, confidence ≥ 0.4; each window ' +
          'shrunk with sharp to the network\'s 512 px before it is handed to the thread) found the most small faces; it costs about ' +
          'twice the CPU of 2 × 2 tiles, which a background job can pay. The tiny face detector misses most faces under 50 px at ' +
          'any input size. Faces of about 25 px stay hard for every setting: staff draw those by hand.',
      ],
    };
  },
};
