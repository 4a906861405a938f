/**
 * The FAQ knowledge base, validated: one entry per topic (`content/faq/topics/<slug>.json`, read by
 * the content loader in src/storage) checked against {@link TopicEntry}, the topic list
 * (`content/faq/topics.tsv`) and the city profile. Pure: the caller hands over the file contents.
 *
 * Everything is checked at start-up so a broken data file stops the process with a message that names
 * the file and the fix, instead of a resident getting a half-filled answer.
 */
import type { CityProfile } from '../city-profile';
import type { Locale } from '../shared/ids';
import { TopicEntry } from './knowledge-base.schema';

export { TopicEntry, Bilingual } from './knowledge-base.schema';
export type { DetailKey } from './knowledge-base.schema';

export interface KnowledgeBase {
  /** Topics in the order of `topics.tsv` (present ones only in partial mode). */
  readonly topics: readonly TopicEntry[];
  readonly bySlug: ReadonlyMap<string, TopicEntry>;
  /** Every slug listed in `topics.tsv`. */
  readonly listedSlugs: readonly string[];
  /** Problems tolerated in partial mode (missing or invalid files). Empty in strict mode. */
  readonly warnings: readonly string[];
}

export interface BuildKnowledgeBaseOptions {
  /**
   * Development only: accept missing topics and skip files that do not parse or validate (they are
   * listed in `warnings`). The default, strict mode requires exactly the topics in `topics.tsv`.
   */
  readonly partial?: boolean;
  /** City profile every placeholder is checked against. */
  readonly city: CityProfile;
}

/** One topic file as read from disk (or from the database overlay). */
export interface TopicFile {
  readonly name: string;
  /** The file's text. */
  readonly text: string;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Resolves one placeholder path (`city.oneStop.address`) or explains why it cannot. */
function resolvePlaceholder(name: string, city: CityProfile, locale: Locale): { ok: true; value: string } | { ok: false; why: string } {
  const parts = name.split('.');
  if (parts[0] !== 'city' || parts.length < 2) return { ok: false, why: `{{${name}}} is not a city placeholder (use {{city.<key>}})` };
  let node: unknown = city;
  for (const key of parts.slice(1)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, key)) {
      return { ok: false, why: `{{${name}}}: the city profile has no "${parts.slice(1).join('.')}"` };
    }
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'string' || typeof node === 'number') return { ok: true, value: String(node) };
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    const localised = (node as Record<string, unknown>)[locale];
    if (typeof localised === 'string') return { ok: true, value: localised };
  }
  return { ok: false, why: `{{${name}}} is not a string or a {vi, en} text in the city profile` };
}

/** Placeholder problems in one text (empty when every placeholder resolves in both locales). */
export function placeholderProblems(text: string, city: CityProfile): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    for (const locale of ['vi', 'en'] as const) {
      const r = resolvePlaceholder(m[1] ?? '', city, locale);
      if (!r.ok) {
        problems.push(r.why);
        break;
      }
    }
  }
  return problems;
}

/**
 * Fills `{{city.*}}` placeholders from the city profile. A value given as `{ vi, en }` resolves to the
 * locale's text. Throws on a placeholder the profile cannot fill (the loader rejects those up front).
 */
export function renderTopicText(text: string, cityProfile: CityProfile, locale: Locale): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => {
    const r = resolvePlaceholder(name, cityProfile, locale);
    if (!r.ok) throw new Error(`Cannot render ${r.why}`);
    return r.value;
  });
}

/** Every text of an entry that may hold placeholders, with a label for error messages. */
function entryTexts(e: TopicEntry): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const loc of ['vi', 'en'] as const) {
    out.push([`title.${loc}`, e.title[loc]], [`short.${loc}`, e.short[loc]]);
    for (const [k, d] of Object.entries(e.details)) if (d) out.push([`details.${k}.${loc}`, d[loc]]);
  }
  return out;
}

/**
 * Validates every topic file with {@link TopicEntry}, and checks that the slugs are exactly those
 * listed, that `related` slugs exist and that every placeholder resolves in the city profile.
 * Throws one error listing every problem; `where` names the source in that message.
 */
export function buildKnowledgeBase(where: string, listedSlugs: readonly string[], files: readonly TopicFile[], opts: BuildKnowledgeBaseOptions): KnowledgeBase {
  const partial = opts.partial === true;
  const city = opts.city;
  const errors: string[] = [];
  const warnings: string[] = [];
  const problem = (msg: string): void => {
    (partial ? warnings : errors).push(msg);
  };
  const found = new Map<string, TopicEntry>();
  for (const { name: file, text } of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = `topics/${file}`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err: unknown) {
      problem(`${rel}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
      continue;
    }
    const parsed = TopicEntry.safeParse(raw);
    if (!parsed.success) {
      problem(`${rel}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      continue;
    }
    const entry = parsed.data;
    if (`${entry.slug}.json` !== file) {
      problem(`${rel}: slug "${entry.slug}" does not match the file name; rename the file or fix the slug`);
      continue;
    }
    const placeholderErrors = entryTexts(entry).flatMap(([where, text]) => placeholderProblems(text, city).map((p) => `${rel} ${where}: ${p}`));
    if (placeholderErrors.length > 0) {
      for (const p of placeholderErrors) problem(p);
      continue;
    }
    found.set(entry.slug, entry);
  }

  const listed = new Set(listedSlugs);
  const missing = partial ? [] : listedSlugs.filter((s) => !found.has(s));
  const extra = [...found.keys()].filter((s) => !listed.has(s));
  if (missing.length > 0) errors.push(`missing topic files for slugs listed in topics.tsv: ${missing.join(', ')} (add topics/<slug>.json)`);
  if (partial) {
    const absent = listedSlugs.filter((s) => !found.has(s));
    if (absent.length > 0) warnings.push(`partial knowledge base: ${absent.length} topic(s) absent: ${absent.join(', ')}`);
  }
  if (extra.length > 0) errors.push(`topic files not listed in topics.tsv: ${extra.join(', ')} (add them to topics.tsv or remove the files)`);
  for (const entry of found.values()) {
    for (const r of entry.related) {
      if (r === entry.slug) errors.push(`topics/${entry.slug}.json: related lists the topic itself`);
      else if (!found.has(r) && !(partial && listed.has(r))) errors.push(`topics/${entry.slug}.json: related slug "${r}" does not exist`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`FAQ knowledge base in ${where} is invalid:\n- ${errors.join('\n- ')}`);
  }
  const topics = listedSlugs.map((s) => found.get(s)).filter((e): e is TopicEntry => e !== undefined);
  return { topics, bySlug: found, listedSlugs, warnings };
}
