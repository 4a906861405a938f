/**
 * The shape of a benchmark suite. A suite is one `test/bench/<name>.bench.ts` file exporting a
 * {@link Suite}; `test/bench/run.ts` lists them. A suite measures, compares with a baseline taken
 * in the same run, and says which targets it met; it never fails the run for a missed target.
 */
import type { BenchContext } from './context';

export interface Table {
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** One target from the issue, checked against what was measured. */
export interface TargetCheck {
  readonly label: string;
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

export interface SuiteReport {
  /** How it was measured (one paragraph for BENCHMARKS.md). */
  readonly method: string;
  readonly tables: readonly Table[];
  readonly targets: readonly TargetCheck[];
  /** Findings and caveats, one bullet each. */
  readonly notes: readonly string[];
  /** Placeholders set this: the section exists but nothing was measured yet. */
  readonly pending?: boolean;
}

export interface Suite {
  /** For `--only <name>`. */
  readonly name: string;
  /** Section heading in BENCHMARKS.md. */
  readonly title: string;
  run(ctx: BenchContext): Promise<SuiteReport>;
}
