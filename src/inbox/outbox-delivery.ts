/**
 * Sends the replies a turn recorded, after its commit, in order, each once: a reply is marked sent
 * as soon as the platform accepts it. If the process dies in between, the unsent rest goes out
 * after the restart (at most the one reply in flight can repeat). A platform that fails for now
 * keeps the rest of the conversation's replies waiting, so they never arrive out of order.
 */
import { PlatformApiError } from '../domain/shared/errors';
import type { Logger } from '../logger';
import type { OutboundOp, OutboxRecord, PgOutboxRepo } from '../storage/outbox-repo';

export type ReplySender = (userId: string, op: OutboundOp) => Promise<void>;

/** Back-off of a reply the platform refused for now (rate limit, outage, a Page token being renewed). */
export const REPLY_BACKOFF_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];

export class OutboxDelivery {
  constructor(
    private readonly d: { outbox: PgOutboxRepo; senders: Readonly<Record<string, ReplySender>>; logger: Logger; maxAttempts?: number },
  ) {}

  /** Sends what is waiting for the conversation; 'retry-later' when a send failed for now. */
  async deliver(conversationKey: string): Promise<'done' | 'retry-later'> {
    for (;;) {
      const pending = await this.d.outbox.pending(conversationKey);
      if (pending.length === 0) return 'done';
      for (const rec of pending) {
        // In order: a reply waiting out its back-off holds the later ones back.
        if (rec.nextAttemptAt && rec.nextAttemptAt.getTime() > Date.now()) return 'retry-later';
        if ((await this.send(rec)) === 'retry-later') return 'retry-later';
      }
    }
  }

  private async send(rec: OutboxRecord): Promise<'ok' | 'retry-later'> {
    const sender = this.d.senders[rec.channel];
    if (!sender) {
      await this.d.outbox.markFailed(rec.id, `channel ${rec.channel} is not enabled`, 1);
      return 'ok';
    }
    try {
      await sender(rec.userId, rec.op);
    } catch (err) {
      const transient = !(err instanceof PlatformApiError) || err.retryable;
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      const backoff = REPLY_BACKOFF_MS[Math.min(rec.attempts, REPLY_BACKOFF_MS.length - 1)]!;
      const outcome = await this.d.outbox.markFailed(rec.id, message, transient ? (this.d.maxAttempts ?? REPLY_BACKOFF_MS.length + 1) : 1, backoff);
      this.d.logger.warn({ channel: rec.channel, outboxId: rec.id, outcome, err: message }, 'a reply could not be sent');
      return outcome === 'retry' ? 'retry-later' : 'ok';
    }
    await this.d.outbox.markSent(rec.id);
    return 'ok';
  }
}
