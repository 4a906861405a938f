/**
 * The city profile's facts for its public surfaces (`publicSite`, `open311`, `weeklyReport` in
 * `content/cities/<slug>.json`): where residents report (Zalo OA, fanpage), whether reports are
 * public by default, the Open311 discovery facts, and the letterhead of the weekly report to the
 * People's Committee. Validated once at start-up by {@link publicFactsOf}.
 */
import { z } from 'zod';
import type { CityProfile } from '../city-profile';

const Text = z.object({ vi: z.string().min(1), en: z.string().min(1) });
const Link = z.object({ name: Text, url: z.string().url() });

const PublicFactsSchema = z.object({
  publicSite: z
    .object({
      /** Reports whose resident has not chosen are shown (true) or hidden (false). */
      publishByDefault: z.boolean().default(true),
      zaloOa: Link.optional(),
      fanpage: Link.optional(),
      /** m.me link that opens the fanpage's Messenger chat. */
      messenger: Link.optional(),
      /** Province code of the city's wards (ward filter of the public page). */
      provinceCode: z.string().regex(/^\d{2}$/).optional(),
    })
    .default({ publishByDefault: true }),
  open311: z
    .object({
      /** Accepted `jurisdiction_id` values (none: the parameter is ignored). */
      jurisdictionIds: z.array(z.string().min(1)).default([]),
      contact: z.string().default(''),
      keyService: z.string().default(''),
      changeset: z.string().default('2026-03-01T00:00:00+07:00'),
    })
    .default({ jurisdictionIds: [], contact: '', keyService: '', changeset: '2026-03-01T00:00:00+07:00' }),
  weeklyReport: z
    .object({
      /** Letterhead, top left: the governing body, then the issuer (in capitals on paper). */
      governingBody: Text,
      issuer: Text,
      /** "Kính gửi": the People's Committee the report goes to. */
      recipient: Text,
      /** Place in "Huế, ngày … tháng … năm …". */
      place: Text,
      /** Document number suffix: "Số: …/BC-IOC". */
      numberSuffix: z.string().min(1),
      /** Title of the signatory ("GIÁM ĐỐC"). */
      signatory: Text,
      /** "Nơi nhận" besides the recipient. */
      copies: z.array(Text).default([]),
    })
    .optional(),
});

export type PublicFacts = z.infer<typeof PublicFactsSchema>;
export type WeeklyReportLetterhead = NonNullable<PublicFacts['weeklyReport']>;

/** The public facts of a city profile; throws naming the field when the profile is invalid. */
export function publicFactsOf(city: CityProfile): PublicFacts {
  const raw = city as unknown as Record<string, unknown>;
  const parsed = PublicFactsSchema.safeParse({ publicSite: raw.publicSite, open311: raw.open311, weeklyReport: raw.weeklyReport });
  if (!parsed.success) {
    throw new Error(`City profile ${city.slug}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}; fix content/cities/${city.slug}.json`);
  }
  return parsed.data;
}
