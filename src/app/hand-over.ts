/**
 * A resident asks for a person: the request is recorded for staff (the console's hand-over queue;
 * on Zalo the only way staff learn of it) and, on Messenger, the thread is passed to the Page Inbox.
 * Asking again while a request is open is the same request. When the resident comes back to the bot
 * themselves ("menu"), their request leaves the queue.
 */
import type { HandoverQueueRepo } from '../domain/handovers/handover';
import type { Channel } from '../domain/shared/ids';
import type { Logger } from '../logger';

/** Per-channel side of a hand-over (Messenger: pass thread control to the Page Inbox). */
export type PassToPeople = Partial<Record<Channel, (userId: string) => Promise<void>>>;

export class HandOver {
  constructor(private readonly d: { handovers: Pick<HandoverQueueRepo, 'open' | 'closeOpenFor'>; passToPeople: PassToPeople; logger: Logger }) {}

  async request(resident: { id: string; channel: Channel; userId: string }, reason: string): Promise<void> {
    await this.d.handovers.open(resident.id, resident.channel, reason);
    const pass = this.d.passToPeople[resident.channel];
    if (pass) {
      await pass(resident.userId).catch((err: unknown) =>
        this.d.logger.warn({ err: err instanceof Error ? err.message.split('\n')[0] : String(err), channel: resident.channel }, 'passing the thread to people failed'),
      );
    }
    this.d.logger.info({ channel: resident.channel }, 'conversation handed to staff');
  }

  /** The resident went back to the bot themselves: their open request leaves the queue. */
  async residentReturned(residentId: string): Promise<void> {
    const n = await this.d.handovers.closeOpenFor(residentId, { kind: 'resident', id: residentId });
    if (n > 0) this.d.logger.info('resident returned to the bot; hand-over closed');
  }
}
