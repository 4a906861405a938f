/** Renders a run as BENCHMARKS.md and as the stdout summary. */
import type { Machine } from './machine';
import type { Suite, SuiteReport, Table, TargetCheck } from './suite';

export interface SuiteOutcome {
  readonly suite: Suite;
  readonly seconds: number;
  /** Absent when the suite crashed or was not selected. */
  readonly report?: SuiteReport;
  readonly error?: string;
  readonly skipped?: boolean;
}

export interface Run {
  readonly machine: Machine;
  readonly postgres: string | undefined;
  readonly startedAt: Date;
  readonly seconds: number;
  readonly command: string;
  /** 1-minute load average when the run started and ended. */
  readonly load: { readonly start: number; readonly end: number };
  readonly outcomes: readonly SuiteOutcome[];
}

/** A machine already busier than half its cores when the run started skews wall-clock figures. */
function loadWarning(run: Run): string | null {
  const busy = run.load.start > run.machine.cores / 2;
  return busy
    ? `**Other processes were busy:** load average ${run.load.start.toFixed(2)} on ${run.machine.cores} cores when the run started. ` +
        'Latency and throughput are pessimistic; ratios and CPU time per event hold up better. Re-run on a quiet machine for the PR.'
    : null;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdownTable(t: Table): string {
  const head = `| ${t.columns.map(cell).join(' | ')} |\n|${t.columns.map(() => '---').join('|')}|\n`;
  return head + t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n') + '\n';
}

const verdict = (t: TargetCheck): string => (t.pass ? 'PASS' : 'MISS');

export function renderMarkdown(run: Run): string {
  const m = run.machine;
  const out: string[] = [];
  out.push('# Benchmarks\n');
  out.push(
    `Written by \`${run.command}\` on ${run.startedAt.toISOString()} (the run took ${run.seconds.toFixed(0)} s). ` +
      'Do not edit by hand: re-run and commit. Every ratio compares with a baseline measured in the same run on the same ' +
      'machine, so figures from different machines are not comparable; ratios are.\n',
  );
  out.push('## Machine\n');
  out.push(
    markdownTable({
      columns: ['', ''],
      rows: [
        ['CPU', m.cpu],
        ['Cores', String(m.cores)],
        ['RAM', `${m.ramGiB.toFixed(1)} GiB`],
        ['Node', m.node],
        ['OS', m.os],
        ['Image library', m.libvips],
        ['Database', run.postgres ?? 'not used in this run'],
        ['Load average (1 min)', `${run.load.start.toFixed(2)} at start, ${run.load.end.toFixed(2)} at end`],
      ],
    }),
  );
  const warning = loadWarning(run);
  if (warning) out.push(`${warning}\n`);
  out.push(
    'The load generator, the servers under test (each in its own child process), the fakes and PostgreSQL all share these cores.\n',
  );

  out.push('## Targets\n');
  const targetRows = run.outcomes.flatMap((o) =>
    o.report
      ? o.report.targets.map((t) => [o.suite.name, t.label, t.target, t.measured, verdict(t)])
      : [[o.suite.name, o.skipped ? 'not run (--only)' : o.error ? 'suite crashed' : '—', '', '', o.error ? 'ERROR' : '']],
  );
  out.push(markdownTable({ columns: ['Suite', 'Figure', 'Target', 'Measured', 'Result'], rows: targetRows }));

  for (const o of run.outcomes) {
    out.push(`## ${o.suite.title} (\`${o.suite.name}\`)\n`);
    if (o.skipped) {
      out.push(`Not run in this run (\`--only\` selected other suites).\n`);
      continue;
    }
    if (o.error || !o.report) {
      out.push(`**The suite crashed** after ${o.seconds.toFixed(1)} s:\n\n\`\`\`\n${o.error ?? 'no report'}\n\`\`\`\n`);
      continue;
    }
    const r = o.report;
    out.push(`${r.method}\n`);
    for (const t of r.tables) {
      if (t.title) out.push(`**${t.title}**\n`);
      out.push(markdownTable(t));
    }
    if (r.targets.length > 0) {
      out.push(
        markdownTable({
          columns: ['Target', 'Measured', 'Result'],
          rows: r.targets.map((t) => [`${t.label}: ${t.target}`, t.measured, verdict(t)]),
        }),
      );
    }
    if (r.notes.length > 0) out.push(r.notes.map((n) => `- ${n}`).join('\n') + '\n');
    if (!r.pending) out.push(`_Suite time: ${o.seconds.toFixed(1)} s._\n`);
  }

  out.push('## Running and extending\n');
  out.push(
    [
      '- `npm run bench` runs every suite; `npm run bench -- --only messenger-turns` (comma-separated names allowed) runs some;',
      '  `npm run bench -- --list` lists them. A missed target is a finding: the exit code is 0 unless a suite crashed.',
      '- PostgreSQL: the server in `DATABASE_URL` when set, otherwise an embedded one in a temporary directory.',
      '- `BENCH_CPU_PROF=app` (or `bare`, `photo`, `nlu`, `app-nolimit` for the Zalo diagnostic host; comma-separated) writes `.cpuprofile` files of that host process to `BENCH_CPU_PROF_DIR` (default `./bench-profiles`).',
      '- A new suite is a file `test/bench/<name>.bench.ts` exporting a `Suite` (see `test/bench/lib/suite.ts`) plus one line in the',
      '  `SUITES` list of `test/bench/run.ts`. Start servers under test with `startHost` (`test/bench/lib/host.ts`), and measure the',
      '  baseline in the same run.',
    ].join('\n') + '\n',
  );
  return out.join('\n');
}

export function renderSummary(run: Run): string {
  const lines: string[] = [];
  const m = run.machine;
  lines.push('');
  lines.push(`phananh-bot benchmarks — ${run.startedAt.toISOString()} — ${run.seconds.toFixed(0)} s`);
  lines.push(`${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB, Node ${m.node}, ${m.os}`);
  if (run.postgres) lines.push(run.postgres);
  lines.push(`load average ${run.load.start.toFixed(2)} at start, ${run.load.end.toFixed(2)} at end`);
  const warning = loadWarning(run);
  if (warning) lines.push(warning.replace(/\*\*/g, ''));
  for (const o of run.outcomes) {
    if (o.skipped) continue;
    lines.push('');
    lines.push(`${o.suite.title} [${o.suite.name}]`);
    if (o.error || !o.report) {
      lines.push(`  CRASHED: ${(o.error ?? 'no report').split('\n')[0]}`);
      continue;
    }
    for (const t of o.report.tables) {
      if (t.title) lines.push(`  ${t.title}`);
      const widths = t.columns.map((c, i) => Math.max(c.length, ...t.rows.map((r) => (r[i] ?? '').length)));
      const fmt = (r: readonly string[]) => '  ' + r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
      lines.push(fmt(t.columns));
      for (const r of t.rows) lines.push(fmt(r));
    }
    for (const t of o.report.targets) lines.push(`  ${verdict(t)}  ${t.label}: ${t.measured} (target ${t.target})`);
    if (o.report.pending) lines.push('  (placeholder: nothing measured yet)');
  }
  lines.push('');
  return lines.join('\n');
}
