/**
 * Replies recorded by a turn in its own transaction and sent after the commit, in order, once
 * (see migrations/006-turn-outbox.sql).
 */
import type { Queryable } from './db';

/** One thing a turn says: messages in the resident's thread, or a platform request (Zalo's contact form). */
export type OutboundOp =
  | { readonly kind: 'messages'; readonly locale: 'vi' | 'en'; readonly messages: readonly unknown[] }
  | { readonly kind: 'contact-request'; readonly title: string; readonly subtitle: string };

export interface OutboxRecord {
  readonly id: string;
  readonly eventId: string;
  readonly channel: string;
  readonly userId: string;
  readonly op: OutboundOp;
  readonly attempts: number;
  /** After a failed send, not before this time. */
  readonly nextAttemptAt: Date | null;
}

export class PgOutboxRepo {
  constructor(private readonly db: Queryable) {}

  /** Records a turn's output (call inside the turn's transaction). */
  async record(eventId: string, conversationKey: string, items: ReadonlyArray<{ channel: string; userId: string; op: OutboundOp }>, db: Queryable = this.db): Promise<void> {
    if (items.length === 0) return;
    const values: unknown[] = [];
    const tuples = items.map((it, i) => {
      values.push(eventId, conversationKey, it.channel, it.userId, i, JSON.stringify(it.op));
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}::jsonb)`;
    });
    await db.query(`INSERT INTO outbound_messages (event_id, conversation_key, channel, user_id, seq, op) VALUES ${tuples.join(', ')}`, values);
  }

  /** Recorded, not yet sent, oldest first. */
  async pending(conversationKey: string, limit = 50): Promise<OutboxRecord[]> {
    const r = await this.db.query<{ id: string; event_id: string; channel: string; user_id: string; op: OutboundOp; attempts: number; next_attempt_at: Date | null }>(
      `SELECT id, event_id, channel, user_id, op, attempts, next_attempt_at FROM outbound_messages
       WHERE conversation_key = $1 AND status = 'pending' ORDER BY id LIMIT $2`,
      [conversationKey, limit],
    );
    return r.rows.map((x) => ({ id: String(x.id), eventId: String(x.event_id), channel: x.channel, userId: x.user_id, op: x.op, attempts: x.attempts, nextAttemptAt: x.next_attempt_at }));
  }

  async markSent(id: string): Promise<void> {
    await this.db.query("UPDATE outbound_messages SET status = 'sent', sent_at = now() WHERE id = $1", [id]);
  }

  /** A send that failed: retried after `backoffMs`, or given up after `maxAttempts`. */
  async markFailed(id: string, error: string, maxAttempts: number, backoffMs = 0): Promise<'retry' | 'failed'> {
    const r = await this.db.query<{ status: string }>(
      `UPDATE outbound_messages SET attempts = attempts + 1, last_error = left($2, 300),
         status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END,
         next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
       WHERE id = $1 RETURNING status`,
      [id, error, maxAttempts, backoffMs],
    );
    return r.rows[0]?.status === 'failed' ? 'failed' : 'retry';
  }
}
