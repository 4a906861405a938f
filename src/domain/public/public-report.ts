/**
 * A report as anyone may see it (the public page, Open311, the share card), and the one rule that
 * makes it from what is stored. Pure: photos are resolved afterwards through {@link PublicPhotos}.
 *
 * - The resident's description and the city's reply go through `redactPublicText`; the address is
 *   reduced to street and ward; coordinates are rounded to street precision.
 * - A resident who opted out of public display (or who never chose, in a city whose
 *   `publishByDefault` is false) is listed without photos and without text: category, status,
 *   street and ward, dates and rating only.
 * - A rejected report shows the city's reason but not the resident's words or photos (rejection
 *   is how improper or unusable content is answered).
 * - Never: the resident, their platform id, name, phone, or anything of staff's internal notes.
 */
import { OPEN_STATUSES, type ReportStatus } from '../reports/lifecycle';
import type { ReportPhoto } from '../reports/report';
import { publicAddress, publicCoordinate, redactPublicText } from './redact';

/** What the read model gives for one report (no resident field exists in it). */
export interface PublicReportRow {
  readonly id: string;
  readonly code: string;
  readonly status: ReportStatus;
  readonly category: string;
  readonly channel: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly dueAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly lat: number;
  readonly lng: number;
  readonly address: string | null;
  readonly ward: string | null;
  readonly agency: string | null;
  readonly description: string;
  readonly publicReply: string | null;
  readonly rating: number | null;
  /** The resident's choice; null: the city's default. */
  readonly publish: boolean | null;
  readonly photos: readonly ReportPhoto[];
  readonly resultPhotos: readonly ReportPhoto[];
}

export interface PublicReport {
  readonly code: string;
  readonly status: ReportStatus;
  /** GeoReport v2's two states: the city still owes an answer, or it does not. */
  readonly open311Status: 'open' | 'closed';
  readonly category: string;
  readonly channel: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly dueAt: Date | null;
  readonly resolvedAt: Date | null;
  /** Street and ward, or null. */
  readonly place: string | null;
  readonly wardCode: string | null;
  readonly lat: number;
  readonly lng: number;
  readonly agency: string | null;
  readonly description: string | null;
  readonly reply: string | null;
  readonly rating: number | null;
  /** Whole days from filing to resolution (resolved and closed reports). */
  readonly daysToResolve: number | null;
  readonly optedOut: boolean;
  /** Stored photos the public may see once redacted (resolved through `PublicPhotos`). */
  readonly photoCandidates: readonly ReportPhoto[];
  readonly resultPhotoCandidates: readonly ReportPhoto[];
}

export interface PublicRules {
  readonly publishByDefault: boolean;
  /** Name of a ward code (null: unknown). */
  readonly wardName: (code: string) => string | null;
}

export const open311StatusOf = (s: ReportStatus): 'open' | 'closed' => (OPEN_STATUSES.includes(s) ? 'open' : 'closed');

/** The public view of one stored report. */
export function toPublicReport(row: PublicReportRow, rules: PublicRules): PublicReport {
  const optedOut = row.publish === false || (row.publish === null && !rules.publishByDefault);
  const showResident = !optedOut && row.status !== 'rejected';
  const text = (s: string | null) => {
    const t = s ? redactPublicText(s) : '';
    return t === '' ? null : t;
  };
  const resolved = row.resolvedAt && (row.status === 'resolved' || row.status === 'closed') ? row.resolvedAt : null;
  return {
    code: row.code,
    status: row.status,
    open311Status: open311StatusOf(row.status),
    category: row.category,
    channel: row.channel,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    dueAt: row.dueAt,
    resolvedAt: resolved,
    place: publicAddress(row.address, row.ward ? rules.wardName(row.ward) : null),
    wardCode: row.ward,
    lat: publicCoordinate(row.lat),
    lng: publicCoordinate(row.lng),
    agency: row.agency,
    description: showResident ? text(row.description) : null,
    reply: optedOut ? null : text(row.publicReply),
    rating: row.rating,
    daysToResolve: resolved ? Math.max(0, Math.round((resolved.getTime() - row.createdAt.getTime()) / 86_400_000)) : null,
    optedOut,
    photoCandidates: showResident ? row.photos : [],
    resultPhotoCandidates: optedOut ? [] : row.resultPhotos,
  };
}

/** Port: the redacted copy of a stored photo, or null while it is not redacted (then it is not shown). */
export interface PublicPhotos {
  /** The redacted copies (and their thumbnails) of stored photos by original key; a photo absent is not public yet. */
  publicPhotos(keys: readonly string[]): Promise<ReadonlyMap<string, { readonly key: string; readonly thumbKey: string }>>;
}

/**
 * Until photo redaction is wired, no photo is public: the default answers no copy for any key.
 * (`src/main.ts` uses the redaction module's `publicPhotos`.)
 */
export const NO_PUBLIC_PHOTOS: PublicPhotos = { publicPhotos: async () => new Map() };
