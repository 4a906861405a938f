/**
 * Child process: the NLU classifier alone. Loads src/nlu, builds the classifier once with
 * `createNlu()`, then times `classify(text)` and the baseline `normalise(text)` over every text of
 * the dev set. Its own process (started with --expose-gc) so the heap figures are about the model,
 * not about whatever the runner did before, and nothing else runs on its event loop.
 *
 * For each timed call it also records the process CPU time (to tell a slow call from a call that
 * waited for a core) and whether a V8 garbage collection overlapped it (PerformanceObserver 'gc').
 *
 * Env: BENCH_NLU_DEV (the JSONL dev set), BENCH_NLU_PASSES.
 */
import fs from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { prepareHost, serveHost } from '../lib/host-side';

prepareHost();

export type NluVariant = 'classify' | 'normalise';

export interface NluSample {
  readonly variant: NluVariant;
  readonly pass: number;
  readonly text: number;
  readonly ms: number;
  /** Process CPU time (all threads) during the call, ms. */
  readonly cpuMs: number;
  /** A GC pause (any kind) overlapped the call. */
  readonly gc: boolean;
}

export interface NluPass {
  readonly variant: NluVariant;
  readonly pass: number;
  /** Wall time of the whole pass (every text once, timing overhead included). */
  readonly wallMs: number;
  readonly cpuMs: number;
}

export interface MemoryFigures {
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

export interface NluRun {
  readonly texts: string[];
  /** `require('src/nlu')`: module load, ts-node transpile included (as with `npm start`). */
  readonly moduleLoadMs: number;
  /** Wall clock around `createNlu()`: data files read and validated, examples assembled, model trained. */
  readonly createWallMs: number;
  /** The model's own figure (`Nlu.trainingMs`: the Classifier constructor). */
  readonly trainingMs: number;
  /** The first `classify` after training (builds the neighbour index lazily; cold JIT). */
  readonly firstClassifyMs: number;
  /** After GC, before loading the module. */
  readonly memBefore: MemoryFigures;
  /** Right after `createNlu()`, no GC. */
  readonly memAfterTraining: MemoryFigures;
  /** After training, first classify and a full GC: what the trained model keeps. */
  readonly memRetained: MemoryFigures;
  readonly warmupMs: number;
  readonly samples: NluSample[];
  readonly passes: NluPass[];
  readonly gcDuringMeasure: { count: number; totalMs: number; maxMs: number; byKind: Record<string, number> };
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set; start this host through test/bench/lib/host.ts`);
  return v;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function memory(): MemoryFigures {
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

const GC_KINDS: Record<number, string> = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weakcb' };

async function main(): Promise<void> {
  const texts = fs
    .readFileSync(required('BENCH_NLU_DEV'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const passCount = Number(required('BENCH_NLU_PASSES'));

  serveHost(
    { texts: texts.length },
    {
      async run(): Promise<NluRun> {
        fullGc();
        const memBefore = memory();
        let t0 = performance.now();
        const mod = require('../../../src/nlu') as typeof import('../../../src/nlu');
        const content = require('../../../src/storage/content-loader') as typeof import('../../../src/storage/content-loader');
        const moduleLoadMs = performance.now() - t0;

        t0 = performance.now();
        const nlu = mod.createNlu(content.loadTrainingData());
        const createWallMs = performance.now() - t0;
        const memAfterTraining = memory();

        t0 = performance.now();
        nlu.classify(texts[0] ?? 'xin chào');
        const firstClassifyMs = performance.now() - t0;

        // Warm-up: every text once through each variant.
        t0 = performance.now();
        for (const t of texts) nlu.classify(t);
        for (const t of texts) mod.normalise(t);
        const warmupMs = performance.now() - t0;
        fullGc();
        const memRetained = memory();

        const gcs: Array<{ start: number; end: number; kind: string }> = [];
        const obs = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            const kind = GC_KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
            gcs.push({ start: e.startTime, end: e.startTime + e.duration, kind });
          }
        });
        obs.observe({ entryTypes: ['gc'] });

        const raw: Array<{ variant: NluVariant; pass: number; text: number; t0: number; t1: number; cpuMs: number }> = [];
        const passes: NluPass[] = [];
        const measureStart = performance.now();
        const timePass = (variant: NluVariant, pass: number): void => {
          const fn = variant === 'classify' ? (s: string) => nlu.classify(s) : (s: string) => mod.normalise(s);
          const p0 = performance.now();
          const pc0 = cpuNow();
          for (let i = 0; i < texts.length; i++) {
            const text = texts[i]!;
            const c0 = cpuNow();
            const a = performance.now();
            fn(text);
            const b = performance.now();
            raw.push({ variant, pass, text: i, t0: a, t1: b, cpuMs: cpuNow() - c0 });
          }
          passes.push({ variant, pass, wallMs: performance.now() - p0, cpuMs: cpuNow() - pc0 });
        };
        for (let pass = 0; pass < passCount; pass++) {
          // Alternate which variant goes first, so neither always follows the other's garbage.
          const order: NluVariant[] = pass % 2 === 0 ? ['classify', 'normalise'] : ['normalise', 'classify'];
          for (const v of order) timePass(v, pass);
        }
        const measureEnd = performance.now();
        // GC entries are delivered asynchronously.
        await new Promise((r) => setTimeout(r, 50));
        obs.disconnect();

        const inWindow = gcs.filter((g) => g.end >= measureStart && g.start <= measureEnd);
        const byKind: Record<string, number> = {};
        for (const g of inWindow) byKind[g.kind] = (byKind[g.kind] ?? 0) + 1;
        const samples: NluSample[] = raw.map((r) => ({
          variant: r.variant,
          pass: r.pass,
          text: r.text,
          ms: r.t1 - r.t0,
          cpuMs: r.cpuMs,
          gc: inWindow.some((g) => g.start < r.t1 && g.end > r.t0),
        }));
        return {
          texts,
          moduleLoadMs,
          createWallMs,
          trainingMs: nlu.trainingMs,
          firstClassifyMs,
          memBefore,
          memAfterTraining,
          memRetained,
          warmupMs,
          samples,
          passes,
          gcDuringMeasure: {
            count: inWindow.length,
            totalMs: inWindow.reduce((s, g) => s + (g.end - g.start), 0),
            maxMs: inWindow.reduce((m, g) => Math.max(m, g.end - g.start), 0),
            byKind,
          },
        };
      },
    },
    async () => undefined,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`nlu host failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
