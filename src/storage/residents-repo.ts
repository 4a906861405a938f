import type { Resident, ResidentsRepo } from '../domain/reports/ports';
import type { Channel, Locale } from '../domain/shared/ids';
import type { Queryable } from './db';

interface Row {
  id: string;
  channel: Channel;
  platform_user_id: string;
  locale: Locale;
  last_interaction_at: Date | null;
  has_deferred?: boolean;
}

const toResident = (r: Row): Resident => ({
  id: String(r.id),
  channel: r.channel,
  platformUserId: r.platform_user_id,
  locale: r.locale === 'en' ? 'en' : 'vi',
  lastInteractionAt: r.last_interaction_at,
  ...(r.has_deferred === undefined ? {} : { hasDeferredNotifications: r.has_deferred }),
});

/** How stale a stored interaction time may be before `touch` rewrites it. */
export const TOUCH_GRANULARITY_MS = 60_000;

const HAS_DEFERRED = `EXISTS (SELECT 1 FROM deferred_notifications d
  WHERE d.resident_id = residents.id AND d.delivered_at IS NULL) AS has_deferred`;

export class PgResidentsRepo implements ResidentsRepo {
  constructor(private readonly db: Queryable) {}

  /**
   * Finds or creates the resident and records the interaction time. The time is written only when
   * the stored one is more than {@link TOUCH_GRANULARITY_MS} older, so a resident's quick replies do
   * not each cost a write and a commit; the stored time is then at most that much early, which only
   * makes messaging windows close sooner, never later. Also reports whether status notifications
   * are parked for the resident, in the same round trip.
   */
  async touch(channel: Channel, platformUserId: string, at: Date): Promise<Resident> {
    const found = await this.db.query<Row>(
      `SELECT *, ${HAS_DEFERRED} FROM residents WHERE channel = $1 AND platform_user_id = $2`,
      [channel, platformUserId],
    );
    const row = found.rows[0];
    if (row?.last_interaction_at && row.last_interaction_at.getTime() >= at.getTime() - TOUCH_GRANULARITY_MS) return toResident(row);
    const r = await this.db.query<Row>(
      `INSERT INTO residents (channel, platform_user_id, last_interaction_at) VALUES ($1, $2, $3)
       ON CONFLICT (channel, platform_user_id) DO UPDATE
         SET last_interaction_at = GREATEST(residents.last_interaction_at, EXCLUDED.last_interaction_at)
       RETURNING *, ${HAS_DEFERRED}`,
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
