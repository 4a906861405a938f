import type { NewReport, Report, ReportPhoto, ReportsRepo, ReportStatus } from '../domain/reports/ports';
import { newReportCode } from '../domain/reports/report-code';
import type { Channel, Locale } from '../domain/shared/ids';
import type { Db } from './db';

interface Row {
  id: string;
  code: string;
  resident_id: string;
  channel: Channel;
  category: string;
  description: string;
  lat: number;
  lng: number;
  address: string | null;
  status: ReportStatus;
  locale: Locale;
  created_at: Date;
  updated_at: Date;
  photos: ReportPhoto[] | null;
}

const SELECT = `SELECT r.*, COALESCE((SELECT json_agg(json_build_object('key', p.media_key, 'thumbKey', p.thumb_key,
  'width', p.width, 'height', p.height) ORDER BY p.position) FROM report_photos p WHERE p.report_id = r.id), '[]') AS photos
  FROM reports r`;

const toReport = (r: Row): Report => ({
  id: String(r.id),
  code: r.code,
  residentId: String(r.resident_id),
  channel: r.channel,
  category: r.category,
  description: r.description,
  location: { lat: r.lat, lng: r.lng },
  address: r.address,
  status: r.status,
  locale: r.locale,
  photos: r.photos ?? [],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class PgReportsRepo implements ReportsRepo {
  constructor(private readonly db: Db, private readonly codeLength = 7) {}

  async submit(input: NewReport): Promise<Report> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = newReportCode(this.codeLength);
      try {
        const id = await this.db.tx(async (q) => {
          const r = await q.query<{ id: string }>(
            `INSERT INTO reports (code, resident_id, channel, category, description, lat, lng, address, locale)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
            [code, input.residentId, input.channel, input.category, input.description, input.place.lat, input.place.lng,
              input.place.address, input.locale],
          );
          const reportId = r.rows[0]!.id;
          for (const [i, p] of input.photos.entries()) {
            await q.query(
              'INSERT INTO report_photos (report_id, position, media_key, thumb_key, width, height) VALUES ($1, $2, $3, $4, $5, $6)',
              [reportId, i, p.key, p.thumbKey, p.width, p.height],
            );
          }
          await q.query("INSERT INTO report_status_history (report_id, status) VALUES ($1, 'received')", [reportId]);
          await q.query('DELETE FROM report_drafts WHERE resident_id = $1', [input.residentId]);
          return reportId;
        });
        const stored = await this.db.query<Row>(`${SELECT} WHERE r.id = $1`, [id]);
        return toReport(stored.rows[0]!);
      } catch (err) {
        // 23505 = unique violation: the random code was taken; draw another.
        if ((err as { code?: string }).code === '23505' && String((err as Error).message).includes('code')) continue;
        throw err;
      }
    }
    throw new Error('could not allocate a unique report code after 5 attempts');
  }

  async findByCode(code: string): Promise<Report | null> {
    const r = await this.db.query<Row>(`${SELECT} WHERE r.code = $1`, [code.toUpperCase()]);
    return r.rows[0] ? toReport(r.rows[0]) : null;
  }

  async listByResident(residentId: string, limit: number): Promise<Report[]> {
    const r = await this.db.query<Row>(`${SELECT} WHERE r.resident_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`, [residentId, limit]);
    return r.rows.map(toReport);
  }
}
