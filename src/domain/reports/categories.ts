/**
 * Report categories, read from `dialogs/report/categories.tsv` (the slugs are fixed by the NLU
 * reference list; titles in both languages).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Category {
  readonly slug: string;
  readonly title: { readonly vi: string; readonly en: string };
  readonly examples: string;
}

const FILE = path.resolve(__dirname, '../../../dialogs/report/categories.tsv');

export function loadCategories(file = FILE): Category[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(1).map((line) => {
    const [slug, vi, en, examples] = line.split('\t');
    if (!slug || !vi || !en) throw new Error(`${file}: malformed line "${line}"`);
    return { slug, title: { vi, en }, examples: examples ?? '' };
  });
}
