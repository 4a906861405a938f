import type { MediaRepo } from '../domain/reports/ports';
import type { Queryable } from './db';

/** Processed photos: content-addressed files under DATA_DIR/media, described here. */
export class PgMediaRepo implements MediaRepo {
  constructor(private readonly db: Queryable) {}

  async save(p: { key: string; thumbKey: string; contentType: string; bytes: number; width: number; height: number }): Promise<void> {
    await this.db.query(
      `INSERT INTO media (key, thumb_key, content_type, bytes, width, height) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO UPDATE SET thumb_key = COALESCE(media.thumb_key, EXCLUDED.thumb_key)`,
      [p.key, p.thumbKey, p.contentType, p.bytes, p.width, p.height],
    );
  }
}
