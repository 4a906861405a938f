/**
 * NLU classification latency: `classify(text)` of the classifier built by `createNlu()`
 * (src/nlu) over every text of the dev set, against `normalise(text)` alone (the first step
 * of every classification) as the baseline measured in the same process and run. Also the start-up
 * cost of the model and the memory it keeps. In a child process (hosts/nlu-host.ts, --expose-gc).
 */
import os from 'node:os';
import path from 'node:path';
import type { BenchContext } from './lib/context';
import { startHost } from './lib/host';
import { mb, ms, num, ratio, summarise, type Summary } from './lib/stats';
import type { Suite, SuiteReport } from './lib/suite';
import type { NluRun, NluSample } from './hosts/nlu-host';

const DEV_SET = path.join(__dirname, '..', 'fixtures', 'nlu-dev.jsonl');
const PASSES = 5;
const TARGET_P99_MS = 5;
/** Model start-up: `createNlu()` wall clock, data files read and validated, examples assembled, model trained. */
const TARGET_STARTUP_MS = 3000;

const excerpt = (s: string, n = 60): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export async function measureNlu(ctx: BenchContext): Promise<SuiteReport> {
  const host = await startHost('nlu', 'nlu-host.ts', {
    log: ctx.log,
    nodeFlags: ['--expose-gc'],
    env: { BENCH_NLU_DEV: DEV_SET, BENCH_NLU_PASSES: String(PASSES) },
  });
  ctx.defer(() => host.stop());
  ctx.log(`nlu: training, then ${PASSES} passes over ${String(host.info.texts)} dev texts`);
  const load0 = os.loadavg()[0] ?? Number.NaN;
  const r = await host.call<NluRun>('run', undefined, 300_000);
  const load1 = os.loadavg()[0] ?? Number.NaN;
  await host.stop();

  const of = (v: NluSample['variant']) => r.samples.filter((s) => s.variant === v);
  const cls = of('classify');
  const norm = of('normalise');
  const sc = summarise(cls.map((s) => s.ms));
  const sn = summarise(norm.map((s) => s.ms));
  const passesOf = (v: NluSample['variant']) => r.passes.filter((p) => p.variant === v);
  const rate = (v: NluSample['variant']) => {
    const ps = passesOf(v);
    const wall = ps.reduce((a, p) => a + p.wallMs, 0);
    return (ps.length * r.texts.length * 1000) / wall;
  };
  const cpuShare = (v: NluSample['variant']) => {
    const ps = passesOf(v);
    return ps.reduce((a, p) => a + p.cpuMs, 0) / ps.reduce((a, p) => a + p.wallMs, 0);
  };
  const rateC = rate('classify');
  const rateN = rate('normalise');
  ctx.log(`nlu: classify p50 ${ms(sc.p50)}, p99 ${ms(sc.p99)}, ${num(rateC)} msg/s; normalise p50 ${ms(sn.p50)}`);

  // Per text over the passes: the minimum is the text's own cost, free of GC and scheduling noise.
  const perText = r.texts.map((text, i) => {
    const xs = cls.filter((s) => s.text === i).map((s) => s.ms).sort((a, b) => a - b);
    return { i, text, min: xs[0] ?? Number.NaN, median: xs[Math.floor(xs.length / 2)] ?? Number.NaN };
  });
  const intrinsic = summarise(perText.map((t) => t.min));
  const slowestTexts = [...perText].sort((a, b) => b.median - a.median).slice(0, 3);

  // Samples over the target: what else happened during them.
  const slow = cls.filter((s) => s.ms > TARGET_P99_MS);
  const slowGc = slow.filter((s) => s.gc);
  const slowWaited = slow.filter((s) => !s.gc && s.cpuMs < 0.5 * s.ms);
  const slowOther = slow.length - slowGc.length - slowWaited.length;
  const slowTexts = new Set(slow.map((s) => s.text));
  const repeatSlow = [...slowTexts].filter((i) => slow.filter((s) => s.text === i).length > 1).length;
  const gcShare = cls.filter((s) => s.gc).length / cls.length;

  const pass = sc.p99 <= TARGET_P99_MS;
  const startupPass = r.createWallMs <= TARGET_STARTUP_MS;
  const row = (name: string, s: Summary, perSecond: number) => [name, num(s.n), `${num(perSecond)} msg/s`, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.mean), ms(s.max)];
  const memRow = (name: string, m: NluRun['memBefore']) => [name, mb(m.heapUsed), mb(m.arrayBuffers), mb(m.external), mb(m.rss)];
  const g = r.gcDuringMeasure;

  const notes: string[] = [];
  if (!pass) {
    notes.push(
      `**Why the p99 target is missed.** ${num(slow.length)} of ${num(cls.length)} classify calls took over ${TARGET_P99_MS} ms: ` +
        `${num(slowGc.length)} overlapped a V8 garbage collection, ${num(slowWaited.length)} more got less than half a core while they ran ` +
        `(the process waited for a CPU: load average ${load0.toFixed(2)} → ${load1.toFixed(2)} on ${os.availableParallelism()} cores), ` +
        `${num(slowOther)} neither. They hit ${num(slowTexts.size)} different texts, ${num(repeatSlow)} of them more than once. ` +
        `Each text's fastest pass gives a p99 of ${ms(intrinsic.p99)} (max ${ms(intrinsic.max)}): ` +
        (intrinsic.p99 <= TARGET_P99_MS
          ? 'the classifier itself is within the target; the tail is interference.'
          : 'some texts are slow on every pass: the classifier itself is over the target for them (slowest below).'),
    );
  }
  notes.push(
    `\`trainingMs\` (${ms(r.trainingMs)}) covers only the Classifier constructor (features of every example, vocabulary, SGD). ` +
      `The wall clock around \`createNlu()\` (${ms(r.createWallMs)}) adds reading and validating the data files and assembling the examples ` +
      `(${ms(r.createWallMs - r.trainingMs)}). The first \`classify\` after training took ${ms(r.firstClassifyMs)}: the nearest-neighbour ` +
      'index is built lazily on first use (and the code is cold), so the first resident after a start pays it, not the start-up. ' +
      `Loading the module (ts-node transpile, as with \`npm start\`) took ${ms(r.moduleLoadMs)} more.`,
    `Memory: the model's weights and neighbour index are typed arrays, counted in \`arrayBuffers\` (outside \`heapUsed\`). ` +
      `Retained after a full GC: heap +${mb(r.memRetained.heapUsed - r.memBefore.heapUsed)}, array buffers +${mb(r.memRetained.arrayBuffers - r.memBefore.arrayBuffers)}.`,
    `GC during the measured passes: ${g.count} collections (${Object.entries(g.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}), ` +
      `${ms(g.totalMs)} in total, longest ${ms(g.maxMs)}; ${(gcShare * 100).toFixed(1)}% of classify calls overlapped one. ` +
      `CPU time ÷ wall time over the passes: classify ${(cpuShare('classify') * 100).toFixed(0)}%, normalise ${(cpuShare('normalise') * 100).toFixed(0)}% ` +
      '(process CPU includes V8\'s GC and compiler helper threads, hence over 100%; well under 100% would mean the process waited for a core).',
    `Slowest texts (median over ${PASSES} passes): ${slowestTexts.map((t) => `${ms(t.median)} for ${t.text.length} chars ("${excerpt(t.text)}")`).join('; ')}.`,
  );

  return {
    method:
      `The classifier is built once with \`createNlu()\` (src/nlu) in a dedicated child process (\`hosts/nlu-host.ts\`, ` +
      `node --expose-gc, ts-node transpile-only like \`npm start\`). Then every text of \`test/fixtures/nlu-dev.jsonl\` ` +
      `(${num(r.texts.length)} resident messages, Vietnamese with and without diacritics, teencode, English) goes once through ` +
      `\`classify\` and once through the baseline as a warm-up, then ${PASSES} measured passes; in each pass every text is timed alone ` +
      '(`performance.now()` around one call), with the process CPU time and any overlapping GC (PerformanceObserver) recorded per call. ' +
      "**Baseline**: `normalise(text)` alone (the NLU's first step: NFC, teencode and regional words, tone keys), in the same passes, " +
      'alternating which variant goes first. Messages/s is texts ÷ wall time of the passes, one call at a time on one thread.',
    tables: [
      {
        title: 'Per message',
        columns: ['', 'Calls', 'Throughput', 'p50', 'p95', 'p99', 'mean', 'max'],
        rows: [
          row('classify(text)', sc, rateC),
          row('normalise(text) alone (baseline)', sn, rateN),
          ['classify ÷ normalise', '', ratio(rateN / rateC), ratio(sc.p50 / sn.p50), ratio(sc.p95 / sn.p95), ratio(sc.p99 / sn.p99), ratio(sc.mean / sn.mean), ''],
          ['classify, fastest of the passes per text', num(intrinsic.n), '', ms(intrinsic.p50), ms(intrinsic.p95), ms(intrinsic.p99), ms(intrinsic.mean), ms(intrinsic.max)],
        ],
      },
      {
        title: 'Start-up',
        columns: ['Step', 'Time'],
        rows: [
          ['load src/nlu (ts-node transpile + module init)', ms(r.moduleLoadMs)],
          ['createNlu(), wall clock (data files + examples + training)', ms(r.createWallMs)],
          ['  of which Nlu.trainingMs (the model\'s own figure)', ms(r.trainingMs)],
          ['  of which reading/validating data, assembling examples', ms(r.createWallMs - r.trainingMs)],
          ['first classify() after training (lazy neighbour index, cold code)', ms(r.firstClassifyMs)],
          ['warm-up pass (every text through both variants)', ms(r.warmupMs)],
        ],
      },
      {
        title: 'Memory of the NLU process',
        columns: ['When', 'heapUsed', 'arrayBuffers', 'external', 'RSS'],
        rows: [
          memRow('before loading the module (after GC)', r.memBefore),
          memRow('right after createNlu() (no GC)', r.memAfterTraining),
          memRow('after warm-up and a full GC (what the model keeps)', r.memRetained),
        ],
      },
      {
        title: `Classify calls over ${TARGET_P99_MS} ms`,
        columns: ['Calls', 'overlapping a GC', 'no GC, < ½ core while running', 'neither', 'distinct texts'],
        rows: [[num(slow.length), num(slowGc.length), num(slowWaited.length), num(slowOther), num(slowTexts.size)]],
      },
    ],
    targets: [
      {
        label: 'classify p99 per message',
        target: `≤ ${TARGET_P99_MS} ms`,
        measured: `${ms(sc.p99)} (p50 ${ms(sc.p50)}, ${num(rateC)} msg/s)`,
        pass,
      },
      {
        label: 'model start-up (createNlu, wall clock)',
        target: `≤ ${TARGET_STARTUP_MS / 1000} s`,
        measured: `${ms(r.createWallMs)} (training ${ms(r.trainingMs)})`,
        pass: startupPass,
      },
    ],
    notes,
  };
}

export const nluSuite: Suite = {
  name: 'nlu',
  title: 'NLU classification latency',
  run: measureNlu,
};
