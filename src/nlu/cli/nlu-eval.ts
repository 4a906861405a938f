/**
 * `npm run nlu:eval [-- [file.jsonl] [--errors] [--cv[=k]] [--tune] [--partial]]`
 *
 * Scores the NLU on labelled lines `{"text","intent","topic","category"}` (default
 * test/fixtures/nlu-dev.jsonl): exact-label accuracy overall, per intent, per topic and per category,
 * emergency recall, out-of-scope decline rate, the most frequent confusions, latency and training time.
 *
 * --cv[=k]   also k-fold cross-validation on the training examples (default 5 folds)
 * --tune     grid-search the decision thresholds on the cross-validation folds and on the file
 * --errors   list every misclassified line
 * --partial  accept a knowledge base with missing topics (lines about them are skipped)
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Classifier, DEFAULT_CONFIG, type Analysis, type DecisionConfig, type LabelledText } from '../classifier';
import { evaluate, labelOf, percentile, type EvalReport, type GoldExample } from '../evaluate';
import { createClassifier, labelKeys, trainingExamples } from '../index';
import { seededRandom, shuffleInPlace } from '../model';
import { loadTrainingData } from '../../storage/content-loader';

const STYLES = ['plain', 'no-diacritics', 'teencode', 'long', 'keywords', 'english'] as const;
const TAGS = ['situation', 'look-alike', 'pair', 'meta'] as const;

const GoldLine = z.object({
  text: z.string(),
  intent: z.enum(['faq', 'report', 'status', 'emergency', 'smalltalk', 'unknown']),
  topic: z.string().nullable().optional().transform((v) => v ?? null),
  category: z.string().nullable().optional().transform((v) => v ?? null),
  style: z.array(z.enum(STYLES)).optional(),
  tags: z.array(z.enum(TAGS)).optional(),
});

interface Args {
  file: string;
  errors: boolean;
  cv: number;
  tune: boolean;
  partial: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { file: path.resolve(__dirname, '../../../test/fixtures/nlu-dev.jsonl'), errors: false, cv: 0, tune: false, partial: false };
  for (const a of argv) {
    if (a === '--errors') args.errors = true;
    else if (a === '--tune') args.tune = true;
    else if (a === '--partial') args.partial = true;
    else if (a === '--cv') args.cv = 5;
    else if (a.startsWith('--cv=')) args.cv = Number(a.slice(5));
    else if (a.startsWith('--')) throw new Error(`Unknown flag ${a}; see the header of src/nlu/cli/nlu-eval.ts`);
    else args.file = path.resolve(a);
  }
  return args;
}

function readGold(file: string): GoldExample[] {
  const out: GoldExample[] = [];
  fs.readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const parsed = GoldLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      out.push(parsed.data);
    });
  return out;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function printReport(title: string, r: EvalReport, showErrors: boolean): void {
  const log = (s = ''): void => {
    process.stdout.write(`${s}\n`);
  };
  log(`\n=== ${title}: ${r.n} messages ===`);
  log(`exact-label accuracy   ${pct(r.exact)}`);
  log(`emergency recall       ${pct(r.emergencyRecall)}   (false alarms: ${r.emergencyFalseAlarms})`);
  log(`out-of-scope declined  ${pct(r.outOfScopeDecline)}`);
  log('\nper intent (n, exact, intent right):');
  for (const [k, b] of Object.entries(r.perIntent).sort()) log(`  ${k.padEnd(10)} ${String(b.n).padStart(4)}  ${pct(b.correct / b.n).padStart(6)}  ${pct(b.intentCorrect / b.n).padStart(6)}`);
  log('\nper topic (n, exact):');
  for (const [k, b] of Object.entries(r.perTopic).sort()) log(`  ${k.padEnd(22)} ${String(b.n).padStart(3)}  ${pct(b.correct / b.n).padStart(6)}`);
  log('\nper category (n, exact):');
  for (const [k, b] of Object.entries(r.perCategory).sort()) log(`  ${k.padEnd(22)} ${String(b.n).padStart(3)}  ${pct(b.correct / b.n).padStart(6)}`);
  const slice = (prefix: string, names: readonly string[]): void => {
    for (const name of names) {
      const b = r.slices[`${prefix}:${name}`];
      if (b) log(`  ${name.padEnd(14)} ${String(b.n).padStart(4)}  ${pct(b.correct / b.n).padStart(6)}${b.correct / b.n < 0.85 ? '   < 85%' : ''}`);
    }
  };
  if (Object.keys(r.slices).length > 0) {
    log('\nby style (n, exact):');
    slice('style', STYLES);
    log('\nby phenomenon (n, exact):');
    slice('tag', TAGS);
  }
  log('\ncalibration (score bucket: n, accuracy):');
  for (const b of r.calibration) if (b.n > 0) log(`  [${b.lo.toFixed(1)}, ${b.hi.toFixed(1)}${b.hi >= 1 ? ']' : ')'}  ${String(b.n).padStart(4)}  ${pct(b.correct / b.n).padStart(6)}`);
  log('\nmost frequent confusions (gold → predicted):');
  for (const c of r.confusions.slice(0, 15)) log(`  ${String(c.count).padStart(3)}  ${c.gold} → ${c.predicted}   e.g. ${JSON.stringify(c.examples[0])}`);
  if (showErrors) {
    log('\nerrors:');
    for (const e of r.errors) log(`  ${e.gold.padEnd(26)} → ${e.predicted.padEnd(26)} ${e.score.toFixed(2)}  ${e.text}`);
  }
}

function goldFromKey(text: string, key: string): GoldExample {
  if (key.startsWith('faq:')) return { text, intent: 'faq', topic: key.slice(4), category: null };
  if (key.startsWith('report:')) return { text, intent: 'report', topic: null, category: key.slice(7) };
  return { text, intent: key as GoldExample['intent'], topic: null, category: null };
}

/** k-fold cross-validation on the training examples, stratified by label and seeded. */
function crossValidate(keys: string[], examples: LabelledText[], k: number): Array<{ gold: GoldExample; analysis: Analysis; classifier: Classifier }> {
  const byLabel = new Map<string, LabelledText[]>();
  for (const e of examples) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]);
  const rand = seededRandom(7);
  const folds: LabelledText[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const list of byLabel.values()) {
    for (const e of shuffleInPlace([...list], rand)) {
      folds[next % k]?.push(e);
      next += 1;
    }
  }
  const out: Array<{ gold: GoldExample; analysis: Analysis; classifier: Classifier }> = [];
  folds.forEach((held, i) => {
    const train = folds.filter((_, j) => j !== i).flat();
    const clf = new Classifier(keys, train, DEFAULT_CONFIG);
    for (const e of held) out.push({ gold: goldFromKey(e.text, e.label), analysis: clf.analyse(e.text), classifier: clf });
  });
  return out;
}

/** Grid search of decision thresholds: best exact accuracy with every emergency recalled (ties: more declines). */
function tune(name: string, rows: ReadonlyArray<{ gold: GoldExample; analysis: Analysis; classifier: Classifier }>): void {
  const grid: DecisionConfig[] = [];
  for (const temperature of [0.5, 0.75, 1])
    for (const knnWeight of [0, 2, 4, 8])
      for (const minIntentMass of [0, 0.3, 0.4, 0.5])
        for (const minTopicProb of [0, 0.15, 0.25, 0.35])
          for (const minSimilarity of [0, 0.1, 0.15, 0.2, 0.25])
            for (const emergencyProb of [0.3, 0.45])
              grid.push({ ...DEFAULT_CONFIG.decision, temperature, knnWeight, minIntentMass, minTopicProb, minSimilarity, emergencyProb });
  const scored = grid.map((d) => {
    const r = evaluate(rows.map((x) => ({ gold: x.gold, predicted: x.classifier.decide(x.analysis, d) })));
    return { d, r };
  });
  scored.sort((a, b) => b.r.emergencyRecall - a.r.emergencyRecall || b.r.exact - a.r.exact || b.r.outOfScopeDecline - a.r.outOfScopeDecline);
  process.stdout.write(`\n=== tuning on ${name} (${rows.length}) — top 8 ===\n`);
  for (const { d, r } of scored.slice(0, 8)) {
    process.stdout.write(
      `  T=${d.temperature} knn=${d.knnWeight} mass≥${d.minIntentMass} topic≥${d.minTopicProb} sim≥${d.minSimilarity} em≥${d.emergencyProb}  exact ${pct(r.exact)}  em ${pct(r.emergencyRecall)}  oos ${pct(r.outOfScopeDecline)}\n`,
    );
  }
  const current = evaluate(rows.map((x) => ({ gold: x.gold, predicted: x.classifier.decide(x.analysis) })));
  process.stdout.write(`  current config: exact ${pct(current.exact)}  em ${pct(current.emergencyRecall)}  oos ${pct(current.outOfScopeDecline)}\n`);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const { data, classifier } = createClassifier(loadTrainingData({ partial: args.partial }));
  const known = new Set(classifier.labels.map((l) => l.key));
  const gold = readGold(args.file);
  const usable = gold.filter((g) => known.has(labelOf(g)));
  if (usable.length < gold.length) process.stdout.write(`(skipping ${gold.length - usable.length} lines whose label is not in the partial model)\n`);

  const times: number[] = [];
  const pairs = usable.map((g) => {
    const t0 = process.hrtime.bigint();
    const predicted = classifier.classify(g.text);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    return { gold: g, predicted };
  });
  // Latency again, warmed up (the first pass includes JIT compilation).
  const warm: number[] = [];
  for (const g of usable) {
    const t0 = process.hrtime.bigint();
    classifier.classify(g.text);
    warm.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  printReport(path.relative(process.cwd(), args.file), evaluate(pairs), args.errors);
  process.stdout.write(
    `\ntraining ${classifier.trainingMs.toFixed(0)} ms on ${trainingExamples(data).length} examples, ${classifier.labels.length} labels\n` +
      `latency first pass p50 ${percentile(times, 0.5).toFixed(2)} ms p99 ${percentile(times, 0.99).toFixed(2)} ms; ` +
      `warm p50 ${percentile(warm, 0.5).toFixed(2)} ms p99 ${percentile(warm, 0.99).toFixed(2)} ms max ${percentile(warm, 1).toFixed(2)} ms\n`,
  );

  if (args.cv > 1 || args.tune) {
    const keys = labelKeys(data);
    const cv = crossValidate(keys, trainingExamples(data), args.cv > 1 ? args.cv : 5);
    printReport(`${args.cv > 1 ? args.cv : 5}-fold cross-validation on training examples`, evaluate(cv.map((x) => ({ gold: x.gold, predicted: x.classifier.decide(x.analysis) }))), args.errors);
    if (args.tune) {
      tune('cross-validation folds', cv);
      tune(path.basename(args.file), usable.map((g) => ({ gold: g, analysis: classifier.analyse(g.text), classifier })));
    }
  }
}

main();
