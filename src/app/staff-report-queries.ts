/**
 * What staff read about reports: the filtered, keyset-paginated list (console, API, CSV export),
 * map markers, and one report with its history, internal notes, photos and possible duplicates.
 * Every read is limited to what the actor may see (`reportVisibility`): an agency user sees the
 * reports routed to their agencies or in their wards, the communications role resolved and closed
 * ones, everyone else all. A report outside the actor's view does not exist for them (404).
 *
 * Photos: every role gets the public (redacted) version through the redaction module's public copies; roles that
 * handle the report (admin, operator, agency, viewer) also get the original. The communications
 * role, whose material goes out to the public, gets only the public versions.
 */
import type { CityProfile } from '../domain/city-profile';
import { cannedRepliesFor, type CannedRepliesByCategory, type CannedReply } from '../domain/reports/canned-replies';
import type { CityRouting } from '../domain/reports/city-routing';
import {
  DeskError,
  MAX_PAGE_SIZE,
  isReportSort,
  slaState,
  timeline,
  type MapPoint,
  type NearbyReport,
  type ReportCursor,
  type ReportFilter,
  type SlaState,
  type StaffReport,
  type StaffReportsRepo,
  type TimelineEntry,
} from '../domain/reports/report-desk';
import type { Clock } from '../domain/reports/ports';
import type { ReportPhoto } from '../domain/reports/report';
import type { StaffActor } from '../domain/staff/actor';
import { maySeeReport, reportVisibility } from '../domain/staff/permissions';

export interface PhotoView {
  /** The stored photo's id (its content key): what result photos and redaction refer to. */
  readonly id: string;
  /** The public (redacted) version. */
  readonly url: string;
  readonly thumbnailUrl: string;
  readonly width: number;
  readonly height: number;
  /** The original, for roles that handle the report; absent otherwise. */
  readonly originalUrl?: string;
}

export interface ReportWithHistory {
  readonly report: StaffReport;
  readonly timeline: readonly TimelineEntry[];
  readonly photos: readonly PhotoView[];
  readonly resultPhotos: readonly PhotoView[];
  readonly sla: SlaState;
}

export interface ReportDetail extends ReportWithHistory {
  readonly nearby: readonly NearbyReport[];
  /** Display names of the staff and API keys in the history (`staff:12` → name). */
  readonly actorNames: ReadonlyMap<string, string>;
  /** The canned replies of the report's category and of every category, as they are now. */
  readonly cannedReplies: { readonly resolved: readonly CannedReply[]; readonly rejected: readonly CannedReply[] };
}

export interface StaffReportQueriesDeps {
  readonly reports: StaffReportsRepo;
  readonly city: Pick<CityProfile, 'timezone'>;
  readonly routing: Pick<CityRouting, 'nearbyRadiusMeters'>;
  /** The canned replies of the live content (the console edits them at run time), read at each use. */
  readonly cannedReplies: () => CannedRepliesByCategory;
  readonly clock: Clock;
  readonly mediaUrl: (key: string) => string;
  /** Public (redacted) copies by original key; a photo absent from the map is not public yet. */
  readonly publicPhotos: (keys: readonly string[]) => Promise<ReadonlyMap<string, { readonly key: string; readonly thumbKey: string }>>;
}

/** How many markers the map draws at most (the newest of the filter). */
export const MAP_POINTS_LIMIT = 5000;
/** Rows per query while exporting CSV. */
export const EXPORT_BATCH = 1000;

export class StaffReportQueries {
  constructor(private readonly d: StaffReportQueriesDeps) {}

  /** One page of the filter; `nextCursor` continues it (null on the last page). */
  async list(actor: StaffActor, filter: ReportFilter, cursor: string | null, limit: number): Promise<{ items: StaffReport[]; nextCursor: string | null }> {
    const page = await this.d.reports.list({
      filter,
      visibility: reportVisibility(actor),
      cursor: cursor ? decodeCursor(cursor, filter) : null,
      limit: Math.max(1, Math.min(MAX_PAGE_SIZE, limit)),
      now: this.d.clock.now(),
      timezone: this.d.city.timezone,
    });
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  /** Histories, notes and photo views of a page of reports (three queries for the whole page). */
  async withHistory(actor: StaffActor, reports: readonly StaffReport[]): Promise<ReportWithHistory[]> {
    const ids = reports.map((r) => r.id);
    const [events, notes] = await Promise.all([this.d.reports.histories(ids), this.d.reports.notes(ids)]);
    const now = this.d.clock.now();
    return Promise.all(
      reports.map(async (report) => ({
        report,
        timeline: timeline(events.get(report.id) ?? [], notes.get(report.id) ?? []),
        photos: await this.photoViews(actor, report.photos),
        resultPhotos: await this.photoViews(actor, report.resultPhotos),
        sla: slaState(report, now),
      })),
    );
  }

  /** A report the actor may see, with everything its page shows; throws DeskError `report.not-found`. */
  async get(actor: StaffActor, code: string): Promise<ReportDetail> {
    const report = await this.visible(actor, code);
    const [base] = await this.withHistory(actor, [report]);
    const nearby = await this.d.reports.nearby({
      lat: report.location.lat,
      lng: report.location.lng,
      category: report.category,
      meters: this.d.routing.nearbyRadiusMeters,
      exceptId: report.id,
      limit: 10,
      visibility: reportVisibility(actor),
    });
    const actorNames = await this.d.reports.actorNames(base!.timeline.map((e) => e.actor));
    const canned = this.d.cannedReplies();
    const cannedReplies = { resolved: cannedRepliesFor(canned, report.category, 'resolved'), rejected: cannedRepliesFor(canned, report.category, 'rejected') };
    return { ...base!, nearby, actorNames, cannedReplies };
  }

  /** The report if the actor may see it; throws DeskError `report.not-found` otherwise. */
  async visible(actor: StaffActor, code: string): Promise<StaffReport> {
    const report = /^[A-Za-z0-9-]{1,20}$/.test(code) ? await this.d.reports.findByCode(code) : null;
    if (!report || !maySeeReport(actor, report)) throw new DeskError('report.not-found', `there is no report ${code.slice(0, 20)} you may see`);
    return report;
  }

  /** Every report of the filter, in its order, a batch at a time (the CSV export). */
  async *exportBatches(actor: StaffActor, filter: ReportFilter): AsyncGenerator<StaffReport[]> {
    let cursor: string | null = null;
    do {
      const page: { items: StaffReport[]; nextCursor: string | null } = await this.list(actor, filter, cursor, EXPORT_BATCH);
      if (page.items.length) yield page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** Map markers of the filter (the newest {@link MAP_POINTS_LIMIT}); `truncated` when there are more. */
  async points(actor: StaffActor, filter: ReportFilter): Promise<{ points: MapPoint[]; truncated: boolean }> {
    const points = await this.d.reports.points({ filter, visibility: reportVisibility(actor), limit: MAP_POINTS_LIMIT + 1, now: this.d.clock.now(), timezone: this.d.city.timezone });
    return { points: points.slice(0, MAP_POINTS_LIMIT), truncated: points.length > MAP_POINTS_LIMIT };
  }

  /** Whether the actor sees original photos (everyone but the communications role). */
  seesOriginals(actor: StaffActor): boolean {
    return actor.role !== 'communications';
  }

  private async photoViews(actor: StaffActor, photos: readonly ReportPhoto[]): Promise<PhotoView[]> {
    const originals = this.seesOriginals(actor);
    const public_ = await this.d.publicPhotos(photos.map((p) => p.key));
    // Staff who see originals see them until the public copy exists; the communications role sees
    // public copies only, so a photo not redacted yet is not listed for it.
    return photos.flatMap((p) => {
      const pub = public_.get(p.key) ?? (originals ? { key: p.key, thumbKey: p.thumbKey } : null);
      if (pub === null) return [];
      return [{
        id: p.key,
        url: this.d.mediaUrl(pub.key),
        thumbnailUrl: this.d.mediaUrl(pub.thumbKey),
        width: p.width,
        height: p.height,
        ...(originals ? { originalUrl: this.d.mediaUrl(p.key) } : {}),
      }];
    });
  }
}

/** An opaque cursor: the sort it belongs to, the last row's sort key and id. */
export function encodeCursor(c: ReportCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id]), 'utf8').toString('base64url');
}

/** Reads a cursor; throws DeskError `report.bad-cursor` (422) when it is not one of ours or belongs to another sort. */
export function decodeCursor(token: string, filter: Pick<ReportFilter, 'sort'>): ReportCursor {
  const bad = (): never => {
    throw new DeskError('report.bad-cursor', 'the cursor is not valid for this list; start again from the first page', [{ field: 'cursor', code: 'report.bad-cursor' }]);
  };
  let parsed: unknown;
  try {
    parsed = token.length <= 200 && /^[A-Za-z0-9_-]+$/.test(token) ? JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) : bad();
  } catch {
    return bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return bad();
  const [sort, key, id] = parsed as unknown[];
  if (!isReportSort(sort) || sort !== filter.sort) return bad();
  if (typeof key !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(key) || Number.isNaN(Date.parse(key))) return bad();
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,17}$/.test(id)) return bad();
  return { sort, key: key as string, id: id as string };
}
