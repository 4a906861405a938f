/**
 * Sparse TF-IDF features of a normalised message.
 *
 * Groups (each L2-normalised on its own, then weighted, so no group drowns the others):
 * - `f` folded syllables and `b` folded syllable bigrams: the words, with or without diacritics;
 * - `a` accented syllables (only tokens typed with marks): diacritics help when present;
 * - `c` character n-grams (2–4) over the folded text, across word boundaries: typos, glued or split words;
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
  charMax: 4,
  weights: { f: 1, b: 0.6, a: 0.5, c: 1.6, x: 0.05 },
  minDf: 1,
};

/** A sparse vector: feature indices (unsorted, unique) and their values; L2 norm 1 unless empty. */
export interface SparseVector {
  readonly idx: Int32Array;
  readonly val: Float32Array;
}

/**
 * Raw term counts of a message. Keys are integers: a 26-bit FNV-1a hash of the feature text with the
 * group code in the low 3 bits (see {@link groupOfKey}). Hashing instead of building strings keeps
 * training and classification free of per-n-gram allocations; among the ~60k features of the
 * training set a few collide, which costs nothing measurable.
 */
export function rawFeatures(n: Normalised, cfg: FeatureConfig): Map<number, number> {
  const out = new Map<number, number>();
  const add = (k: number): void => {
    out.set(k, (out.get(k) ?? 0) + 1);
  };
  const toks = n.tokens;
  for (let i = 0; i < toks.length; i += 1) {
    const t = toks[i];
    if (t === undefined) continue;
    add(key(G_F, hashString(t.folded, FNV_SEED)));
    if (t.marked) add(key(G_A, hashString(t.accented, FNV_SEED)));
    const next = toks[i + 1];
    if (next !== undefined) add(key(G_B, hashString(next.folded, hashString(' ', hashString(t.folded, FNV_SEED)))));
  }
  if (toks.length > 0) add(key(G_B, hashString(toks[0]?.folded ?? '', START_SEED)));
  // Character n-grams over " folded text ", built incrementally from each start position.
  const s = ` ${n.folded} `;
  for (let i = 0; i < s.length; i += 1) {
    let h = FNV_SEED;
    let letters = false;
    for (let len = 1; len <= cfg.charMax && i + len <= s.length; len += 1) {
      const c = s.charCodeAt(i + len - 1);
      if (c !== 32) letters = true;
      h = Math.imul(h ^ c, FNV_PRIME) >>> 0;
      if (len >= cfg.charMin && letters) add(key(G_C, h));
    }
  }
  if (n.hasQuestionMark) add(FLAG_QUESTION);
  if (n.hasExclamation) add(FLAG_EXCLAMATION);
  if (n.lang === 'en') add(FLAG_EN);
  if (toks.length <= 2) add(FLAG_SHORT);
  return out;
}

const FNV_SEED = 2166136261;
const FNV_PRIME = 16777619;
const START_SEED = 0x9e3779b9;

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME) >>> 0;
  return h;
}

// Group codes in the low 3 bits of a key; the hash keeps 26 bits so keys stay small integers (V8 smis).
const G_F = 0;
const G_B = 1;
const G_A = 2;
const G_C = 3;
const G_X = 4;
function key(group: number, hash: number): number {
  return ((hash >>> 6) << 3) | group;
}
const FLAG_QUESTION = key(G_X, 1 << 6);
const FLAG_EXCLAMATION = key(G_X, 2 << 6);
const FLAG_EN = key(G_X, 3 << 6);
const FLAG_SHORT = key(G_X, 4 << 6);

/** The group of a raw feature key (an index into {@link GROUP_CODES}). */
export function groupOfKey(k: number): number {
  return k & 7;
}

/** Maps raw features to weighted, normalised sparse vectors with a vocabulary fitted on training documents. */
export class Vectorizer {
  private readonly index = new Map<number, number>();
  private idf = new Float32Array(0);
  private groupOf = new Uint8Array(0);

  constructor(readonly config: FeatureConfig = DEFAULT_FEATURES) {}

  get size(): number {
    return this.index.size;
  }

  /** Builds the vocabulary and IDF from training documents' raw features. */
  fit(docs: readonly Map<number, number>[]): void {
    const df = new Map<number, number>();
    for (const d of docs) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const keys = [...df.keys()].filter((k) => (df.get(k) ?? 0) >= this.config.minDf || groupOfKey(k) === G_X).sort((a, b) => a - b);
    this.idf = new Float32Array(keys.length);
    this.groupOf = new Uint8Array(keys.length);
    const n = docs.length;
    keys.forEach((k, i) => {
      this.index.set(k, i);
      this.idf[i] = Math.log((1 + n) / (1 + (df.get(k) ?? 0))) + 1;
      this.groupOf[i] = groupOfKey(k);
    });
  }

  /** Sublinear TF × IDF, L2-normalised per group, weighted, then normalised as a whole. Indices are not sorted. */
  transform(raw: Map<number, number>): SparseVector {
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

/** Feature groups by code (the low 3 bits of a key): the order of G_F, G_B, G_A, G_C, G_X above. */
const GROUP_CODES: readonly FeatureGroup[] = ['f', 'b', 'a', 'c', 'x'];

/** Dot product of a sparse vector with a dense one. */
export function denseDot(x: SparseVector, dense: Float32Array): number {
  let s = 0;
  for (let k = 0; k < x.idx.length; k += 1) s += x.val[k]! * (dense[x.idx[k]!] ?? 0);
  return s;
}
