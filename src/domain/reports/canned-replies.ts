/**
 * Canned replies: starting texts staff pick when they answer a report, the public reply of a
 * resolution (`for: 'resolved'`) or the reason of a refusal (`for: 'rejected'`). The one model of
 * them: shipped in the city profile (`cannedReplies` in `content/cities/<city>.json`, per category
 * slug and `*` for every category), edited by admins in the console (content editing, an overlay
 * keyed `canned:<category>`), and offered on the report page from the live content, so an edit
 * shows there without a restart. Pure.
 */
import { z } from 'zod';

const Text = z.object({ vi: z.string().min(1), en: z.string().min(1) });

/** Ids name a reply in its list (the report page's select); kebab-case. */
export const CANNED_ID = /^[a-z0-9-]+$/;

export const CannedReplySchema = z
  .object({
    id: z.string().regex(CANNED_ID),
    /** The transition it is written for. */
    for: z.enum(['resolved', 'rejected']),
    /** What staff see in the select, in their language. */
    title: Text,
    /** The text offered, in the report's language. */
    text: Text,
  })
  .strict();

export type CannedReply = z.infer<typeof CannedReplySchema>;
export type CannedFor = CannedReply['for'];
export const CANNED_FOR: readonly CannedFor[] = ['resolved', 'rejected'];

/** The key of the replies offered for every category. */
export const EVERY_CATEGORY = '*';

/** Canned replies by category slug, `*` for every category. */
export type CannedRepliesByCategory = Readonly<Record<string, readonly CannedReply[]>>;

/** One category's list: ids are unique in it. */
export const CannedListSchema = z.array(CannedReplySchema).refine((list) => new Set(list.map((r) => r.id)).size === list.length, { message: 'ids must be unique in a list' });

/**
 * The profile's `cannedReplies` block: keys starting with `_` are comments and dropped. Which
 * category keys exist is checked where the categories are known (`parseCityRouting`).
 */
export const CannedRepliesSchema = z
  .record(z.string(), z.unknown())
  .default({})
  .transform((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))))
  .pipe(z.record(z.string(), CannedListSchema));

/** Canned replies for a category and a transition: the category's own first, then those for every category. */
export function cannedRepliesFor(replies: CannedRepliesByCategory, category: string, to: CannedFor): CannedReply[] {
  return [...(replies[category] ?? []), ...(category === EVERY_CATEGORY ? [] : (replies[EVERY_CATEGORY] ?? []))].filter((r) => r.for === to);
}

export const isCannedFor = (v: string): v is CannedFor => (CANNED_FOR as readonly string[]).includes(v);

/**
 * An id for a new reply, unique among `taken`: its title slugified (English first, as the shipped
 * ids are, else Vietnamese without accents), else `reply`; `-2`, `-3`… when taken.
 */
export function newCannedId(title: { readonly vi: string; readonly en: string }, taken: ReadonlySet<string>): string {
  const base = slugify(title.en) || slugify(title.vi) || 'reply';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function slugify(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
}
