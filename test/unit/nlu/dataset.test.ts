import fs from 'node:fs';
import path from 'node:path';
import { labelOf, type GoldExample } from '../../../src/nlu/evaluate';
import { labelKeys, trainingExamples } from '../../../src/nlu/index';
import { normalise } from '../../../src/nlu/normalise';
import { loadTrainingData } from '../../../src/storage/content-loader';

type Line = GoldExample & { style: string[]; tags: string[] };

const fixtures = path.resolve(__dirname, '../../fixtures');
const read = (name: string): Line[] =>
  fs
    .readFileSync(path.join(fixtures, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);

const dev = read('nlu-dev.jsonl');
const frozen = read('nlu-test.jsonl');
const all = [...dev, ...frozen];
const data = loadTrainingData();
const words = (text: string): number => text.trim().split(/\s+/).length;
const share = (lines: Line[], pred: (l: Line) => boolean): number => lines.filter(pred).length / lines.length;

describe('the NLU evaluation set (dev split + frozen test split)', () => {
  it('has at least 900 dev messages and a frozen split of its own, with no line in both', () => {
    expect(dev.length).toBeGreaterThanOrEqual(900);
    expect(frozen.length).toBeGreaterThanOrEqual(300);
    const devTexts = new Set(dev.map((l) => l.text.toLowerCase()));
    expect(frozen.filter((l) => devTexts.has(l.text.toLowerCase()))).toEqual([]);
    expect(new Set(all.map((l) => l.text.toLowerCase())).size).toBe(all.length);
  });

  it.each([
    ['dev', dev],
    ['frozen', frozen],
  ] as const)('%s split: the phenomena in proportion (≥20%% long, ≥15%% keyword queries, situations, look-alikes, pairs, how-reporting-works)', (_name, lines) => {
    expect(share(lines, (l) => l.style.includes('long'))).toBeGreaterThanOrEqual(0.2);
    expect(share(lines, (l) => l.style.includes('keywords'))).toBeGreaterThanOrEqual(0.15);
    expect(share(lines, (l) => l.style.includes('english'))).toBeGreaterThanOrEqual(0.1);
    expect(share(lines, (l) => l.style.includes('no-diacritics'))).toBeGreaterThanOrEqual(0.15);
    expect(share(lines, (l) => l.style.includes('teencode'))).toBeGreaterThanOrEqual(0.1);
    for (const tag of ['situation', 'look-alike', 'pair', 'meta']) expect(lines.some((l) => l.tags.includes(tag))).toBe(true);
  });

  it('has at least 40 emergencies told as situations and 60 out-of-scope look-alikes', () => {
    expect(all.filter((l) => l.intent === 'emergency' && l.tags.includes('situation')).length).toBeGreaterThanOrEqual(40);
    expect(all.filter((l) => l.intent === 'unknown' && l.tags.includes('look-alike')).length).toBeGreaterThanOrEqual(60);
    expect(dev.filter((l) => l.intent === 'emergency' && l.tags.includes('situation')).length).toBeGreaterThanOrEqual(40);
    expect(dev.filter((l) => l.intent === 'unknown' && l.tags.includes('look-alike')).length).toBeGreaterThanOrEqual(60);
  });

  it('tags say what the lines are: long means 35+ words, keywords a few words, no-diacritics no marks, english reads as English', () => {
    const wrong: string[] = [];
    for (const l of all) {
      const n = words(l.text);
      if (l.style.includes('long') !== n >= 35) wrong.push(`long ${n}: ${l.text}`);
      if (l.style.includes('keywords') && n > 7) wrong.push(`keywords ${n}: ${l.text}`);
      if (l.style.includes('no-diacritics') && normalise(l.text).hadDiacritics) wrong.push(`marks: ${l.text}`);
    }
    expect(wrong).toEqual([]);
    const english = all.filter((l) => l.style.includes('english'));
    expect(share(english, (l) => normalise(l.text).lang === 'en')).toBeGreaterThanOrEqual(0.97);
  });

  it('every label is one the model knows (topics of the knowledge base, report categories, intents)', () => {
    const known = new Set(labelKeys(data));
    expect(all.map(labelOf).filter((k) => !known.has(k))).toEqual([]);
  });

  it('was written independently of the training examples: no line repeats one, or nearly does', () => {
    const tokens = (text: string): string[] => normalise(text).tokens.map((t) => t.folded);
    const train = trainingExamples(data).map((e) => {
      const t = tokens(e.text);
      return { text: e.text, seq: t.join(' '), set: new Set(t) };
    });
    const sequences = new Set(train.map((e) => e.seq));
    const copies: string[] = [];
    for (const l of all) {
      const t = tokens(l.text);
      // One- and two-word lines ("hello", "ok") cannot help looking like some example.
      if (t.length >= 3 && sequences.has(t.join(' '))) copies.push(`same: ${l.text}`);
      const set = new Set(t);
      if (set.size < 6) continue;
      for (const e of train) {
        let inter = 0;
        for (const w of set) if (e.set.has(w)) inter += 1;
        if (inter / (set.size + e.set.size - inter) >= 0.8) {
          copies.push(`near: ${l.text} ≈ ${e.text}`);
          break;
        }
      }
    }
    expect(copies).toEqual([]);
  });
});
