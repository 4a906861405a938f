/**
 * Report categories (`content/reports/categories.tsv`: the slugs are fixed by the NLU reference
 * list; titles in both languages and short example phrases).
 */

export interface Category {
  readonly slug: string;
  readonly title: { readonly vi: string; readonly en: string };
  /** Short English example phrases (training text for the language model). */
  readonly phrases: readonly string[];
}

/** Categories from the rows of `categories.tsv` (columns category, title_vi, title_en, examples). */
export function categoriesFromRows(where: string, rows: ReadonlyArray<Readonly<Record<string, string>>>): Category[] {
  return rows.map((r, i) => {
    const slug = r['category'] ?? '';
    const vi = r['title_vi'] ?? '';
    const en = r['title_en'] ?? '';
    if (!/^[a-z0-9-]+$/.test(slug) || !vi || !en) throw new Error(`${where}: row ${i + 2} needs a slug and both titles`);
    const phrases = (r['examples'] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 2 && !/anything that fits/i.test(s));
    return { slug, title: { vi, en }, phrases };
  });
}
