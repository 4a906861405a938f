/**
 * Content edited without a developer: FAQ answers (short answer and details, and the example
 * questions the language model learns from), canned replies per report category (and `*`, every
 * category; the model of src/domain/reports/canned-replies.ts, which the report page reads live),
 * the hotline and the one-stop shop facts. Edits are stored over the shipped files of `content/`
 * (an overlay keyed `faq:<slug>`, `city`, `canned:<category>`), each with its history; the app
 * reads the merged content through a {@link ContentStore}, so the next conversation turn (and the
 * next report page) uses an edit at once.
 *
 * Every edit is checked with the same rules as the shipped files (the topic schema, placeholders
 * that the city profile must fill) before it is stored, and again when the overlay is applied (a
 * stored edit that no longer fits, after an upgrade, is skipped with a warning, never half-applied).
 * Pure.
 */
import type { CityProfile } from '../city-profile';
import { CannedListSchema, CANNED_ID, isCannedFor, newCannedId, type CannedReply } from '../reports/canned-replies';
import type { KnowledgeBase } from '../faq/knowledge-base';
import { placeholderProblems, renderTopicText } from '../faq/knowledge-base';
import { DETAIL_KEYS, TopicEntry, type Bilingual, type DetailKey } from '../faq/knowledge-base.schema';
import type { Locale } from '../shared/ids';
import type { Actor } from '../staff/actor';

/** The editable part of an FAQ topic. */
export interface FaqEdit {
  readonly short: Bilingual;
  readonly details: Partial<Record<DetailKey, Bilingual>>;
  readonly examples: { readonly vi: readonly string[]; readonly en: readonly string[] };
}

/** The city facts staff may edit (names, agencies, service area and SLA stay in the file). */
export interface CityEdit {
  readonly hotline: string;
  readonly oneStop: { readonly name: Bilingual; readonly address: Bilingual; readonly hours: Bilingual };
  readonly facts: Readonly<Record<string, Bilingual>>;
}

/** One list of canned replies (a category's, or `*`: every category's). */
export type CannedReplies = readonly CannedReply[];

/**
 * A canned reply as the console's form sends it: `id` is empty for a new reply (it gets one when
 * saved, {@link withCannedIds}) and `for` is whatever the select sent (checked by {@link cannedProblems}).
 */
export interface CannedReplyDraft {
  readonly id: string;
  readonly for: string;
  readonly title: Bilingual;
  readonly text: Bilingual;
}

/** What the rest of the app reads: the city profile and the knowledge base, edits applied. */
export interface LiveContent {
  readonly city: CityProfile;
  readonly kb: KnowledgeBase;
}

export interface ContentChange {
  /** FAQ example questions changed: the language model must learn them again. */
  readonly examplesChanged: boolean;
}

/** The merged content, swappable at run time. */
export interface ContentStore {
  current(): LiveContent;
  /** Called after each change (an edit here, or one made by another process); returns "unsubscribe". */
  onChange(listener: (content: LiveContent, change: ContentChange) => void): () => void;
}

/** One stored edit. */
export interface ContentOverride {
  readonly key: string;
  readonly value: unknown;
  readonly updatedAt: Date;
}

export interface ContentHistoryEntry {
  readonly id: string;
  readonly key: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly reverted: boolean;
  readonly actor: { readonly kind: Actor['kind']; readonly id: string | null };
  readonly at: Date;
}

/** The overlay in the database: one writer, with history in the same transaction. */
export interface ContentOverridesRepo {
  all(): Promise<ContentOverride[]>;
  /** Stores `after` over the shipped content of `key`, with a history row (before → after). */
  save(key: string, before: unknown, after: unknown, actor: Actor): Promise<void>;
  /** Removes the edit of `key` (back to the shipped content), with a history row; false when there was none. */
  remove(key: string, before: unknown, after: unknown, actor: Actor): Promise<boolean>;
  history(key: string, limit: number): Promise<ContentHistoryEntry[]>;
  /** Changes whenever anything is saved or removed (other processes compare it to reload). */
  version(): Promise<string>;
}

export const faqKey = (slug: string): string => `faq:${slug}`;
export const CITY_KEY = 'city';
export const cannedKey = (category: string): string => `canned:${category}`;

export const MAX_CANNED_REPLIES = 10;
export const MAX_CANNED_LENGTH = 1000;
export const MAX_CANNED_TITLE_LENGTH = 80;
export const MAX_EXAMPLES = 80;
export const MAX_FACT_LENGTH = 600;

/** Why an edit was refused, per field (`short.vi`, `details.fee.en`, `examples.vi`, `hotline`, `replies.2.text.en`). */
export interface ContentProblem {
  readonly field: string;
  readonly code: 'required' | 'too-short' | 'too-long' | 'too-few' | 'too-many' | 'placeholder' | 'invalid';
  /** The limit broken (characters or items), when there is one. */
  readonly limit?: number;
  /** For `placeholder`: which placeholder and why (names, never values). */
  readonly detail?: string;
}

export class ContentError extends Error {
  readonly code = 'content.invalid';
  constructor(readonly problems: readonly ContentProblem[]) {
    super(`the edit is invalid: ${problems.map((p) => `${p.field} ${p.code}`).join(', ')}`);
    this.name = 'ContentError';
  }
}

// ---------------------------------------------------------------------------------------------
// What is editable, read from the content

export function faqEditOf(topic: TopicEntry): FaqEdit {
  return { short: topic.short, details: topic.details, examples: topic.examples };
}

export function cityEditOf(city: CityProfile): CityEdit {
  return { hotline: city.hotline, oneStop: city.oneStop, facts: city.facts };
}

export function cannedOf(city: CityProfile, category: string): CannedReplies {
  return city.cannedReplies[category] ?? [];
}

/** Texts as typed in a form: NFC, trimmed, Windows line ends unified. */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

/** Example questions from a textarea: one per line, blank lines and repeats dropped. */
export function exampleLines(text: string): string[] {
  return [...new Set(cleanText(text).split('\n').map((l) => l.trim()).filter((l) => l !== ''))];
}

// ---------------------------------------------------------------------------------------------
// Checking edits

/** Problems of an FAQ edit for `topic` (the topic schema's rules, placeholders the city fills). */
export function faqProblems(topic: TopicEntry, edit: FaqEdit, city: CityProfile): ContentProblem[] {
  const merged = { ...topic, ...edit };
  const problems: ContentProblem[] = [];
  const parsed = TopicEntry.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.');
      if (issue.code === 'too_small') problems.push({ field, code: issue.origin === 'array' ? 'too-few' : Number(issue.minimum) <= 1 ? 'required' : 'too-short', limit: Number(issue.minimum) });
      else if (issue.code === 'too_big') problems.push({ field, code: issue.origin === 'array' ? 'too-many' : 'too-long', limit: Number(issue.maximum) });
      else problems.push({ field, code: 'invalid' });
    }
  }
  for (const locale of ['vi', 'en'] as const) {
    if (edit.examples[locale].length > MAX_EXAMPLES) problems.push({ field: `examples.${locale}`, code: 'too-many', limit: MAX_EXAMPLES });
    const texts: Array<[string, string]> = [[`short.${locale}`, edit.short[locale]], ...DETAIL_KEYS.flatMap((k): Array<[string, string]> => (edit.details[k] ? [[`details.${k}.${locale}`, edit.details[k]![locale]]] : []))];
    for (const [field, text] of texts) for (const detail of placeholderProblems(text, city)) problems.push({ field, code: 'placeholder', detail });
  }
  return dedupe(problems);
}

/** Problems of an edit of the city facts. */
export function cityProblems(edit: CityEdit, shipped: CityProfile): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (!/^[0-9+(][0-9 .()+-]{1,18}[0-9]$/.test(edit.hotline)) problems.push({ field: 'hotline', code: edit.hotline === '' ? 'required' : 'invalid' });
  const texts: Array<[string, Bilingual, number]> = [
    ['oneStop.name', edit.oneStop.name, 200],
    ['oneStop.address', edit.oneStop.address, 300],
    ['oneStop.hours', edit.oneStop.hours, 300],
    ...Object.keys(shipped.facts).map((k): [string, Bilingual, number] => [`facts.${k}`, edit.facts[k] ?? { vi: '', en: '' }, MAX_FACT_LENGTH]),
  ];
  for (const [field, text, max] of texts) {
    for (const locale of ['vi', 'en'] as const) {
      const v = text[locale];
      if (v === '') problems.push({ field: `${field}.${locale}`, code: 'required' });
      else if ([...v].length > max) problems.push({ field: `${field}.${locale}`, code: 'too-long', limit: max });
    }
  }
  // Facts are those of the profile: placeholders in answers name them, so none is added or dropped here.
  for (const k of Object.keys(edit.facts)) if (!(k in shipped.facts)) problems.push({ field: `facts.${k}`, code: 'invalid' });
  return problems;
}

/**
 * Problems of the canned replies of a category: the transition, the title and the text in both
 * languages, their lengths, how many. Ids are not the editor's business (a hidden field): a missing
 * or unusable one is replaced when saving ({@link withCannedIds}).
 */
export function cannedProblems(replies: readonly CannedReplyDraft[]): ContentProblem[] {
  const problems: ContentProblem[] = [];
  if (replies.length > MAX_CANNED_REPLIES) problems.push({ field: 'replies', code: 'too-many', limit: MAX_CANNED_REPLIES });
  replies.forEach((r, i) => {
    if (!isCannedFor(r.for)) problems.push({ field: `replies.${i}.for`, code: 'invalid' });
    for (const [part, max] of [['title', MAX_CANNED_TITLE_LENGTH], ['text', MAX_CANNED_LENGTH]] as const) {
      for (const locale of ['vi', 'en'] as const) {
        const v = r[part][locale];
        if (v === '') problems.push({ field: `replies.${i}.${part}.${locale}`, code: 'required' });
        else if ([...v].length > max) problems.push({ field: `replies.${i}.${part}.${locale}`, code: 'too-long', limit: max });
      }
    }
  });
  return problems;
}

/**
 * The replies to store: existing ids are kept (the first use of an id, when it is well formed), a
 * new reply (or a broken id) gets one from its title, unique in the list. Call it on drafts without
 * {@link cannedProblems}.
 */
export function withCannedIds(drafts: readonly CannedReplyDraft[]): CannedReply[] {
  const kept = drafts.map((d, i) => (CANNED_ID.test(d.id) && drafts.findIndex((x) => x.id === d.id) === i ? d.id : null));
  const taken = new Set(kept.filter((id): id is string => id !== null));
  return drafts.map((d, i) => {
    if (!isCannedFor(d.for)) throw new Error(`canned reply ${i} is for "${d.for}"; check the drafts with cannedProblems first`);
    let id = kept[i];
    if (id === null || id === undefined) {
      id = newCannedId(d.title, taken);
      taken.add(id);
    }
    return { id, for: d.for, title: d.title, text: d.text };
  });
}

function dedupe(problems: ContentProblem[]): ContentProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.field}|${p.code}|${p.detail ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Applying the overlay

/**
 * The shipped content with the stored edits applied: the city facts first (answers' placeholders
 * read them), then the canned replies and the FAQ topics. An edit that does not fit any more is
 * skipped and named in `skipped`.
 */
export function applyOverrides(base: LiveContent, overrides: readonly ContentOverride[]): LiveContent & { skipped: string[] } {
  const skipped: string[] = [];
  const byKey = new Map(overrides.map((o) => [o.key, o.value]));
  let city = base.city;
  const cityEdit = byKey.get(CITY_KEY) as CityEdit | undefined;
  if (cityEdit !== undefined) {
    if (isCityEdit(cityEdit) && cityProblems(cityEdit, base.city).length === 0) city = { ...city, hotline: cityEdit.hotline, oneStop: cityEdit.oneStop, facts: { ...city.facts, ...cityEdit.facts } };
    else skipped.push(CITY_KEY);
  }
  const canned: Record<string, CannedReply[]> = { ...base.city.cannedReplies };
  for (const [key, value] of byKey) {
    if (!key.startsWith('canned:')) continue;
    // The structured shape only. An edit stored in the older shape (a list of bare { vi, en } texts,
    // from before the editor and the report desk shared one model) is skipped, not converted: it
    // says neither for which transition a text is meant nor what its title is, and a guess could
    // offer a refusal reason as a resolution. The log names it; an admin edits the list again.
    const parsed = CannedListSchema.safeParse(value);
    if (parsed.success && cannedProblems(parsed.data).length === 0) canned[key.slice(7)] = parsed.data;
    else skipped.push(key);
  }
  city = { ...city, cannedReplies: canned };

  const bySlug = new Map(base.kb.bySlug);
  let topicsChanged = false;
  for (const [key, value] of byKey) {
    if (!key.startsWith('faq:')) continue;
    const topic = base.kb.bySlug.get(key.slice(4));
    if (!topic || !isFaqEdit(value) || faqProblems(topic, value, city).length > 0) {
      skipped.push(key);
      continue;
    }
    bySlug.set(topic.slug, { ...topic, short: value.short, details: value.details, examples: { vi: [...value.examples.vi], en: [...value.examples.en] } });
    topicsChanged = true;
  }
  // The city's placeholders must still fill every answer that was not edited (a fact stays a fact).
  const kb: KnowledgeBase = topicsChanged ? { ...base.kb, bySlug, topics: base.kb.topics.map((t) => bySlug.get(t.slug) ?? t) } : base.kb;
  return { city, kb, skipped };
}

/** The texts of a topic as a resident reads them in one language (the preview). */
export function renderedTopic(topic: TopicEntry, edit: FaqEdit, city: CityProfile, locale: Locale): { title: string; short: string; details: Array<{ key: DetailKey; text: string }> } {
  const render = (text: string) => (placeholderProblems(text, city).length === 0 ? renderTopicText(text, city, locale) : text);
  return {
    title: topic.title[locale],
    short: render(edit.short[locale]),
    details: DETAIL_KEYS.flatMap((key) => (edit.details[key] ? [{ key, text: render(edit.details[key]![locale]) }] : [])),
  };
}

const isBilingual = (v: unknown): v is Bilingual => typeof v === 'object' && v !== null && typeof (v as Bilingual).vi === 'string' && typeof (v as Bilingual).en === 'string';

function isFaqEdit(v: unknown): v is FaqEdit {
  const e = v as FaqEdit;
  return typeof e === 'object' && e !== null && isBilingual(e.short) && typeof e.details === 'object' && e.details !== null
    && Array.isArray(e.examples?.vi) && Array.isArray(e.examples?.en);
}

function isCityEdit(v: unknown): v is CityEdit {
  const e = v as CityEdit;
  return typeof e === 'object' && e !== null && typeof e.hotline === 'string' && isBilingual(e.oneStop?.name) && isBilingual(e.oneStop?.address)
    && isBilingual(e.oneStop?.hours) && typeof e.facts === 'object' && e.facts !== null && Object.values(e.facts).every(isBilingual);
}

/** Whether two FAQ edits teach the language model different examples. */
export function examplesDiffer(a: FaqEdit, b: FaqEdit): boolean {
  return JSON.stringify(a.examples) !== JSON.stringify(b.examples);
}

/** The fields an edit changed, as readable paths with their texts (for the history). */
export function changedFields(before: unknown, after: unknown): Array<{ field: string; before: string; after: string }> {
  const a = flatten(before);
  const b = flatten(after);
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  return fields.filter((f) => (a.get(f) ?? '') !== (b.get(f) ?? '')).map((f) => ({ field: f, before: a.get(f) ?? '', after: b.get(f) ?? '' }));
}

/** `{ short: { vi } }` → `short.vi`; arrays of strings are one text, one item per line. */
function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out.set(prefix, v.join('\n'));
  else if (Array.isArray(v)) v.forEach((x, i) => flatten(x, prefix ? `${prefix}.${i}` : String(i), out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  else if (v !== undefined && v !== null) out.set(prefix, String(v));
  return out;
}
