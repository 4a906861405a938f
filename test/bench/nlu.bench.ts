/**
 * PLACEHOLDER: NLU classification latency. Not measured yet. Whoever adds it: fill in
 * {@link measureNlu} and keep the suite name (`--only nlu`).
 *
 * Suggested shape: build the classifier once with `createNlu()` (src/domain/nlu; report its
 * `trainingMs`), then time `classify(text)` over the dev set (test/fixtures/nlu-dev.jsonl) after a
 * warm-up pass: p50/p99 per text and texts/s, against a baseline measured in the same run (e.g.
 * `normalise(text)` alone), in this process (no server involved).
 */
import type { BenchContext } from './lib/context';
import type { Suite, SuiteReport } from './lib/suite';

/** TODO(nlu): measure classification latency here; return tables and targets like the other suites. */
export async function measureNlu(_ctx: BenchContext): Promise<SuiteReport> {
  return {
    pending: true,
    method: '_Not measured yet._ NLU classification latency (`classify(text)` p50/p99 and texts/s over the dev set, plus training time at start-up) will be added here (`measureNlu` in `test/bench/nlu.bench.ts`).',
    tables: [],
    targets: [],
    notes: [],
  };
}

export const nluSuite: Suite = {
  name: 'nlu',
  title: 'NLU classification latency',
  run: measureNlu,
};
