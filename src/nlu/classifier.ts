/**
 * The NLU classifier: normalisation → features → logistic regression over every label (FAQ topics,
 * report categories, status, emergency, smalltalk, unknown) → decision rules.
 *
 * Decision, in order:
 * 1. the emergency rule layer fires (and no guard holds) → emergency, whatever the model says;
 * 2. a guard holds ("số cứu hỏa là gì", "báo cháy giả") → the emergency label is removed from the race;
 * 3. the model is fairly sure it is an emergency → emergency (recall over precision);
 * 4. the intent with the most probability mass wins, then its best label;
 * 5. too little confidence, or too far from every training example → unknown (with FAQ alternatives
 *    when some topics came close, so the bot can offer them as buttons).
 */
import { detectEmergency, type EmergencyKind, type EmergencyVerdict } from './emergency';
import { DEFAULT_FEATURES, denseDot, rawFeatures, Vectorizer, type FeatureConfig } from './features';
import { DEFAULT_LOGREG, LogReg, NeighbourIndex, softmaxInPlace, type LogRegConfig, type TrainingExample } from './model';
import { fold, normalise, type Lang, type Normalised } from './normalise';

export type Intent = 'faq' | 'report' | 'status' | 'emergency' | 'smalltalk' | 'unknown';

export interface NluResult {
  text: string;
  intent: Intent;
  /** FAQ topic slug, only for `faq`. */
  topic: string | null;
  /** Report category slug, only for `report`. */
  category: string | null;
  /** Calibrated confidence in this result, 0–1. */
  score: number;
  lang: Lang;
  /**
   * Other FAQ topics worth offering as buttons, best first. Filled for `faq`, and for `unknown` when
   * the message came close to some topics without being sure of any.
   */
  alternatives: { topic: string; score: number }[];
  /** For `emergency`: which service, hence which number (fire/gas/rescue 114, police 113, medical 115). */
  emergencyKind: EmergencyKind | null;
}

/** One label of the model. */
export interface Label {
  readonly key: string;
  readonly intent: Intent;
  readonly topic: string | null;
  readonly category: string | null;
}

export interface LabelledText {
  readonly text: string;
  readonly label: string;
  /** For emergency examples: the kind. */
  readonly kind?: EmergencyKind;
}

export interface DecisionConfig {
  /** Softmax temperature applied to the logits (calibration). */
  readonly temperature: number;
  /** Weight of the nearest-neighbour similarity added to each label's logit (k-NN side of the hybrid). */
  readonly knnWeight: number;
  /** Below this probability mass for the winning intent → unknown. */
  readonly minIntentMass: number;
  /** For FAQ: below this probability for the topic itself → unknown (with alternatives). */
  readonly minTopicProb: number;
  /** Below this cosine similarity to the nearest in-scope training example → unknown. */
  readonly minSimilarity: number;
  /** Emergency probability above which the model alone declares an emergency. */
  readonly emergencyProb: number;
  /** Alternatives must reach this probability. */
  readonly alternativeMin: number;
  readonly maxAlternatives: number;
}

/**
 * Chosen by `npm run nlu:eval -- --tune` (grid search on 5-fold cross-validation of the training
 * examples, cross-checked on the dev set), rounded towards the middle of the plateau rather than the
 * dev-set optimum.
 */
export const DEFAULT_DECISION: DecisionConfig = {
  temperature: 0.75,
  knnWeight: 3,
  minIntentMass: 0.4,
  minTopicProb: 0.2,
  minSimilarity: 0.18,
  emergencyProb: 0.45,
  alternativeMin: 0.04,
  maxAlternatives: 3,
};

export interface ClassifierConfig {
  readonly features: FeatureConfig;
  readonly logreg: LogRegConfig;
  readonly decision: DecisionConfig;
  /** Class balancing exponent: example weight = (median class size / class size) ^ this. */
  readonly balance: number;
  /** Share of Vietnamese examples with diacritics that are also trained in folded form (seeded choice). */
  readonly foldAugment: number;
}

export const DEFAULT_CONFIG: ClassifierConfig = {
  features: DEFAULT_FEATURES,
  logreg: DEFAULT_LOGREG,
  decision: DEFAULT_DECISION,
  balance: 0.5,
  foldAugment: 0.3,
};

/** Everything the decision needs about one message; cached by the tuner. */
export interface Analysis {
  readonly text: string;
  readonly norm: Normalised;
  readonly logits: Float64Array;
  /** Best cosine similarity to the training examples of each label. */
  readonly sims: Float64Array;
  readonly verdict: EmergencyVerdict;
  readonly kindFromModel: EmergencyKind | null;
}

export function labelFromKey(key: string): Label {
  if (key.startsWith('faq:')) return { key, intent: 'faq', topic: key.slice(4), category: null };
  if (key.startsWith('report:')) return { key, intent: 'report', topic: null, category: key.slice(7) };
  if (key === 'status' || key === 'emergency' || key === 'smalltalk' || key === 'unknown') return { key, intent: key, topic: null, category: null };
  throw new Error(`Unknown NLU label "${key}"`);
}

export class Classifier {
  readonly labels: readonly Label[];
  private readonly labelIndex: ReadonlyMap<string, number>;
  private readonly vectorizer: Vectorizer;
  private readonly model: LogReg;
  private readonly neighbours: NeighbourIndex;
  private readonly kindCentroids: Array<{ kind: EmergencyKind; v: Float32Array }> = [];
  private readonly intentOf: Intent[];
  private readonly unknownIdx: number;
  private readonly emergencyIdx: number;
  readonly trainingMs: number;

  constructor(labelKeys: readonly string[], examples: readonly LabelledText[], readonly config: ClassifierConfig = DEFAULT_CONFIG) {
    const t0 = process.hrtime.bigint();
    this.labels = labelKeys.map(labelFromKey);
    this.labelIndex = new Map(labelKeys.map((k, i) => [k, i]));
    this.intentOf = this.labels.map((l) => l.intent);
    this.unknownIdx = this.labelIndex.get('unknown') ?? -1;
    this.emergencyIdx = this.labelIndex.get('emergency') ?? -1;

    const docs = augment(examples, config.foldAugment).map((e) => {
      const label = this.labelIndex.get(e.label);
      if (label === undefined) throw new Error(`Training example for unknown label "${e.label}": ${e.text}`);
      return { raw: rawFeatures(normalise(e.text), config.features), label, kind: e.kind, augmented: e.augmented };
    });
    this.vectorizer = new Vectorizer(config.features);
    this.vectorizer.fit(docs.map((d) => d.raw));
    this.neighbours = new NeighbourIndex(this.vectorizer.size);

    const counts = new Array<number>(labelKeys.length).fill(0);
    for (const d of docs) counts[d.label] = (counts[d.label] ?? 0) + 1;
    const nonZero = counts.filter((c) => c > 0).sort((a, b) => a - b);
    const median = nonZero[Math.floor(nonZero.length / 2)] ?? 1;
    const training: TrainingExample[] = [];
    const kindSums = new Map<EmergencyKind, Float32Array>();
    for (const d of docs) {
      const x = this.vectorizer.transform(d.raw);
      const weight = Math.pow(median / Math.max(1, counts[d.label] ?? 1), config.balance);
      training.push({ x, label: d.label, weight });
      if (!d.augmented) this.neighbours.add(x, d.label);
      if (d.kind !== undefined) {
        const sum = kindSums.get(d.kind) ?? new Float32Array(this.vectorizer.size);
        for (let k = 0; k < x.idx.length; k += 1) sum[x.idx[k]!]! += x.val[k]!;
        kindSums.set(d.kind, sum);
      }
    }
    for (const [kind, sum] of kindSums) this.kindCentroids.push({ kind, v: normalisedDense(sum) });
    this.model = new LogReg(this.vectorizer.size, labelKeys.length);
    this.model.train(training, config.logreg);
    this.trainingMs = Number(process.hrtime.bigint() - t0) / 1e6;
  }

  /** Runs everything except the final decision. */
  analyse(text: string): Analysis {
    const norm = normalise(text);
    const x = this.vectorizer.transform(rawFeatures(norm, this.config.features));
    const logits = this.model.logits(x, new Float64Array(this.labels.length));
    const sims = this.neighbours.bestPerLabel(x, this.labels.length);
    const verdict = detectEmergency(norm);
    let kindFromModel: EmergencyKind | null = null;
    let best = 0;
    for (const c of this.kindCentroids) {
      const s = denseDot(x, c.v);
      if (s > best) {
        best = s;
        kindFromModel = c.kind;
      }
    }
    return { text, norm, logits, sims, verdict, kindFromModel };
  }

  /** Label probabilities at the configured temperature (the emergency label removed when a guard holds). */
  probabilities(a: Analysis, d: DecisionConfig = this.config.decision): Float64Array {
    const p = Float64Array.from(a.logits);
    if (d.knnWeight !== 0) for (let i = 0; i < p.length; i += 1) p[i]! += d.knnWeight * a.sims[i]!;
    softmaxInPlace(p, d.temperature);
    if (a.verdict.guarded !== null && this.emergencyIdx >= 0) {
      const pe = p[this.emergencyIdx] ?? 0;
      p[this.emergencyIdx] = 0;
      if (pe < 1) for (let i = 0; i < p.length; i += 1) p[i] = (p[i] ?? 0) / (1 - pe);
    }
    return p;
  }

  decide(a: Analysis, d: DecisionConfig = this.config.decision): NluResult {
    const lang = a.norm.lang;
    const base = { text: a.text, lang, topic: null, category: null, alternatives: [], emergencyKind: null };
    if (a.norm.tokens.length === 0) return { ...base, intent: 'unknown', score: 1 };

    const p = this.probabilities(a, d);
    const pEmergency = this.emergencyIdx >= 0 ? p[this.emergencyIdx] ?? 0 : 0;
    if (a.verdict.match !== null) {
      const floor = a.verdict.match.strength === 'hard' ? 0.95 : 0.85;
      return { ...base, intent: 'emergency', score: round(Math.max(floor, pEmergency)), emergencyKind: a.verdict.match.kind };
    }
    if (a.verdict.guarded === null && pEmergency >= d.emergencyProb) {
      return { ...base, intent: 'emergency', score: round(pEmergency), emergencyKind: a.verdict.kindHint ?? a.kindFromModel ?? 'rescue' };
    }

    // Intent by probability mass, then the best label of that intent.
    const mass = new Map<Intent, number>();
    for (let i = 0; i < p.length; i += 1) {
      const intent = this.intentOf[i] ?? 'unknown';
      mass.set(intent, (mass.get(intent) ?? 0) + (p[i] ?? 0));
    }
    let intent: Intent = 'unknown';
    let intentMass = -1;
    for (const [k, v] of mass) {
      if (v > intentMass) {
        intent = k;
        intentMass = v;
      }
    }
    let best = -1;
    for (let i = 0; i < p.length; i += 1) {
      if (this.intentOf[i] === intent && (best < 0 || (p[i] ?? 0) > (p[best] ?? 0))) best = i;
    }
    const label = this.labels[best];
    const labelProb = p[best] ?? 0;
    let maxSim = 0;
    for (let i = 0; i < a.sims.length; i += 1) if (i !== this.unknownIdx && (a.sims[i] ?? 0) > maxSim) maxSim = a.sims[i] ?? 0;

    const faqAlternatives = (exclude: number): Array<{ topic: string; score: number }> => {
      const alts: Array<{ topic: string; score: number }> = [];
      const order = [...p.keys()].filter((i) => i !== exclude && this.intentOf[i] === 'faq').sort((x, y) => (p[y] ?? 0) - (p[x] ?? 0));
      for (const i of order.slice(0, d.maxAlternatives)) {
        const s = p[i] ?? 0;
        const topic = this.labels[i]?.topic;
        if (s >= d.alternativeMin && topic) alts.push({ topic, score: round(s) });
      }
      return alts;
    };

    if (label === undefined || intent === 'unknown') {
      return { ...base, intent: 'unknown', score: round(intentMass) };
    }
    const declined =
      intentMass < d.minIntentMass || maxSim < d.minSimilarity || (intent === 'faq' && labelProb < d.minTopicProb);
    if (declined) {
      return { ...base, intent: 'unknown', score: round(Math.max(1 - intentMass, mass.get('unknown') ?? 0)), alternatives: faqAlternatives(-1) };
    }
    switch (label.intent) {
      case 'faq':
        return { ...base, intent: 'faq', topic: label.topic, score: round(labelProb), alternatives: faqAlternatives(best) };
      case 'report':
        return { ...base, intent: 'report', category: label.category, score: round(labelProb) };
      default:
        return { ...base, intent: label.intent, score: round(labelProb) };
    }
  }

  classify(text: string): NluResult {
    return this.decide(this.analyse(text));
  }

  /** The best report category for a description, whatever the intent (used inside the report flow). */
  suggestCategory(text: string): { category: string; score: number } {
    const a = this.analyse(text);
    const p = softmaxInPlace(Float64Array.from(a.logits), this.config.decision.temperature);
    let sum = 0;
    let best = -1;
    for (let i = 0; i < p.length; i += 1) {
      if (this.intentOf[i] !== 'report') continue;
      sum += p[i] ?? 0;
      if (best < 0 || (p[i] ?? 0) > (p[best] ?? 0)) best = i;
    }
    const category = this.labels[best]?.category ?? 'other';
    return { category, score: round(sum > 0 ? (p[best] ?? 0) / sum : 0) };
  }
}

interface AugmentedText extends LabelledText {
  readonly augmented: boolean;
}

/** Adds a folded copy of a seeded share of the Vietnamese examples written with diacritics. */
function augment(examples: readonly LabelledText[], share: number): AugmentedText[] {
  const out: AugmentedText[] = examples.map((e) => ({ ...e, augmented: false }));
  if (share <= 0) return out;
  let h = 2166136261;
  for (const e of examples) {
    const folded = fold(e.text.normalize('NFC').toLowerCase());
    if (folded === e.text.toLowerCase()) continue;
    // FNV-1a over the text: the same examples are chosen on every run.
    h = 2166136261;
    for (let i = 0; i < e.text.length; i += 1) h = Math.imul(h ^ e.text.charCodeAt(i), 16777619) >>> 0;
    if (h / 4294967296 < share) out.push({ ...e, text: folded, augmented: true });
  }
  return out;
}

function normalisedDense(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i += 1) n += v[i]! * v[i]!;
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let i = 0; i < v.length; i += 1) v[i]! *= inv;
  return v;
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
