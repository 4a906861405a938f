/**
 * The bots' conversation state changed from outside a turn, in `bot_sessions` (Bottender keeps the
 * state under `_state`). The change waits for the conversation's advisory lock (the inbox worker's
 * per-conversation lock, taken here for the transaction only), so it never races a turn that read
 * the session before and would write it back without the change.
 */
import type { ConversationSessions } from '../domain/conversations/ports';
import { conversationKey } from '../domain/conversations/ports';
import type { Channel } from '../domain/shared/ids';
import type { Db } from './db';

export class PgConversationSessions implements ConversationSessions {
  constructor(private readonly db: Db) {}

  async patchState(channel: Channel, userId: string, patch: Readonly<Record<string, unknown>>): Promise<boolean> {
    const key = conversationKey(channel, userId);
    return this.db.tx(async (q) => {
      // The inbox worker holds hashtextextended(key, 42) while it runs the conversation's turns.
      await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 42))', [key]);
      const r = await q.query(
        `UPDATE bot_sessions SET data = jsonb_set(data, '{_state}', COALESCE(data->'_state', '{}'::jsonb) || $2::jsonb), last_activity = now()
         WHERE id = $1`,
        [key, JSON.stringify(patch)],
      );
      return r.rowCount === 1;
    });
  }
}
