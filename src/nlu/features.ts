/**
 * Sparse TF-IDF features of a normalised message.
 *
 * Groups (each L2-normalised on its own, then weighted, so no group drowns the others):
 * - `f` folded syllables and `b` folded syllable bigrams: the words, with or without diacritics;
 * - `a` accented syllables (only tokens typed with marks): diacritics help when present;
 * - `c` character n-grams (2–5) over the folded text, across word boundaries: typos, glued or split words;
 * - `x` a few flags (question mark, exclamation, English).
 *
 * The vocabulary is built from the training set; n-grams never seen in training carry no weight.
 */
import type { Normalised } from './normalise';

export type FeatureGroup = 'f' | 'b' | 'a' | 'c' | 'x';

export interface FeatureConfig {
  readonly charMin: number;
  readonly charMax: number;
  /** Relative weight of each group in the final vector (squared-norm share). */
  readonly weights: Readonly<Record<FeatureGroup, number>>;
  /** Features seen in fewer training documents are dropped. */
  readonly minDf: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  charMin: 2,
  charMax: 5,
  weights: { f: 1, b: 0.6, a: 0.5, c: 1.6, x: 0.05 },
  minDf: 1,
};

/** A sparse vector: feature indices (unsorted, unique) and their values; L2 norm 1 unless empty. */
export interface SparseVector {
  readonly idx: Int32Array;
  readonly val: Float32Array;
}

/** Raw term counts of a message, keyed by group-prefixed feature strings. */
export function rawFeatures(n: Normalised, cfg: FeatureConfig): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string): void => {
    out.set(k, (out.get(k) ?? 0) + 1);
  };
  const toks = n.tokens;
  for (let i = 0; i < toks.length; i += 1) {
    const t = toks[i];
    if (t === undefined) continue;
    add(`f${t.folded}`);
    if (t.marked) add(`a${t.accented}`);
    const next = toks[i + 1];
    if (next !== undefined) add(`b${t.folded}_${next.folded}`);
  }
  if (toks.length > 0) {
    add(`b^_${toks[0]?.folded ?? ''}`);
  }
  const s = ` ${n.folded} `;
  for (let len = cfg.charMin; len <= cfg.charMax; len += 1) {
    for (let i = 0; i + len <= s.length; i += 1) {
      const g = s.slice(i, i + len);
      if (g.trim() === '') continue;
      add(`c${g}`);
    }
  }
  if (n.hasQuestionMark) add('x?');
  if (n.hasExclamation) add('x!');
  if (n.lang === 'en') add('xen');
  if (toks.length <= 2) add('xshort');
  return out;
}

/** Maps raw features to weighted, normalised sparse vectors with a vocabulary fitted on training documents. */
export class Vectorizer {
  private readonly index = new Map<string, number>();
  private idf = new Float32Array(0);
  private groupOf = new Uint8Array(0);

  constructor(readonly config: FeatureConfig = DEFAULT_FEATURES) {}

  get size(): number {
    return this.index.size;
  }

  /** Builds the vocabulary and IDF from training documents' raw features. */
  fit(docs: readonly Map<string, number>[]): void {
    const df = new Map<string, number>();
    for (const d of docs) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const keys = [...df.keys()].filter((k) => (df.get(k) ?? 0) >= this.config.minDf || k.startsWith('x')).sort();
    this.idf = new Float32Array(keys.length);
    this.groupOf = new Uint8Array(keys.length);
    const n = docs.length;
    keys.forEach((k, i) => {
      this.index.set(k, i);
      this.idf[i] = Math.log((1 + n) / (1 + (df.get(k) ?? 0))) + 1;
      this.groupOf[i] = GROUP_CODES.indexOf(k[0] as FeatureGroup);
    });
  }

  /** Sublinear TF × IDF, L2-normalised per group, weighted, then normalised as a whole. Indices are not sorted. */
  transform(raw: Map<string, number>): SparseVector {
    const n = raw.size;
    const idx = new Int32Array(n);
    const val = new Float32Array(n);
    const groupNorm = new Float64Array(GROUP_CODES.length);
    let m = 0;
    for (const [k, count] of raw) {
      const i = this.index.get(k);
      if (i === undefined) continue;
      const v = (1 + Math.log(count)) * this.idf[i]!;
      idx[m] = i;
      val[m] = v;
      m += 1;
      groupNorm[this.groupOf[i]!]! += v * v;
    }
    const scale = new Float64Array(GROUP_CODES.length);
    GROUP_CODES.forEach((g, gi) => {
      const norm = Math.sqrt(groupNorm[gi]!);
      scale[gi] = norm > 0 ? Math.sqrt(this.config.weights[g]) / norm : 0;
    });
    let total = 0;
    for (let j = 0; j < m; j += 1) {
      const s = val[j]! * scale[this.groupOf[idx[j]!]!]!;
      val[j] = s;
      total += s * s;
    }
    if (total > 0) {
      const inv = 1 / Math.sqrt(total);
      for (let j = 0; j < m; j += 1) val[j]! *= inv;
    }
    return { idx: idx.subarray(0, m), val: val.subarray(0, m) };
  }
}

const GROUP_CODES: readonly FeatureGroup[] = ['f', 'b', 'a', 'c', 'x'];

/** Dot product of a sparse vector with a dense one. */
export function denseDot(x: SparseVector, dense: Float32Array): number {
  let s = 0;
  for (let k = 0; k < x.idx.length; k += 1) s += x.val[k]! * (dense[x.idx[k]!] ?? 0);
  return s;
}
