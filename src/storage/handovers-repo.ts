import type { HandoversRepo } from '../domain/reports/ports';
import type { Channel } from '../domain/shared/ids';
import type { Queryable } from './db';

/** Conversations a resident asked to hand to a person. */
export class PgHandoversRepo implements HandoversRepo {
  constructor(private readonly db: Queryable) {}

  async open(residentId: string, channel: Channel, reason: string): Promise<string> {
    const r = await this.db.query<{ id: string }>('INSERT INTO staff_handovers (resident_id, channel, reason) VALUES ($1, $2, $3) RETURNING id', [residentId, channel, reason]);
    return String(r.rows[0]!.id);
  }
}
