/**
 * The city profile: every city-specific fact (name, hotline, map centre, service area, one-stop
 * shop...) in one data file, `content/cities/<slug>.json`. Another city is one file away.
 */
import { z } from 'zod';
import { CannedRepliesSchema } from './reports/canned-replies';

const Text = z.object({ vi: z.string().min(1), en: z.string().min(1) });

export const CityProfileSchema = z.object({
  slug: z.string(),
  name: Text,
  shortName: Text,
  ioc: Text,
  hotline: z.string().min(3),
  timezone: z.string(),
  map: z.object({ center: z.object({ lat: z.number(), lng: z.number() }), zoom: z.number().int().min(1).max(19) }),
  serviceArea: z.object({ polygon: z.array(z.tuple([z.number(), z.number()])).min(3) }),
  geocoder: z.object({ countryCode: z.string(), suffix: z.string() }),
  oneStop: z.object({ name: Text, address: Text, hours: Text }),
  portal: z.object({ national: z.string().url(), city: z.string().url() }),
  app: z.object({ name: z.string(), url: z.string().url() }),
  facts: z.record(z.string(), Text),
  /**
   * Agencies reports are routed to (`id` is what the API and the routing table use). `email`
   * (optional): where the daily overdue reminder is also mailed when SMTP is configured; an agency
   * without one sees its reminders in the console only.
   */
  agencies: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), name: Text, email: z.email().optional() })).min(1),
  /** Hours the city gives itself to answer a report, per category slug, else `defaultHours`. */
  sla: z.object({ defaultHours: z.number().positive(), categories: z.record(z.string(), z.number().positive()).default({}) }),
  /** Broadcasts: whether another officer must approve (four eyes) and the cards' colour (residents' consent default: `publicSite.publishByDefault`). */
  broadcasts: z
    .object({ fourEyes: z.boolean().default(false), color: z.string().regex(/^#[0-9a-fA-F]{6}$/).default('#0068ff') })
    .default({ fourEyes: false, color: '#0068ff' }),
  /**
   * Replies staff pick from when they answer a report, per category slug and `*` for every
   * category (`_note` and other keys starting with `_` are comments), in the shape of
   * src/domain/reports/canned-replies.ts. Edited in the console over the shipped file; the report
   * page reads them from the live content.
   */
  cannedReplies: CannedRepliesSchema,
}).passthrough();

export type CityProfile = z.infer<typeof CityProfileSchema>;
export type Agency = CityProfile['agencies'][number];

/** The SLA of a category in hours. */
export function slaHours(city: Pick<CityProfile, 'sla'>, category: string): number {
  return city.sla.categories[category] ?? city.sla.defaultHours;
}

/** Validates a parsed profile; `where` names its source in the error. */
export function parseCityProfile(where: string, raw: unknown): CityProfile {
  const parsed = CityProfileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`City profile ${where} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
