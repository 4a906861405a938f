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
    const items = await Promise.all(rows.slice(0, PUBLIC_PAGE_SIZE).map((r) => this.view(toPublicReport(r, this.d.rules))));
    return { items, hasNext: rows.length > PUBLIC_PAGE_SIZE };
  }

  /** One report's public view, or null. */
  async one(code: string): Promise<PublicReportView | null> {
    const row = await this.d.reader.findByCode(code);
    return row ? this.view(toPublicReport(row, this.d.rules)) : null;
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
    return Promise.all(rows.map((r) => this.view(toPublicReport(r, this.d.rules), 1)));
  }

  /** Open311 updates between two instants, newest first. */
  async updates(start: Date, end: Date, limit = OPEN311_MAX_RESULTS): Promise<PublicUpdateView[]> {
    const rows = await this.d.reader.updates(start, end, Math.min(limit, OPEN311_MAX_RESULTS));
    return Promise.all(rows.map((u) => this.updateView(u)));
  }

  /** One update (the answer to a POSTed update). */
  async updateById(eventId: string): Promise<PublicUpdateView | null> {
    const u = await this.d.reader.update(eventId);
    return u ? this.updateView(u) : null;
  }

  private async updateView(u: PublicUpdateRow): Promise<PublicUpdateView> {
    const optedOut = u.publish === false || (u.publish === null && !this.d.rules.publishByDefault);
    const photo = optedOut ? [] : await this.resolve(u.resultPhotos, 1);
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

  private async view(r: PublicReport, maxPhotos = Infinity): Promise<PublicReportView> {
    const { photoCandidates, resultPhotoCandidates, ...rest } = r;
    const [photos, resultPhotos] = await Promise.all([this.resolve(photoCandidates, maxPhotos), this.resolve(resultPhotoCandidates, maxPhotos)]);
    return { ...rest, photos, resultPhotos };
  }

  /** The redacted copies of `photos` (those that have one), at most `max`. */
  private async resolve(photos: readonly ReportPhoto[], max: number): Promise<PublicPhotoView[]> {
    const out: PublicPhotoView[] = [];
    for (const p of photos) {
      if (out.length >= max) break;
      const key = await this.d.photos.publicPhotoKey(p.key);
      if (!key) continue;
      const thumb = (p.thumbKey && p.thumbKey !== p.key ? await this.d.photos.publicPhotoKey(p.thumbKey) : null) ?? key;
      out.push({ key, thumbKey: thumb, url: this.d.mediaUrl(key), thumbUrl: this.d.mediaUrl(thumb), width: p.width, height: p.height });
    }
    return out;
  }
}
