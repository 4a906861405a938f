/**
 * Shape of one FAQ knowledge-base entry: `content/faq/topics/<slug>.json`. Adding a topic or fixing
 * an answer is editing these files; they are validated at start-up and in tests.
 *
 * Text may contain city placeholders such as `{{city.hotline}}` or `{{city.oneStop.address}}`,
 * filled from the city profile (`content/cities/<city>.json`), so facts that differ by city never
 * live in an entry.
 */
import { z } from 'zod';

export const Bilingual = z.object({ vi: z.string().min(1), en: z.string().min(1) });
export type Bilingual = z.infer<typeof Bilingual>;

/** One chat bubble: Messenger and Zalo both cap text at 2,000 characters; we keep answers far shorter. */
const ShortAnswer = z.object({ vi: z.string().min(20).max(640), en: z.string().min(20).max(640) });

export const DETAIL_KEYS = ['documents', 'fee', 'time', 'where', 'online', 'legal'] as const;
export type DetailKey = (typeof DETAIL_KEYS)[number];

export const TopicEntry = z
  .object({
    slug: z.string().regex(/^[a-z0-9-]+$/),
    title: Bilingual,
    /** The answer shown first: fits one bubble. */
    short: ShortAnswer,
    /** Details given on request; keys present only where they apply. Each ≤ 1,500 chars per language. */
    details: z.partialRecord(z.enum(DETAIL_KEYS), z.object({ vi: z.string().min(1).max(1500), en: z.string().min(1).max(1500) })),
    related: z.array(z.string()).max(5),
    examples: z.object({
      vi: z.array(z.string().min(3)).min(8),
      en: z.array(z.string().min(3)).min(3),
    }),
    sources: z.array(z.object({ title: z.string().min(3), url: z.string().url().optional() })).min(1),
    /** ISO date the facts were last checked. */
    reviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  })
  .strict();
export type TopicEntry = z.infer<typeof TopicEntry>;
