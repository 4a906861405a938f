/**
 * Language understanding for phananh-bot: `createNlu(data)` trains the classifier on the training
 * data read from `content/` (deterministic, well under a second to a few seconds) and returns {@link Nlu}.
 */
import { Classifier, DEFAULT_CONFIG, type ClassifierConfig, type LabelledText, type NluResult } from './classifier';
import type { TrainingData } from './data';

export type { Intent, NluResult, Label, LabelledText, DecisionConfig, ClassifierConfig } from './classifier';
export type { EmergencyKind } from './emergency';
export { EMERGENCY_NUMBER } from './emergency';
export type { Lang } from './normalise';
export { normalise } from './normalise';

export interface Nlu {
  classify(text: string): NluResult;
  /** Best report category for a description even when the intent is not `report`. */
  suggestCategory(text: string): { category: string; score: number };
  /** How long training took at start-up, in milliseconds. */
  readonly trainingMs: number;
}

/** Every label the model knows, in a stable order: FAQ topics, report categories, then the other intents. */
export function labelKeys(data: TrainingData): string[] {
  return [
    ...data.kb.topics.map((t) => `faq:${t.slug}`),
    ...data.categories.map((c) => `report:${c.slug}`),
    'status',
    'emergency',
    'smalltalk',
    'unknown',
  ];
}

/** Every training text with its label. */
export function trainingExamples(data: TrainingData): LabelledText[] {
  const out: LabelledText[] = [];
  for (const t of data.kb.topics) {
    const label = `faq:${t.slug}`;
    for (const text of [t.title.vi, t.title.en, ...t.examples.vi, ...t.examples.en]) out.push({ text, label });
  }
  for (const c of data.categories) {
    const label = `report:${c.slug}`;
    const ex = data.reports.categories[c.slug];
    for (const text of [c.title.vi, c.title.en, ...c.phrases, ...(ex?.vi ?? []), ...(ex?.en ?? [])]) out.push({ text, label });
  }
  for (const intent of ['status', 'smalltalk', 'unknown'] as const) {
    for (const text of [...data.intents[intent].vi, ...data.intents[intent].en]) out.push({ text, label: intent });
  }
  for (const [kind, ex] of Object.entries(data.intents.emergency)) {
    if (!ex) continue;
    for (const text of [...ex.vi, ...ex.en]) out.push({ text, label: 'emergency', kind: kind as LabelledText['kind'] });
  }
  return out;
}

/** Trains the classifier on `data` (see `loadTrainingData` in src/storage/content-loader). */
export function createNlu(data: TrainingData, config: ClassifierConfig = DEFAULT_CONFIG): Nlu {
  const classifier = new Classifier(labelKeys(data), trainingExamples(data), config);
  return {
    classify: (text) => classifier.classify(text),
    suggestCategory: (text) => classifier.suggestCategory(text),
    trainingMs: classifier.trainingMs,
  };
}

/** For the evaluation tool: the loaded data and a trained classifier with its internals. */
export function createClassifier(data: TrainingData, config: ClassifierConfig = DEFAULT_CONFIG): { data: TrainingData; classifier: Classifier } {
  return { data, classifier: new Classifier(labelKeys(data), trainingExamples(data), config) };
}
