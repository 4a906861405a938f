/**
 * CSV export of a report filter (console and `GET /api/staff/v1/reports.csv`): UTF-8 with a byte
 * order mark so Excel opens Vietnamese correctly, CRLF lines, RFC 4180 quoting, and cells that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) prefixed with `'`.
 * Rows are streamed a batch at a time in the filter's order, so a large export holds no memory.
 *
 * Two header styles: `labels` (the console: the user's language, status and category names, times
 * in the city's time zone) and `machine` (the API: the JSON field names, slugs, ISO 8601 times).
 */
import type { Response } from 'express';
import type { StaffReport } from '../../domain/reports/report-desk';
import { slaState } from '../../domain/reports/report-desk';

export const BOM = '\uFEFF';

/** One cell: quoted when needed, formula-safe. */
export function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: ReadonlyArray<string | number | boolean | null>): string => `${cells.map(csvCell).join(',')}\r\n`;

export interface CsvStyle {
  readonly header: readonly string[];
  readonly row: (r: StaffReport) => ReadonlyArray<string | number | boolean | null>;
}

export const CSV_FIELDS = ['code', 'status', 'category', 'description', 'address', 'lat', 'lng', 'ward', 'agency', 'proposedAgency', 'createdAt', 'dueAt', 'updatedAt', 'resolvedAt', 'overdue', 'lateHours', 'reopened', 'reopenCount', 'rating'] as const;

/** The API's style: JSON names, slugs and codes, ISO times. */
export function machineStyle(now: () => Date): CsvStyle {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    header: CSV_FIELDS,
    row: (r) => {
      const sla = slaState(r, now());
      return [r.code, r.status, r.category, r.description, r.address, r.location.lat, r.location.lng, r.ward, r.agency, r.proposedAgency, iso(r.createdAt), iso(r.dueAt), iso(r.updatedAt), iso(r.resolvedAt), sla.overdue, sla.lateMs === null ? null : Math.round(sla.lateMs / 360_000) / 10, r.reopened, r.reopenCount, r.rating];
    },
  };
}

/** Streams the export as an attachment; `batches` yields the filter's reports in order. */
export async function sendCsv(res: Response, filename: string, style: CsvStyle, batches: AsyncIterable<readonly StaffReport[]>, onError: (err: unknown) => void): Promise<void> {
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${filename}"`);
  res.write(BOM + csvLine(style.header));
  try {
    for await (const batch of batches) {
      const ok = res.write(batch.map((r) => csvLine(style.row(r))).join(''));
      if (!ok) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
      if (res.destroyed) return;
    }
  } catch (err) {
    // Headers are gone: all that is left is to cut the download short so it is not taken as complete.
    onError(err);
    res.destroy();
    return;
  }
  res.end();
}
