/**
 * `npm run bench`: runs the benchmark suites, writes BENCHMARKS.md at the repo root and prints a
 * summary. `--only <name>[,<name>]` runs some suites, `--list` lists them.
 *
 * Speed and memory are measured here, never asserted by timed tests. A missed target is a finding:
 * the exit code is 0 unless a suite crashed (1) or the arguments were wrong (2).
 *
 * Adding a suite: create `test/bench/<name>.bench.ts` exporting a `Suite`, add it to SUITES.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createContext } from './lib/context';
import { loadNow } from './lib/cpu';
import { installLoopbackGuard } from './lib/loopback-guard';
import { describeMachine } from './lib/machine';
import { renderMarkdown, renderSummary, type SuiteOutcome } from './lib/report';
import type { Suite } from './lib/suite';
import { analyticsSuite } from './analytics.bench';
import { messengerAckSuite } from './messenger-ack.bench';
import { messengerTurnsSuite } from './messenger-turns.bench';
import { nluSuite } from './nlu.bench';
import { photoSuite } from './photo.bench';
import { reportDeskSuite } from './report-desk.bench';
import { redactionSuite } from './redaction.bench';
import { zaloSuite } from './zalo.bench';
import { broadcastSuite } from './broadcast.bench';
import { soakSuite } from './soak.bench';

const SUITES: readonly Suite[] = [
  messengerAckSuite,
  messengerTurnsSuite,
  photoSuite,
  redactionSuite,
  zaloSuite,
  nluSuite,
  analyticsSuite,
  broadcastSuite,
  reportDeskSuite,
  soakSuite,
];

const REPORT_FILE = path.join(__dirname, '..', '..', 'BENCHMARKS.md');

function parseArgs(argv: readonly string[]): { only: Set<string> | null; list: boolean } {
  let only: Set<string> | null = null;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--list') list = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!value) throw new UsageError('--only needs a suite name');
      only ??= new Set();
      for (const n of value.split(',').map((s) => s.trim()).filter(Boolean)) only.add(n);
    } else throw new UsageError(`unknown argument ${a}`);
  }
  const unknown = [...(only ?? [])].filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length > 0) throw new UsageError(`unknown suite ${unknown.join(', ')}`);
  return { only, list };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err: unknown) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\nusage: npm run bench -- [--only <name>[,<name>]] [--list]\nsuites: ${SUITES.map((s) => s.name).join(', ')}\n`);
    return 2;
  }
  if (args.list) {
    for (const s of SUITES) process.stdout.write(`${s.name.padEnd(18)} ${s.title}\n`);
    return 0;
  }

  installLoopbackGuard();
  const startedAt = new Date();
  const loadAtStart = loadNow().load1;
  const run = createContext();
  const outcomes: SuiteOutcome[] = [];
  let closeCurrentSuite: (() => Promise<void>) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    run.log(`${signal}: stopping servers and PostgreSQL`);
    // Servers first (they need the database to shut down cleanly), then the run's own resources.
    void (async () => {
      await closeCurrentSuite?.();
      await run.cleanup();
    })().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    for (const suite of SUITES) {
      if (args.only && !args.only.has(suite.name)) {
        outcomes.push({ suite, seconds: 0, skipped: true });
        continue;
      }
      run.log(`▶ ${suite.name}: ${suite.title}`);
      const t0 = Date.now();
      const { ctx, close } = run.forSuite();
      closeCurrentSuite = close;
      try {
        const report = await suite.run(ctx);
        outcomes.push({ suite, seconds: (Date.now() - t0) / 1000, report });
      } catch (err: unknown) {
        run.log(`✖ ${suite.name} crashed: ${err instanceof Error ? err.stack : String(err)}`);
        outcomes.push({ suite, seconds: (Date.now() - t0) / 1000, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      } finally {
        closeCurrentSuite = undefined;
        await close();
      }
    }
  } finally {
    await run.cleanup();
  }

  const result = {
    machine: describeMachine(),
    postgres: run.postgresDescription(),
    startedAt,
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    load: { start: loadAtStart, end: loadNow().load1 },
    command: `npm run bench${args.only ? ` -- --only ${[...args.only].join(',')}` : ''}`,
    outcomes,
  };
  fs.writeFileSync(REPORT_FILE, renderMarkdown(result));
  process.stdout.write(renderSummary(result));
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), REPORT_FILE) || REPORT_FILE}\n`);
  return outcomes.some((o) => o.error) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Everything was closed; if some handle still keeps the process alive, say so and exit anyway.
    setTimeout(() => {
      const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
      process.stderr.write(`bench: ${handles.length} handle(s) still open after the run; exiting anyway\n`);
      process.exit(code);
    }, 3000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
