/**
 * Routing a report: which ward its point lies in, which agency the city's ward × category table
 * proposes, and how far to look for possible duplicates. All of it comes from the city profile
 * (`wards`, `routing` in `content/cities/<city>.json`, the wards list and the ward areas beside it).
 * The profile's `cannedReplies` are parsed with the profile (src/domain/reports/canned-replies.ts)
 * and read live by the desk; here only their category keys are checked, since the categories are
 * known here. Pure.
 *
 * Policy (choices where the issue is silent):
 * - The ward is the first ward area containing the point; none (no polygons, or a point between
 *   them): no ward, and the IOC sets the agency by hand.
 * - The proposal is the most specific row: (ward, category), then (any ward, category), then
 *   (ward, any category); none: no proposal (the IOC's queue). A proposal is only a proposal: the
 *   report stays `received` until the IOC assigns it (one click on the report page).
 */
import { z } from 'zod';
import { pointInPolygon, type LatLng } from '../geo/polygon';
import { EVERY_CATEGORY } from './canned-replies';

export interface Ward {
  /** Official code (e.g. `19789`). */
  readonly code: string;
  readonly name: string;
}

/** A ward's area: outer rings of its polygons, [lat, lng] vertices (holes are ignored). */
export interface WardArea {
  readonly code: string;
  readonly rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
}

export interface RoutingRule {
  /** A ward code, or `*` for any ward. */
  readonly ward: string;
  /** A category slug, or `*` for any category. */
  readonly category: string;
  /** An agency id of the city profile. */
  readonly agency: string;
}

export interface CityRouting {
  readonly wards: readonly Ward[];
  readonly areas: readonly WardArea[];
  /** False for illustrative ward areas (the demo profile): the console says so next to the ward. */
  readonly areasAuthoritative: boolean;
  readonly table: readonly RoutingRule[];
  readonly nearbyRadiusMeters: number;
}

export const DEFAULT_NEARBY_RADIUS_METERS = 150;

const WARD_CODE = /^[0-9A-Za-z-]{1,20}$/;

/** The profile's keys this module reads (the rest of the profile is validated elsewhere). */
export const RoutingProfileSchema = z.object({
  wards: z.object({ list: z.string().min(1), polygons: z.string().min(1).optional() }).passthrough().optional(),
  routing: z
    .object({
      nearbyRadiusMeters: z.number().positive().max(5000).default(DEFAULT_NEARBY_RADIUS_METERS),
      table: z.array(z.object({ ward: z.string().min(1), category: z.string().min(1), agency: z.string().min(1) }).passthrough()).default([]),
    })
    .passthrough()
    .optional(),
  /** Only its keys are read here (the replies themselves are the profile's, see CityProfileSchema). */
  cannedReplies: z
    .record(z.string(), z.unknown())
    .optional()
    .transform((r) => Object.fromEntries(Object.entries(r ?? {}).filter(([k]) => !k.startsWith('_')))),
  agencies: z.array(z.object({ id: z.string() }).passthrough()),
}).passthrough();

const WardsFileSchema = z.object({ wards: z.array(z.object({ code: z.string().regex(WARD_CODE), name: z.string().min(1) }).passthrough()).min(1) }).passthrough();

const Position = z.tuple([z.number(), z.number()]).rest(z.number());
const Ring = z.array(Position).min(4);
const GeoJsonSchema = z.object({
  type: z.literal('FeatureCollection'),
  authoritative: z.boolean().optional(),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ code: z.string() }).passthrough(),
      geometry: z.discriminatedUnion('type', [
        z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
        z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
      ]),
    }),
  ),
}).passthrough();

/** The files a profile's `wards` block names (read by the content loader). */
export function routingFiles(profile: unknown): { list: string | null; polygons: string | null } {
  const p = RoutingProfileSchema.safeParse(profile);
  return { list: p.success ? (p.data.wards?.list ?? null) : null, polygons: p.success ? (p.data.wards?.polygons ?? null) : null };
}

/**
 * Validates the routing part of a city profile with its wards list and ward areas (GeoJSON, as
 * parsed JSON; null when the city has none). `where` names the source in errors; `categories` are
 * the known category slugs.
 */
export function parseCityRouting(where: string, profile: unknown, wardsFile: unknown | null, geojson: unknown | null, categories: readonly string[]): CityRouting {
  const fail = (what: string): never => {
    throw new Error(`City routing ${where} is invalid: ${what}`);
  };
  const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const p = RoutingProfileSchema.safeParse(profile);
  if (!p.success) return fail(issues(p.error));
  const agencies = new Set(p.data.agencies.map((a) => a.id));

  let wards: Ward[] = [];
  if (wardsFile !== null) {
    const w = WardsFileSchema.safeParse(wardsFile);
    if (!w.success) return fail(`wards list: ${issues(w.error)}`);
    wards = w.data.wards.map((x) => ({ code: x.code, name: x.name.normalize('NFC') }));
  }
  const wardCodes = new Set(wards.map((w) => w.code));

  let areas: WardArea[] = [];
  let areasAuthoritative = false;
  if (geojson !== null) {
    const g = GeoJsonSchema.safeParse(geojson);
    if (!g.success) return fail(`ward polygons: ${issues(g.error)}`);
    areasAuthoritative = g.data.authoritative === true;
    areas = g.data.features.map((f) => {
      if (!wardCodes.has(f.properties.code)) fail(`ward polygons: feature with code ${f.properties.code} is not in the wards list`);
      const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      // GeoJSON positions are [lng, lat]; our polygons are [lat, lng].
      return { code: f.properties.code, rings: polygons.map((poly) => poly[0]!.map((pos) => [pos[1], pos[0]] as const)) };
    });
  }

  const table = (p.data.routing?.table ?? []).map((r, i) => {
    if (r.ward !== '*' && !wardCodes.has(r.ward)) fail(`routing.table[${i}]: ward ${r.ward} is not in the wards list`);
    if (r.category !== '*' && !categories.includes(r.category)) fail(`routing.table[${i}]: unknown category ${r.category}`);
    if (!agencies.has(r.agency)) fail(`routing.table[${i}]: agency ${r.agency} is not in the profile's agencies`);
    return { ward: r.ward, category: r.category, agency: r.agency };
  });
  for (const k of Object.keys(p.data.cannedReplies)) if (k !== EVERY_CATEGORY && !categories.includes(k)) fail(`cannedReplies: unknown category ${k}`);

  return {
    wards,
    areas,
    areasAuthoritative,
    table,
    nearbyRadiusMeters: p.data.routing?.nearbyRadiusMeters ?? DEFAULT_NEARBY_RADIUS_METERS,
  };
}

/** The ward whose area contains the point, or null. */
export function wardAt(point: LatLng, areas: readonly WardArea[]): string | null {
  for (const a of areas) if (a.rings.some((ring) => pointInPolygon(point, ring))) return a.code;
  return null;
}

/** The agency the table proposes for a ward and a category, or null (the IOC decides). */
export function proposeAgency(ward: string | null, category: string, table: readonly RoutingRule[]): string | null {
  const find = (w: string, c: string) => table.find((r) => r.ward === w && r.category === c)?.agency ?? null;
  return (ward !== null ? find(ward, category) : null) ?? find('*', category) ?? (ward !== null ? find(ward, '*') : null);
}

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const R = 6_371_000;
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A box around a point `meters` wide on each side (for an indexed pre-filter before {@link distanceMeters}). */
export function boxAround(p: LatLng, meters: number): { minLat: number; maxLat: number; minLng: number; maxLng: number } {
  const dLat = meters / 111_320;
  const dLng = meters / (111_320 * Math.max(0.01, Math.cos((p.lat * Math.PI) / 180)));
  return { minLat: p.lat - dLat, maxLat: p.lat + dLat, minLng: p.lng - dLng, maxLng: p.lng + dLng };
}
