/**
 * The city profile: every city-specific fact (name, hotline, map centre, service area, one-stop
 * shop...) in one data file, `dialogs/cities/<slug>.json`. Another city is one file away.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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
}).passthrough();

export type CityProfile = z.infer<typeof CityProfileSchema>;

export const CITIES_DIR = path.resolve(__dirname, '../../dialogs/cities');

export function loadCityProfile(nameOrPath: string): CityProfile {
  const file = nameOrPath.endsWith('.json') ? path.resolve(nameOrPath) : path.join(CITIES_DIR, `${nameOrPath}.json`);
  if (!fs.existsSync(file)) throw new Error(`City profile ${file} not found; set CITY_PROFILE to a file in dialogs/cities/`);
  const parsed = CityProfileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`City profile ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
