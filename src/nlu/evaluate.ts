/**
 * Scoring of the NLU against labelled messages (the dev set, or held-out training folds), shared by
 * `npm run nlu:eval` and the tests. Pure: no file or console access.
 */
import type { Intent, NluResult } from './classifier';

export interface GoldExample {
  readonly text: string;
  readonly intent: Intent;
  readonly topic: string | null;
  readonly category: string | null;
  /** How the message is written: `plain`, `no-diacritics`, `teencode`, `long`, `keywords`, `english` (several may apply). */
  readonly style?: readonly string[];
  /** Phenomena: `situation` (an emergency described without the keyword), `look-alike`, `pair`, `meta`. */
  readonly tags?: readonly string[];
}

/** One score bucket of the calibration table: how often results in `[lo, hi)` were right. */
export interface CalibrationBucket {
  readonly lo: number;
  readonly hi: number;
  n: number;
  correct: number;
}

export interface Bucket {
  n: number;
  correct: number;
}

export interface EvalReport {
  readonly n: number;
  readonly exact: number;
  readonly perIntent: Record<string, Bucket & { intentCorrect: number }>;
  readonly perTopic: Record<string, Bucket>;
  readonly perCategory: Record<string, Bucket>;
  readonly emergencyRecall: number;
  readonly emergencyFalseAlarms: number;
  readonly outOfScopeDecline: number;
  /** Exact accuracy per style (`style:long`) and per tag (`tag:situation`); a line counts in each of its styles and tags. */
  readonly slices: Record<string, Bucket>;
  /** Accuracy against the reported score, in buckets of 0.1 (the top one includes 1). */
  readonly calibration: CalibrationBucket[];
  /** Gold → predicted, most frequent first. */
  readonly confusions: Array<{ gold: string; predicted: string; count: number; examples: string[] }>;
  readonly errors: Array<{ text: string; gold: string; predicted: string; score: number }>;
}

export function labelOf(r: { intent: Intent; topic: string | null; category: string | null }): string {
  if (r.intent === 'faq') return `faq:${r.topic ?? '?'}`;
  if (r.intent === 'report') return `report:${r.category ?? '?'}`;
  return r.intent;
}

export function evaluate(pairs: ReadonlyArray<{ gold: GoldExample; predicted: NluResult }>): EvalReport {
  const perIntent: Record<string, Bucket & { intentCorrect: number }> = {};
  const perTopic: Record<string, Bucket> = {};
  const perCategory: Record<string, Bucket> = {};
  const confusion = new Map<string, { count: number; examples: string[] }>();
  const errors: EvalReport['errors'] = [];
  const slices: Record<string, Bucket> = {};
  const calibration: CalibrationBucket[] = Array.from({ length: 10 }, (_, i) => ({ lo: i / 10, hi: (i + 1) / 10, n: 0, correct: 0 }));
  let exact = 0;
  let emergencies = 0;
  let emergencyHits = 0;
  let falseAlarms = 0;
  let unknowns = 0;
  let declined = 0;
  for (const { gold, predicted } of pairs) {
    const g = labelOf(gold);
    const p = labelOf(predicted);
    const ok = g === p;
    if (ok) exact += 1;
    const bi = (perIntent[gold.intent] ??= { n: 0, correct: 0, intentCorrect: 0 });
    bi.n += 1;
    if (ok) bi.correct += 1;
    if (gold.intent === predicted.intent) bi.intentCorrect += 1;
    for (const key of [...(gold.style ?? []).map((x) => `style:${x}`), ...(gold.tags ?? []).map((x) => `tag:${x}`)]) {
      const b = (slices[key] ??= { n: 0, correct: 0 });
      b.n += 1;
      if (ok) b.correct += 1;
    }
    const cb = calibration[Math.min(9, Math.max(0, Math.floor(predicted.score * 10)))];
    if (cb) {
      cb.n += 1;
      if (ok) cb.correct += 1;
    }
    if (gold.intent === 'faq' && gold.topic) {
      const b = (perTopic[gold.topic] ??= { n: 0, correct: 0 });
      b.n += 1;
      if (ok) b.correct += 1;
    }
    if (gold.intent === 'report' && gold.category) {
      const b = (perCategory[gold.category] ??= { n: 0, correct: 0 });
      b.n += 1;
      if (ok) b.correct += 1;
    }
    if (gold.intent === 'emergency') {
      emergencies += 1;
      if (predicted.intent === 'emergency') emergencyHits += 1;
    } else if (predicted.intent === 'emergency') falseAlarms += 1;
    if (gold.intent === 'unknown') {
      unknowns += 1;
      if (predicted.intent === 'unknown') declined += 1;
    }
    if (!ok) {
      const key = `${g}\t${p}`;
      const c = confusion.get(key) ?? { count: 0, examples: [] };
      c.count += 1;
      if (c.examples.length < 3) c.examples.push(gold.text);
      confusion.set(key, c);
      errors.push({ text: gold.text, gold: g, predicted: p, score: predicted.score });
    }
  }
  const confusions = [...confusion.entries()]
    .map(([k, v]) => {
      const [gold = '', predicted = ''] = k.split('\t');
      return { gold, predicted, count: v.count, examples: v.examples };
    })
    .sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold));
  return {
    n: pairs.length,
    exact: pairs.length > 0 ? exact / pairs.length : 0,
    perIntent,
    perTopic,
    perCategory,
    emergencyRecall: emergencies > 0 ? emergencyHits / emergencies : 1,
    emergencyFalseAlarms: falseAlarms,
    outOfScopeDecline: unknowns > 0 ? declined / unknowns : 1,
    slices,
    calibration,
    confusions,
    errors,
  };
}

/** Nearest-rank percentile of a list of numbers. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
