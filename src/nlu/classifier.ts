/**
 * The NLU classifier: normalisation → features → logistic regression over every label (FAQ topics,
 * report categories, status, emergency, smalltalk, unknown) plus nearest-neighbour similarity →
 * decision.
 *
 * Long messages are also scored with their question part weighted up (focus.ts): the story around a
 * question is full of other topics' words.
 *
 * Decision, in order:
 * 1. the emergency rule layer fires (and no guard holds) → emergency, whatever the model says;
 * 2. a guard holds ("số cứu hỏa là gì", "báo cháy giả", papers lost in a past fire) → the emergency
 *    label is removed from the race;
 * 3. the model itself is fairly sure it is an emergency (at its own, sharper temperature) → emergency:
 *    the safety net for situations the rules do not know;
 * 4. neighbouring topics: when the two best labels are neighbours, their decisive cues shift the odds;
 *    and what a question asks (following an application, what can be reported, how, who sees my data)
 *    beats the subject it names (neighbours.ts);
 * 5. the in-scope intent with the most probability mass wins, then its best label;
 * 6. the decline decision — a logistic model over the top score, the margin, the out-of-scope
 *    probability, similarity, length and vocabulary (see {@link DECLINE_FEATURES}) — says how likely
 *    that answer is right; below `acceptAt` → unknown (with FAQ alternatives when some topics came
 *    close, so the bot can offer them as buttons). That probability is the result's score.
 */
import { detectEmergency, type EmergencyKind, type EmergencyVerdict } from './emergency';
import { DEFAULT_FEATURES, denseDot, rawFeatures, Vectorizer, type FeatureConfig, type SparseVector } from './features';
import { DEFAULT_LOGREG, LogReg, NeighbourIndex, softmaxInPlace, type LogRegConfig, type TrainingExample } from './model';
import { questionFocus } from './focus';
import { CROSS_CUES, cueHits, NEIGHBOUR_GROUPS, type NeighbourGroup } from './neighbours';
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
  /** Long messages: share of the question-weighted analysis in the logits (the rest is the plain whole message; see focus.ts). */
  readonly focusWeight: number;
  /**
   * The model's own emergency call (the safety net under the rules): probability of the emergency
   * label at `emergencyTemperature` (sharper than the answer's), above `emergencyProb` → emergency.
   */
  readonly emergencyTemperature: number;
  readonly emergencyProb: number;
  /** When the two best labels are neighbouring topics, log-odds gained by those whose decisive cues the message has (neighbours.ts). */
  readonly refineWeight: number;
  /**
   * The decline decision: a logistic model over {@link DECLINE_FEATURES} (same order; last entry is
   * the bias) giving the probability that the best in-scope answer is right. Fitted by
   * `npm run nlu:eval -- --tune` on cross-validation folds of the training examples and the dev split.
   */
  readonly decline: readonly number[];
  /** Answer when that probability reaches this; decline (unknown, with alternatives) below. */
  readonly acceptAt: number;
  /** Below this similarity to every in-scope example the message is declined whatever the model says (gibberish). */
  readonly minSimilarity: number;
  /** Alternatives must reach this probability. */
  readonly alternativeMin: number;
  readonly maxAlternatives: number;
}

/**
 * What the decline decision looks at besides the top score. Each is roughly in [0, 1].
 * - `top`: probability of the best in-scope label; `margin`: minus the runner-up's;
 * - `mass`: probability of its intent as a whole; `unknown`: probability of the out-of-scope label;
 * - `sim`, `simTop`: best cosine similarity to any in-scope example, and to the chosen label's examples;
 * - `length`: log of the token count (long messages spread their evidence and score lower);
 * - `inDomain`: share of content words (function words left out) seen in in-scope examples;
 *   `oosOnly`: share seen only in out-of-scope examples ("vàng", "xổ số"); `unseen`: share never seen;
 * - `english`, `focus` (a question part was found), `short` (three tokens or fewer);
 * - the intent of the answer (`report`, `status`, `smalltalk`; FAQ is the baseline), and `reportMass`
 *   (a report's intent mass: a report whose category is uncertain is still a report, and the report
 *   flow lets the resident correct the category).
 */
export const DECLINE_FEATURES = ['top', 'margin', 'mass', 'unknown', 'sim', 'simTop', 'length', 'inDomain', 'oosOnly', 'unseen', 'english', 'focus', 'short', 'report', 'status', 'smalltalk', 'reportMass'] as const;
export type DeclineFeature = (typeof DECLINE_FEATURES)[number];

/**
 * Chosen by `npm run nlu:eval -- --tune` (logistic fit of the decline model and a grid over the other
 * knobs, on 5-fold cross-validation of the training examples and the dev split; never on the frozen
 * test split), rounded.
 */
export const DEFAULT_DECISION: DecisionConfig = {
  temperature: 1,
  knnWeight: 5,
  focusWeight: 0.5,
  emergencyTemperature: 0.75,
  emergencyProb: 0.55,
  refineWeight: 3,
  // top, margin, mass, unknown, sim, simTop, length, inDomain, oosOnly, unseen, english, focus, short, report, status, smalltalk, reportMass, bias
  decline: [1.82, 2.08, 1.77, -2.85, 0.08, 0.1, 0.86, 0.64, -0.29, -0.37, 0.37, 0.78, -0.03, 0.42, 0.36, -0.21, 0.08, -2.21],
  acceptAt: 0.55,
  minSimilarity: 0.05,
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
  /** Long messages: the question part's words are counted this many extra times (see focus.ts). */
  readonly focusBoost: number;
}

export const DEFAULT_CONFIG: ClassifierConfig = {
  features: DEFAULT_FEATURES,
  logreg: DEFAULT_LOGREG,
  decision: DEFAULT_DECISION,
  balance: 0.5,
  foldAugment: 0.3,
  focusBoost: 1,
};

/** Everything the decision needs about one message; cached by the tuner. */
export interface Analysis {
  readonly text: string;
  readonly norm: Normalised;
  readonly logits: Float64Array;
  /** The feature vector of the message and, for long messages, of the question-weighted message. */
  readonly x: SparseVector;
  readonly fx: SparseVector | null;
  /** Best cosine similarity to the training examples of each label. */
  readonly sims: Float64Array;
  /** The question part of a long message (focus.ts), with its own logits and similarities; null otherwise. */
  readonly focus: { readonly text: string; readonly logits: Float64Array; readonly sims: Float64Array } | null;
  readonly verdict: EmergencyVerdict;
  readonly kindFromModel: EmergencyKind | null;
  /** Content words of the message against the training vocabulary (decline features). */
  readonly vocab: { readonly inDomain: number; readonly oosOnly: number; readonly unseen: number };
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
  /** The neighbouring-topic groups with label indices (neighbours.ts). */
  private readonly groups: Array<{ readonly group: NeighbourGroup; readonly members: ReadonlyMap<number, string> }> = [];
  private readonly neighbours: NeighbourIndex;
  /** The cross-cutting cues with label indices (neighbours.ts). */
  private readonly crossCues: Array<{ readonly index: number; readonly against: readonly string[]; readonly cue: RegExp }> = [];
  private readonly kindCentroids: Array<{ kind: EmergencyKind; v: Float32Array }> = [];
  private readonly intentOf: Intent[];
  private readonly unknownIdx: number;
  private readonly emergencyIdx: number;
  /** Folded word → bit 1: seen in an in-scope example, bit 2: seen in an out-of-scope example. */
  private readonly wordSeen = new Map<string, number>();
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
      const norm = normalise(e.text);
      const bit = label === this.unknownIdx ? 2 : 1;
      for (const t of norm.tokens) this.wordSeen.set(t.folded, (this.wordSeen.get(t.folded) ?? 0) | bit);
      return { raw: rawFeatures(norm, config.features), label, kind: e.kind, augmented: e.augmented };
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
    for (const group of NEIGHBOUR_GROUPS) {
      const members = new Map<number, string>();
      for (const key of Object.keys(group.cues)) {
        const i = this.labelIndex.get(key);
        if (i !== undefined) members.set(i, key);
      }
      if (members.size >= 2) this.groups.push({ group, members });
    }
    for (const c of CROSS_CUES) {
      const index = this.labelIndex.get(c.label);
      if (index !== undefined) this.crossCues.push({ index, against: c.against, cue: c.cue });
    }
    this.trainingMs = Number(process.hrtime.bigint() - t0) / 1e6;
  }

  /** Runs everything except the final decision. */
  analyse(text: string): Analysis {
    const norm = normalise(text);
    const raw = rawFeatures(norm, this.config.features);
    const x = this.vectorizer.transform(raw);
    const logits = this.model.logits(x, new Float64Array(this.labels.length));
    const sims = this.neighbours.bestPerLabel(x, this.labels.length);
    const q = questionFocus(text, norm);
    let focus: Analysis['focus'] = null;
    let fx: SparseVector | null = null;
    if (q !== null) {
      // The question part counted again on top of the whole message: its words weigh more, and the
      // story's topic words still count (a question alone is often "how much is it?").
      const boost = this.config.focusBoost;
      for (const [k, c] of rawFeatures(q.norm, this.config.features)) raw.set(k, (raw.get(k) ?? 0) + boost * c);
      fx = this.vectorizer.transform(raw);
      focus = { text: q.text, logits: this.model.logits(fx, new Float64Array(this.labels.length)), sims: this.neighbours.bestPerLabel(fx, this.labels.length) };
    }
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
    return { text, norm, logits, x, fx, sims, focus, verdict, kindFromModel, vocab: this.vocabulary(norm) };
  }

  private vocabulary(norm: Normalised): Analysis['vocab'] {
    let content = 0;
    let inDomain = 0;
    let oosOnly = 0;
    let unseen = 0;
    for (const t of norm.tokens) {
      if (FUNCTION_WORDS.has(t.folded) || t.folded.startsWith('zz')) continue;
      content += 1;
      const seen = this.wordSeen.get(t.folded) ?? 0;
      if (seen & 1) inDomain += 1;
      else if (seen & 2) oosOnly += 1;
      else unseen += 1;
    }
    const n = Math.max(1, content);
    return { inDomain: inDomain / n, oosOnly: oosOnly / n, unseen: unseen / n };
  }

  /** Label probabilities at the configured temperature (the emergency label removed when a guard holds). */
  probabilities(a: Analysis, d: DecisionConfig = this.config.decision): Float64Array {
    const p = Float64Array.from(a.logits);
    const f = a.focus;
    if (f !== null && d.focusWeight > 0) {
      for (let i = 0; i < p.length; i += 1) p[i] = (1 - d.focusWeight) * p[i]! + d.focusWeight * f.logits[i]!;
    }
    if (d.knnWeight !== 0) for (let i = 0; i < p.length; i += 1) p[i]! += d.knnWeight * maxSim(a, i);
    softmaxInPlace(p, d.temperature);
    if (d.refineWeight > 0) this.refine(a, p, d);
    if (a.verdict.guarded !== null && this.emergencyIdx >= 0) {
      const pe = p[this.emergencyIdx] ?? 0;
      p[this.emergencyIdx] = 0;
      if (pe < 1) for (let i = 0; i < p.length; i += 1) p[i] = (p[i] ?? 0) / (1 - pe);
    }
    return p;
  }

  /** Probability of the emergency label at the emergency temperature (0 when a guard holds). */
  emergencyProbability(a: Analysis, d: DecisionConfig = this.config.decision): number {
    if (this.emergencyIdx < 0 || a.verdict.guarded !== null) return 0;
    return this.probabilities(a, { ...d, temperature: d.emergencyTemperature })[this.emergencyIdx] ?? 0;
  }

  /**
   * Neighbouring topics: when the two best labels share a group, the members whose decisive cues the
   * message contains gain `exp(refineWeight)` in odds against the members whose cues it lacks, within the
   * group's share of probability (neighbours.ts).
   */
  private refine(a: Analysis, p: Float64Array, d: DecisionConfig): void {
    this.refineCross(a, p, d);
    const [first, second] = topIndices(p, 2);
    if (first === undefined || second === undefined) return;
    const g = this.groups.find((x) => x.members.has(first) && x.members.has(second));
    if (g === undefined) return;
    const hits = cueHits(g.group, a.norm.folded);
    let nHits = 0;
    for (const key of g.members.values()) if (hits.get(key)) nHits += 1;
    if (nHits === 0 || nHits === g.members.size) return;
    let mass = 0;
    let boosted = 0;
    for (const [i, key] of g.members) {
      mass += p[i] ?? 0;
      if (hits.get(key)) p[i] = (p[i] ?? 0) * Math.exp(d.refineWeight);
      boosted += p[i] ?? 0;
    }
    if (boosted > 0) for (const i of g.members.keys()) p[i] = ((p[i] ?? 0) * mass) / boosted;
  }

  /**
   * Cross-cutting cues (neighbours.ts): a label among the {@link CROSS_CUE_RANK} best whose cue the message has gains
   * `exp(refineWeight)` in odds against everything else when the best label is of a kind it speaks
   * against (what the question asks beats the subject it names).
   */
  private refineCross(a: Analysis, p: Float64Array, d: DecisionConfig): void {
    const top = topIndices(p, CROSS_CUE_RANK);
    const bestKey = this.labels[top[0] ?? -1]?.key;
    if (bestKey === undefined) return;
    for (const c of this.crossCues) {
      if (c.index === top[0] || !top.includes(c.index)) continue;
      if (!c.against.some((prefix) => bestKey.startsWith(prefix)) || !c.cue.test(a.norm.folded)) continue;
      const gain = (p[c.index] ?? 0) * (Math.exp(d.refineWeight) - 1);
      p[c.index]! += gain;
      for (let i = 0; i < p.length; i += 1) p[i]! /= 1 + gain;
      return;
    }
  }

  /**
   * The best in-scope answer (intent by probability mass, out-of-scope left out, then its best label)
   * and the features the decline decision weighs. Exposed for the tuner.
   */
  candidate(a: Analysis, p: Float64Array): { best: number; intent: Intent; features: number[] } {
    const mass = new Map<Intent, number>();
    for (let i = 0; i < p.length; i += 1) {
      const intent = this.intentOf[i] ?? 'unknown';
      if (intent === 'unknown' || intent === 'emergency') continue;
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
    let second = 0;
    for (let i = 0; i < p.length; i += 1) {
      if (i === this.unknownIdx || i === this.emergencyIdx) continue;
      const pi = p[i] ?? 0;
      if (this.intentOf[i] === intent && (best < 0 || pi > (p[best] ?? 0))) best = i;
    }
    for (let i = 0; i < p.length; i += 1) {
      if (i === best || i === this.unknownIdx || i === this.emergencyIdx) continue;
      if ((p[i] ?? 0) > second) second = p[i] ?? 0;
    }
    let sim = 0;
    for (let i = 0; i < p.length; i += 1) if (i !== this.unknownIdx && maxSim(a, i) > sim) sim = maxSim(a, i);
    const top = p[best] ?? 0;
    const tokens = a.norm.tokens.length;
    const features = [
      top,
      top - second,
      intentMass,
      this.unknownIdx >= 0 ? p[this.unknownIdx] ?? 0 : 0,
      sim,
      best >= 0 ? maxSim(a, best) : 0,
      Math.min(1, Math.log(1 + tokens) / Math.log(64)),
      a.vocab.inDomain,
      a.vocab.oosOnly,
      a.vocab.unseen,
      a.norm.lang === 'en' ? 1 : 0,
      a.focus !== null ? 1 : 0,
      tokens <= 3 ? 1 : 0,
      intent === 'report' ? 1 : 0,
      intent === 'status' ? 1 : 0,
      intent === 'smalltalk' ? 1 : 0,
      intent === 'report' ? intentMass : 0,
    ];
    return { best, intent, features };
  }

  decide(a: Analysis, d: DecisionConfig = this.config.decision): NluResult {
    const lang = a.norm.lang;
    const base = { text: a.text, lang, topic: null, category: null, alternatives: [], emergencyKind: null };
    if (a.norm.tokens.length === 0) return { ...base, intent: 'unknown', score: 1 };

    const p = this.probabilities(a, d);
    const pEmergency = this.emergencyProbability(a, d);
    if (a.verdict.match !== null) {
      const floor = a.verdict.match.strength === 'hard' ? 0.95 : 0.85;
      return { ...base, intent: 'emergency', score: round(Math.max(floor, pEmergency)), emergencyKind: a.verdict.match.kind };
    }
    if (a.verdict.guarded === null && pEmergency >= d.emergencyProb) {
      return { ...base, intent: 'emergency', score: round(pEmergency), emergencyKind: a.verdict.kindHint ?? a.kindFromModel ?? 'rescue' };
    }

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

    const { best, features } = this.candidate(a, p);
    const label = this.labels[best];
    const confidence = acceptProbability(d.decline, features);
    const sim = features[4] ?? 0;
    if (label === undefined || confidence < d.acceptAt || sim < d.minSimilarity) {
      return { ...base, intent: 'unknown', score: round(1 - confidence), alternatives: faqAlternatives(-1) };
    }
    switch (label.intent) {
      case 'faq':
        return { ...base, intent: 'faq', topic: label.topic, score: round(confidence), alternatives: faqAlternatives(best).filter((x) => x.score <= confidence) };
      case 'report':
        return { ...base, intent: 'report', category: label.category, score: round(confidence) };
      default:
        return { ...base, intent: label.intent, score: round(confidence) };
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
  for (const e of examples) {
    const folded = fold(e.text.normalize('NFC').toLowerCase());
    if (folded === e.text.toLowerCase()) continue;
    // FNV-1a over the text: the same examples are chosen on every run.
    let h = 2166136261;
    for (let i = 0; i < e.text.length; i += 1) h = Math.imul(h ^ e.text.charCodeAt(i), 16777619) >>> 0;
    if (h / 4294967296 < share) out.push({ ...e, text: folded, augmented: true });
  }
  return out;
}

/** The decline model: probability that the best in-scope answer is right (weights then bias). */
export function acceptProbability(weights: readonly number[], features: readonly number[]): number {
  let z = weights[features.length] ?? 0;
  for (let i = 0; i < features.length; i += 1) z += (weights[i] ?? 0) * (features[i] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/**
 * Words that say nothing about the topic (question words, pronouns, particles, the commonest verbs),
 * left out of the vocabulary shares of the decline decision. Folded forms; English too.
 */
const FUNCTION_WORDS = new Set(
  ('a ad ah ak anh ba bac ban bao bay biet bo bot cac cai can cau chi chiec cho chua chut co con cu cua cung da dang day de den di dieu do doi du duoc e em gi gio gium giup ha hay he hen het hoi hom hon ' +
    'khi khong kia la lai lam len luc luon ma may me minh mot muon nao nay neu ngay nghe nguoi nha nhe nhi nhieu nhu nhung no noi nua o oi ong phai qua ra rang rat roi rua sao se sau tai thang the thi ' +
    'thoi thu toi tot tren trong truoc tu tui vao vay ve vi voi vua xin xong ' +
    'i me my we our you your he she it they them their is are was were be been am do does did have has had can could would should will shall ' +
    'the a an and or but if of to in on at for from by with about as into this that these those there here what where when why how who which ' +
    'please thanks thank hello hi hey ok yes no not just also very so some any all much many get got need want know tell')
    .split(' '),
);

/** A cross-cutting cue's label must be among this many best labels to count (neighbours.ts). */
const CROSS_CUE_RANK = 5;

/** Indices of the `k` largest values, best first. */
function topIndices(xs: Float64Array, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += 1) {
    let at = out.length;
    while (at > 0 && xs[i]! > xs[out[at - 1]!]!) at -= 1;
    if (at < k) {
      out.splice(at, 0, i);
      if (out.length > k) out.pop();
    }
  }
  return out;
}

/** Best similarity of label `i` over the whole message and its question part. */
function maxSim(a: Analysis, i: number): number {
  const s = a.sims[i] ?? 0;
  const f = a.focus?.sims[i] ?? 0;
  return f > s ? f : s;
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
