/**
 * Training data of the NLU, all of it data files (read by the content loader in src/storage) and
 * validated with zod here:
 * - FAQ topics: `content/faq/topics/<slug>.json` (`title`, `examples.vi`, `examples.en`);
 * - report categories: `content/reports/categories.tsv` (titles, example phrases) and
 *   `content/nlu/report-examples.json` (resident-style report messages per category);
 * - the other intents: `content/nlu/intent-examples.json` (status, emergency by kind, smalltalk, unknown).
 */
import { z } from 'zod';
import type { KnowledgeBase } from '../domain/faq/knowledge-base';
import type { Category } from '../domain/reports/categories';
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

/** A report category as the model sees it (titles and example phrases). */
export type ReportCategory = Category;

export interface TrainingData {
  readonly kb: KnowledgeBase;
  readonly categories: readonly ReportCategory[];
  readonly reports: ReportExamplesFile;
  readonly intents: IntentExamplesFile;
}

function formatIssues(file: string, error: z.ZodError): string {
  return `${file} is invalid:\n- ${error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n- ')}`;
}

/** Validates the parsed `report-examples.json`; `file` names it in errors. */
export function validateReportExamples(file: string, raw: unknown, categories: readonly ReportCategory[]): ReportExamplesFile {
  const parsed = ReportExamplesFile.safeParse(raw);
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

/** Validates the parsed `intent-examples.json`; `file` names it in errors. */
export function validateIntentExamples(file: string, raw: unknown): IntentExamplesFile {
  const parsed = IntentExamplesFile.safeParse(raw);
  if (!parsed.success) throw new Error(formatIssues(file, parsed.error));
  return parsed.data;
}
