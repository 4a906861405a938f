import type { Resident, ResidentsRepo } from '../domain/reports/ports';
import type { Channel, Locale } from '../domain/shared/ids';
import type { Queryable } from './db';

interface Row {
  id: string;
  channel: Channel;
  platform_user_id: string;
  locale: Locale;
  last_interaction_at: Date | null;
}

const toResident = (r: Row): Resident => ({
  id: String(r.id),
  channel: r.channel,
  platformUserId: r.platform_user_id,
  locale: r.locale === 'en' ? 'en' : 'vi',
  lastInteractionAt: r.last_interaction_at,
});

export class PgResidentsRepo implements ResidentsRepo {
  constructor(private readonly db: Queryable) {}

  async touch(channel: Channel, platformUserId: string, at: Date): Promise<Resident> {
    const r = await this.db.query<Row>(
      `INSERT INTO residents (channel, platform_user_id, last_interaction_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, platform_user_id) DO UPDATE
         SET last_interaction_at = GREATEST(residents.last_interaction_at, EXCLUDED.last_interaction_at)
       RETURNING *`,
      [channel, platformUserId, at],
    );
    return toResident(r.rows[0]!);
  }

  async find(channel: Channel, platformUserId: string): Promise<Resident | null> {
    const r = await this.db.query<Row>('SELECT * FROM residents WHERE channel = $1 AND platform_user_id = $2', [channel, platformUserId]);
    return r.rows[0] ? toResident(r.rows[0]) : null;
  }

  async findById(id: string): Promise<Resident | null> {
    const r = await this.db.query<Row>('SELECT * FROM residents WHERE id = $1', [id]);
    return r.rows[0] ? toResident(r.rows[0]) : null;
  }

  async setLocale(id: string, locale: Locale): Promise<void> {
    await this.db.query('UPDATE residents SET locale = $2 WHERE id = $1', [id, locale]);
  }
}
