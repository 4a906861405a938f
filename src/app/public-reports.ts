/**
 * Reading reports as anyone may see them: the public page's list, map and report page, Open311's
 * requests and updates, and the photos of the share card. Every report goes through
 * `toPublicReport` (redaction, street and ward, opt-out) and every photo through the
 * {@link PublicPhotos} port: a photo without a redacted copy is not shown.
 */
import { OPEN311_MAX_RESULTS, updateStatusOf, type UpdateStatus } from '../domain/public/open311';
import type { MapPoint, Open311Query, PublicFilter, PublicReportsReader, PublicUpdateRow } from '../domain/public/ports';
import { toPublicReport, type PublicPhotos, type PublicReport, type PublicRules } from '../domain/public/public-report';
import { publicCoordinate, redactPublicText } from '../domain/public/redact';
import type { ReportPhoto } from '../domain/reports/report';
import type { Clock } from '../domain/reports/ports';

export interface PublicPhotoView {
  /** Content key of the redacted photo, and of its thumbnail (the photo itself when none). */
  readonly key: string;
  readonly thumbKey: string;
  readonly url: string;
  readonly thumbUrl: string;
  readonly width: number;
  readonly height: number;
}

export type PublicReportView = Omit<PublicReport, 'photoCandidates' | 'resultPhotoCandidates'> & {
  readonly photos: readonly PublicPhotoView[];
  readonly resultPhotos: readonly PublicPhotoView[];
};

export interface PublicUpdateView {
  readonly updateId: string;
  readonly code: string;
  readonly status: UpdateStatus;
  /** Our own status after the change. */
  readonly reportStatus: PublicUpdateRow['to'];
  readonly at: Date;
  readonly description: string;
  readonly mediaUrl: string | null;
}

type Copies = ReadonlyMap<string, { readonly key: string; readonly thumbKey: string }>;

export interface PublicReportsDeps {
  readonly reader: PublicReportsReader;
  readonly photos: PublicPhotos;
  readonly mediaUrl: (key: string) => string;
  readonly rules: PublicRules;
  readonly clock: Clock;
}

/** The public page lists this many reports per page. */
export const PUBLIC_PAGE_SIZE = 20;
/** The map shows reports of the last 90 days, at most this many. */
export const MAP_MAX_POINTS = 500;
const MAP_DAYS = 90;

export class PublicReports {
  constructor(private readonly d: PublicReportsDeps) {}

  /** One page of the public list, newest first. */
  async page(filter: PublicFilter, page: number): Promise<{ items: PublicReportView[]; hasNext: boolean }> {
    const p = Math.max(1, Math.floor(page));
    const rows = await this.d.reader.list(filter, PUBLIC_PAGE_SIZE + 1, (p - 1) * PUBLIC_PAGE_SIZE);
    const reports = rows.slice(0, PUBLIC_PAGE_SIZE).map((r) => toPublicReport(r, this.d.rules));
    const copies = await this.copiesOf(reports.flatMap((r) => [...r.photoCandidates, ...r.resultPhotoCandidates]));
    return { items: reports.map((r) => this.view(r, copies)), hasNext: rows.length > PUBLIC_PAGE_SIZE };
  }

  /** One report's public view, or null. */
  async one(code: string): Promise<PublicReportView | null> {
    const row = await this.d.reader.findByCode(code);
    if (!row) return null;
    const r = toPublicReport(row, this.d.rules);
    return this.view(r, await this.copiesOf([...r.photoCandidates, ...r.resultPhotoCandidates]));
  }

  /** Points for the map (street precision). */
  async points(filter: PublicFilter): Promise<MapPoint[]> {
    const since = new Date(this.d.clock.now().getTime() - MAP_DAYS * 86_400_000);
    const rows = await this.d.reader.points(filter, since, MAP_MAX_POINTS);
    return rows.map((p) => ({ ...p, lat: publicCoordinate(p.lat), lng: publicCoordinate(p.lng) }));
  }

  /** Open311 requests: the first photo only (`media_url` is one URL). */
  async open311(query: Open311Query): Promise<PublicReportView[]> {
    const rows = await this.d.reader.open311({ ...query, limit: Math.min(query.limit, OPEN311_MAX_RESULTS) });
    const reports = rows.map((r) => toPublicReport(r, this.d.rules));
    // One lookup for the whole answer (up to 1,000 requests), not one per photo.
    const copies = await this.copiesOf(reports.flatMap((r) => [...r.photoCandidates, ...r.resultPhotoCandidates]));
    return reports.map((r) => this.view(r, copies, 1));
  }

  /** Open311 updates between two instants, newest first. */
  async updates(start: Date, end: Date, limit = OPEN311_MAX_RESULTS): Promise<PublicUpdateView[]> {
    const rows = await this.d.reader.updates(start, end, Math.min(limit, OPEN311_MAX_RESULTS));
    const copies = await this.copiesOf(rows.flatMap((u) => u.resultPhotos));
    return rows.map((u) => this.updateView(u, copies));
  }

  /** One update (the answer to a POSTed update). */
  async updateById(eventId: string): Promise<PublicUpdateView | null> {
    const u = await this.d.reader.update(eventId);
    return u ? this.updateView(u, await this.copiesOf(u.resultPhotos)) : null;
  }

  private updateView(u: PublicUpdateRow, copies: Copies): PublicUpdateView {
    const optedOut = u.publish === false || (u.publish === null && !this.d.rules.publishByDefault);
    const photo = optedOut ? [] : this.resolve(u.resultPhotos, copies, 1);
    return {
      updateId: u.eventId,
      code: u.code,
      status: updateStatusOf(u.from, u.to),
      reportStatus: u.to,
      at: u.at,
      description: optedOut || !u.publicNote ? '' : redactPublicText(u.publicNote),
      mediaUrl: photo[0]?.url ?? null,
    };
  }

  private view(r: PublicReport, copies: Copies, maxPhotos = Infinity): PublicReportView {
    const { photoCandidates, resultPhotoCandidates, ...rest } = r;
    return { ...rest, photos: this.resolve(photoCandidates, copies, maxPhotos), resultPhotos: this.resolve(resultPhotoCandidates, copies, maxPhotos) };
  }

  /** The redacted copies of the candidate photos, in one lookup. */
  private async copiesOf(photos: readonly ReportPhoto[]): Promise<Copies> {
    return photos.length === 0 ? new Map() : this.d.photos.publicPhotos([...new Set(photos.map((p) => p.key))]);
  }

  /** The redacted copies of `photos` (those that have one), at most `max`. */
  private resolve(photos: readonly ReportPhoto[], copies: Copies, max: number): PublicPhotoView[] {
    const out: PublicPhotoView[] = [];
    for (const p of photos) {
      if (out.length >= max) break;
      const c = copies.get(p.key);
      if (!c) continue;
      out.push({ key: c.key, thumbKey: c.thumbKey, url: this.d.mediaUrl(c.key), thumbUrl: this.d.mediaUrl(c.thumbKey), width: p.width, height: p.height });
    }
    return out;
  }
}
