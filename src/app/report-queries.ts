/**
 * Reading reports: a resident's own reports, a report by its code, and the public view of a report
 * (what anyone may see: never the resident's platform id, name or phone).
 */
import type { PublicPhoto } from '../domain/photos/ports';
import type { ReportsRepo } from '../domain/reports/ports';
import type { Report, ReportEvent } from '../domain/reports/report';

export interface PublicReportView {
  readonly code: string;
  readonly status: Report['status'];
  readonly category: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly location: { lat: number; lng: number };
  readonly address: string | null;
  /** Redacted copies only (see app/photo-redaction.ts); photos not yet through the face detector are left out. */
  readonly photos: Array<{ url: string; thumbnailUrl: string; width: number; height: number }>;
}

export class ReportQueries {
  constructor(private readonly d: { reports: ReportsRepo; mediaUrl: (key: string) => string; publicPhotos: (originalKeys: readonly string[]) => Promise<Map<string, PublicPhoto>> }) {}

  /** The resident's most recent reports. */
  myReports(residentId: string, limit = 5): Promise<Report[]> {
    return this.d.reports.listByResident(residentId, limit);
  }

  findByCode(code: string): Promise<Report | null> {
    return this.d.reports.findByCode(code);
  }

  history(reportId: string): Promise<ReportEvent[]> {
    return this.d.reports.history(reportId);
  }

  /**
   * Public URLs of the result photos the resident may see: those of the resolution in force
   * (resolved or closed; a reopened report's old result photos are not shown).
   */
  resultPhotoUrls(report: Pick<Report, 'status' | 'resultPhotos'>): string[] {
    if (report.status !== 'resolved' && report.status !== 'closed') return [];
    return report.resultPhotos.map((p) => this.d.mediaUrl(p.key));
  }

  /** The public status of a report, or null when there is none with that code. */
  async publicStatus(code: string): Promise<PublicReportView | null> {
    const r = await this.d.reports.findByCode(code);
    if (!r) return null;
    const copies = await this.d.publicPhotos(r.photos.map((p) => p.key));
    const photos = r.photos.flatMap((p) => {
      const c = copies.get(p.key);
      return c ? [{ url: this.d.mediaUrl(c.key), thumbnailUrl: this.d.mediaUrl(c.thumbKey), width: p.width, height: p.height }] : [];
    });
    return {
      code: r.code,
      status: r.status,
      category: r.category,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      location: { lat: r.location.lat, lng: r.location.lng },
      address: r.address,
      photos,
    };
  }
}
