/**
 * The statistical part of the NLU: a multinomial logistic regression over sparse features, trained
 * with seeded SGD (same data → same weights, every run), and a nearest-neighbour index over the
 * training vectors that says how far a message is from anything we were taught (out-of-scope signal).
 */
import type { SparseVector } from './features';

export interface TrainingExample {
  readonly x: SparseVector;
  readonly label: number;
  /** Per-example weight (class balancing). */
  readonly weight: number;
}

export interface LogRegConfig {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
}

export const DEFAULT_LOGREG: LogRegConfig = { epochs: 4, learningRate: 5, l2: 1e-5, seed: 20240611 };

/**
 * Labels whose gradient is smaller than this are not updated for an example (a truncated gradient
 * that saves part of the backward pass; larger floors cost accuracy in cross-validation).
 */
const GRAD_FLOOR = 1e-3;

/** Small, fast, seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = xs[i] as T;
    xs[i] = xs[j] as T;
    xs[j] = tmp;
  }
  return xs;
}

/** Multinomial logistic regression; weights stored feature-major so one feature's label weights are contiguous. */
export class LogReg {
  readonly weights: Float32Array;
  readonly bias: Float32Array;

  constructor(readonly numFeatures: number, readonly numLabels: number) {
    this.weights = new Float32Array(numFeatures * numLabels);
    this.bias = new Float32Array(numLabels);
  }

  /** Raw scores (logits) into `out`. */
  logits(x: SparseVector, out: Float64Array): Float64Array {
    // Hot loop: indices are in range by construction, hence the non-null assertions.
    const L = this.numLabels;
    const W = this.weights;
    const bias = this.bias;
    for (let l = 0; l < L; l += 1) out[l] = bias[l]!;
    const idx = x.idx;
    const val = x.val;
    for (let k = 0; k < idx.length; k += 1) {
      const base = idx[k]! * L;
      const v = val[k]!;
      for (let l = 0; l < L; l += 1) out[l]! += W[base + l]! * v;
    }
    return out;
  }

  train(examples: readonly TrainingExample[], cfg: LogRegConfig = DEFAULT_LOGREG): void {
    const L = this.numLabels;
    const W = this.weights;
    const bias = this.bias;
    const rand = seededRandom(cfg.seed);
    const order = examples.map((_, i) => i);
    const z = new Float64Array(L);
    const g = new Float64Array(L);
    const active = new Int32Array(L);
    // An example learnt with a wide margin sits out the next epoch (it would teach almost nothing,
    // and the forward pass is most of the cost); it is checked again the epoch after.
    const restUntil = new Int32Array(examples.length);
    for (let epoch = 0; epoch < cfg.epochs; epoch += 1) {
      shuffleInPlace(order, rand);
      const lr = cfg.learningRate / (1 + epoch * 0.35);
      for (let o = 0; o < order.length; o += 1) {
        const i = order[o]!;
        if (restUntil[i]! > epoch) continue;
        const ex = examples[i]!;
        this.logits(ex.x, z);
        softmaxInPlace(z, 1);
        const pTrue = z[ex.label]!;
        if (pTrue > 0.995) restUntil[i] = epoch + 2;
        if (pTrue > 0.985) continue;
        let nActive = 0;
        for (let l = 0; l < L; l += 1) {
          const gl = (z[l]! - (l === ex.label ? 1 : 0)) * ex.weight;
          g[l] = gl;
          if (gl > GRAD_FLOOR || gl < -GRAD_FLOOR) active[nActive++] = l;
        }
        const idx = ex.x.idx;
        const val = ex.x.val;
        for (let k = 0; k < idx.length; k += 1) {
          const base = idx[k]! * L;
          const v = lr * val[k]!;
          for (let a = 0; a < nActive; a += 1) {
            const l = active[a]!;
            W[base + l]! -= g[l]! * v;
          }
        }
        for (let a = 0; a < nActive; a += 1) {
          const l = active[a]!;
          bias[l]! -= lr * 0.1 * g[l]!;
        }
      }
      // L2 as one weight decay per epoch: about the effect of per-step decay, a fraction of the cost.
      if (cfg.l2 > 0) {
        const decay = Math.max(0, 1 - lr * cfg.l2 * examples.length);
        for (let j = 0; j < W.length; j += 1) W[j]! *= decay;
      }
    }
  }
}

/** Softmax with temperature, in place. */
export function softmaxInPlace(z: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < z.length; i += 1) if (z[i]! > max) max = z[i]!;
  let sum = 0;
  for (let i = 0; i < z.length; i += 1) {
    const e = Math.exp((z[i]! - max) / temperature);
    z[i] = e;
    sum += e;
  }
  for (let i = 0; i < z.length; i += 1) z[i]! /= sum;
  return z;
}

/**
 * Cosine nearest neighbours over the (already normalised) training vectors, through an inverted index
 * in typed arrays. Features present in more than `maxDfShare` of the documents are left out of the
 * index: they carry little of any cosine and would make every lookup touch every document.
 */
export class NeighbourIndex {
  private docs: SparseVector[] = [];
  private labels: number[] = [];
  private postingStart = new Int32Array(0);
  private postingDoc = new Int32Array(0);
  private postingVal = new Float32Array(0);
  private built = false;
  private scratch = new Float64Array(0);

  constructor(private readonly numFeatures: number, private readonly maxDfShare = 0.08) {}

  add(x: SparseVector, label: number): void {
    this.docs.push(x);
    this.labels.push(label);
    this.built = false;
  }

  private build(): void {
    const df = new Int32Array(this.numFeatures);
    for (const d of this.docs) for (let k = 0; k < d.idx.length; k += 1) df[d.idx[k] ?? 0] = (df[d.idx[k] ?? 0] ?? 0) + 1;
    const cap = Math.max(8, Math.floor(this.maxDfShare * this.docs.length));
    const start = new Int32Array(this.numFeatures + 1);
    for (let f = 0; f < this.numFeatures; f += 1) start[f + 1] = (start[f] ?? 0) + ((df[f] ?? 0) <= cap ? df[f] ?? 0 : 0);
    const total = start[this.numFeatures] ?? 0;
    const docArr = new Int32Array(total);
    const valArr = new Float32Array(total);
    const fill = start.slice(0, this.numFeatures);
    this.docs.forEach((d, doc) => {
      for (let k = 0; k < d.idx.length; k += 1) {
        const f = d.idx[k] ?? 0;
        if ((df[f] ?? 0) > cap) continue;
        const at = fill[f] ?? 0;
        docArr[at] = doc;
        valArr[at] = d.val[k] ?? 0;
        fill[f] = at + 1;
      }
    });
    this.postingStart = start;
    this.postingDoc = docArr;
    this.postingVal = valArr;
    this.built = true;
  }

  /** Best cosine similarity per label (over the indexed features; labels never reached are 0). */
  bestPerLabel(x: SparseVector, numLabels: number): Float64Array {
    if (!this.built) this.build();
    // One scratch buffer per index (classification is synchronous, so it is never shared mid-call).
    if (this.scratch.length !== this.docs.length) this.scratch = new Float64Array(this.docs.length);
    const sims = this.scratch.fill(0);
    for (let k = 0; k < x.idx.length; k += 1) {
      const f = x.idx[k] ?? 0;
      const v = x.val[k] ?? 0;
      const end = this.postingStart[f + 1] ?? 0;
      for (let at = this.postingStart[f] ?? 0; at < end; at += 1) {
        const d = this.postingDoc[at] ?? 0;
        sims[d] = (sims[d] ?? 0) + (this.postingVal[at] ?? 0) * v;
      }
    }
    const best = new Float64Array(numLabels);
    for (let d = 0; d < sims.length; d += 1) {
      const l = this.labels[d] ?? 0;
      if ((sims[d] ?? 0) > (best[l] ?? 0)) best[l] = sims[d] ?? 0;
    }
    return best;
  }

  get size(): number {
    return this.docs.length;
  }
}
