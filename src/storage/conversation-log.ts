/**
 * A conversation's transcript as stored: the webhook events the resident sent (`inbound_events`)
 * and the replies the bot's turns recorded (`outbound_messages`), newest `limit` of each since a
 * time, returned oldest first.
 */
import type { ConversationLog, LoggedInbound, LoggedOutbound } from '../domain/conversations/ports';
import type { Channel } from '../domain/shared/ids';
import type { Queryable } from './db';

export class PgConversationLog implements ConversationLog {
  constructor(private readonly db: Queryable) {}

  async inbound(conversationKey: string, since: Date, limit: number): Promise<LoggedInbound[]> {
    const r = await this.db.query<{ id: string; channel: Channel; received_at: Date; body: unknown; purged_at: Date | null }>(
      `SELECT id, channel, received_at, body, purged_at FROM inbound_events
       WHERE conversation_key = $1 AND received_at >= $2 ORDER BY id DESC LIMIT $3`,
      [conversationKey, since, limit],
    );
    return r.rows.reverse().map((x) => ({ id: String(x.id), channel: x.channel, at: x.received_at, body: x.purged_at ? null : x.body }));
  }

  async outbound(conversationKey: string, since: Date, limit: number): Promise<LoggedOutbound[]> {
    const r = await this.db.query<{ id: string; created_at: Date; sent_at: Date | null; op: unknown; status: LoggedOutbound['status'] }>(
      `SELECT id, created_at, sent_at, op, status FROM outbound_messages
       WHERE conversation_key = $1 AND created_at >= $2 ORDER BY id DESC LIMIT $3`,
      [conversationKey, since, limit],
    );
    return r.rows.reverse().map((x) => ({ id: String(x.id), at: x.sent_at ?? x.created_at, op: x.op, status: x.status }));
  }

  async lastInbound(conversationKey: string): Promise<Date | null> {
    const r = await this.db.query<{ received_at: Date }>('SELECT received_at FROM inbound_events WHERE conversation_key = $1 ORDER BY id DESC LIMIT 1', [conversationKey]);
    return r.rows[0]?.received_at ?? null;
  }
}
