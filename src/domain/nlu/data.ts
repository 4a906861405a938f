/**
 * Training data of the NLU, all of it data files validated with zod at load time:
 * - FAQ topics: `dialogs/faq/topics/<slug>.json` (`title`, `examples.vi`, `examples.en`);
 * - report categories: `dialogs/report/categories.tsv` (titles, example phrases) and
 *   `dialogs/nlu/report-examples.json` (resident-style report messages per category);
 * - the other intents: `dialogs/nlu/intent-examples.json` (status, emergency by kind, smalltalk, unknown).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadKnowledgeBase, readTsv, repoRoot, type KnowledgeBase } from '../faq/knowledge-base';
import type { EmergencyKind } from './emergency';

const Phrases = (minVi: number, minEn: number) =>
  z.object({ vi: z.array(z.string().min(1)).min(minVi), en: z.array(z.string().min(1)).min(minEn) }).strict();

export const ReportExamplesFile = z
  .object({
    _note: z.string().optional(),
    categories: z.record(z.string().regex(/^[a-z0-9-]+$/), Phrases(25, 8)),
  })
  .strict();
export type ReportExamplesFile = z.infer<typeof ReportExamplesFile>;

const EMERGENCY_KINDS = ['fire', 'gas', 'rescue', 'police', 'medical'] as const satisfies readonly EmergencyKind[];

export const IntentExamplesFile = z
  .object({
    _note: z.string().optional(),
    status: Phrases(25, 10),
    smalltalk: Phrases(25, 10),
    unknown: Phrases(40, 15),
    emergency: z.record(z.enum(EMERGENCY_KINDS), Phrases(5, 2)),
  })
  .strict()
  .superRefine((f, ctx) => {
    const count = (p: { vi: string[]; en: string[] }): number => p.vi.length + p.en.length;
    const emergency = Object.values(f.emergency).reduce((n, p) => n + (p ? count(p) : 0), 0);
    const mins: Array<[string, number, number]> = [
      ['status', count(f.status), 40],
      ['smalltalk', count(f.smalltalk), 40],
      ['unknown', count(f.unknown), 60],
      ['emergency', emergency, 60],
    ];
    for (const [name, n, min] of mins) {
      if (n < min) ctx.addIssue({ code: 'custom', path: [name], message: `needs at least ${min} examples, has ${n}` });
    }
    for (const k of EMERGENCY_KINDS) {
      if (!f.emergency[k]) ctx.addIssue({ code: 'custom', path: ['emergency', k], message: `missing examples for kind "${k}"` });
    }
  });
export type IntentExamplesFile = z.infer<typeof IntentExamplesFile>;

export interface ReportCategory {
  readonly slug: string;
  readonly title: { vi: string; en: string };
  /** Short English phrases from categories.tsv. */
  readonly phrases: readonly string[];
}

export interface TrainingData {
  readonly kb: KnowledgeBase;
  readonly categories: readonly ReportCategory[];
  readonly reports: ReportExamplesFile;
  readonly intents: IntentExamplesFile;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err: unknown) {
    throw new Error(`${file}: cannot read JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function formatIssues(file: string, error: z.ZodError): string {
  return `${file} is invalid:\n- ${error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n- ')}`;
}

export function loadReportCategories(file: string): ReportCategory[] {
  return readTsv(file).map((r) => ({
    slug: r['category'] ?? '',
    title: { vi: r['title_vi'] ?? '', en: r['title_en'] ?? '' },
    phrases: (r['examples'] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 2 && !/anything that fits/i.test(s)),
  }));
}

export function loadReportExamples(file: string, categories: readonly ReportCategory[]): ReportExamplesFile {
  const parsed = ReportExamplesFile.safeParse(readJson(file));
  if (!parsed.success) throw new Error(formatIssues(file, parsed.error));
  const want = new Set(categories.map((c) => c.slug));
  const have = new Set(Object.keys(parsed.data.categories));
  const missing = [...want].filter((s) => !have.has(s));
  const extra = [...have].filter((s) => !want.has(s));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`${file}: categories must be exactly those of categories.tsv; missing: ${missing.join(', ') || 'none'}; unknown: ${extra.join(', ') || 'none'}`);
  }
  return parsed.data;
}

export function loadIntentExamples(file: string): IntentExamplesFile {
  const parsed = IntentExamplesFile.safeParse(readJson(file));
  if (!parsed.success) throw new Error(formatIssues(file, parsed.error));
  return parsed.data;
}

export interface LoadTrainingDataOptions {
  /** `dialogs/faq` */
  readonly kbDir?: string;
  /** `dialogs/nlu` */
  readonly nluDir?: string;
  /** Accept a partial knowledge base (development while topics are being written). */
  readonly partial?: boolean;
}

export function loadTrainingData(opts: LoadTrainingDataOptions = {}): TrainingData {
  const root = opts.kbDir === undefined || opts.nluDir === undefined ? repoRoot() : '';
  const kbDir = opts.kbDir ?? path.join(root, 'dialogs', 'faq');
  const nluDir = opts.nluDir ?? path.join(root, 'dialogs', 'nlu');
  const kb = loadKnowledgeBase(kbDir, { partial: opts.partial === true });
  const categories = loadReportCategories(path.join(kbDir, '..', 'report', 'categories.tsv'));
  const reports = loadReportExamples(path.join(nluDir, 'report-examples.json'), categories);
  const intents = loadIntentExamples(path.join(nluDir, 'intent-examples.json'));
  return { kb, categories, reports, intents };
}
