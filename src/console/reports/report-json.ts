/**
 * The JSON shape of a report in `/api/staff/v1` (names fixed by issue 11):
 *
 * ```json
 * {"code","status","category","description","location":{"lat","lng"},"address","ward","agency",
 *  "dueAt","createdAt","updatedAt","reopened","reopenCount","rating","ratingComment",
 *  "photos":[{"id","url","thumbnailUrl","width","height","originalUrl"?}],"resultPhotos":[…],
 *  "history":[{"at","from","to","actor":{"kind","id"},"note","internalNote"}]}
 * ```
 *
 * Times are ISO 8601 (UTC). `ward` is the ward's official code, `agency` an agency id of the city
 * profile (null until assigned). `history` merges status changes with internal notes and category
 * edits (both staff-only: `from` = `to` = the status at the time, the text in `internalNote`,
 * `note` null). `originalUrl` is absent for the communications role.
 */
import type { PhotoView, ReportWithHistory } from '../../app/staff-report-queries';
import type { ReportStatus } from '../../domain/reports/lifecycle';

export interface ReportJson {
  readonly code: string;
  readonly status: ReportStatus;
  readonly category: string;
  readonly description: string;
  readonly location: { readonly lat: number; readonly lng: number };
  readonly address: string | null;
  readonly ward: string | null;
  readonly agency: string | null;
  readonly dueAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly reopened: boolean;
  readonly reopenCount: number;
  readonly rating: number | null;
  readonly ratingComment: string | null;
  readonly photos: readonly PhotoView[];
  readonly resultPhotos: readonly PhotoView[];
  readonly history: ReadonlyArray<{
    readonly at: string;
    readonly from: ReportStatus | null;
    readonly to: ReportStatus;
    readonly actor: { readonly kind: string; readonly id: string };
    readonly note: string | null;
    readonly internalNote: string | null;
  }>;
}

/** Exactly the photo keys of the API (whatever else a view carries). */
const photoJson = (p: PhotoView): PhotoView => ({ id: p.id, url: p.url, thumbnailUrl: p.thumbnailUrl, width: p.width, height: p.height, ...(p.originalUrl !== undefined ? { originalUrl: p.originalUrl } : {}) });

export function reportJson(x: ReportWithHistory): ReportJson {
  const r = x.report;
  return {
    code: r.code,
    status: r.status,
    category: r.category,
    description: r.description,
    location: { lat: r.location.lat, lng: r.location.lng },
    address: r.address,
    ward: r.ward,
    agency: r.agency,
    dueAt: r.dueAt ? r.dueAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    reopened: r.reopened,
    reopenCount: r.reopenCount,
    rating: r.rating,
    ratingComment: r.ratingComment,
    photos: x.photos.map(photoJson),
    resultPhotos: x.resultPhotos.map(photoJson),
    history: x.timeline.map((e) => ({
      at: e.at.toISOString(),
      from: e.from,
      to: e.to,
      actor: { kind: e.actor.kind, id: e.actor.id },
      note: e.note,
      internalNote: e.internalNote,
    })),
  };
}
