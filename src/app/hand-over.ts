/**
 * A resident asks for a person: the request is recorded for staff (the console's hand-over queue;
 * on Zalo the only way staff learn of it) and, on Messenger, the thread is passed to the Page Inbox.
 * Asking again while a request is open is the same request. When the conversation comes back to
 * the bot without the console (the resident types "menu", the Page Inbox gives the thread back),
 * the request leaves the queue.
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

  /**
   * The conversation went back to the bot without the console: the resident asked ("menu"), or the
   * Page Inbox gave the thread back. Their open request leaves the queue.
   */
  async returned(residentId: string, by: 'resident' | 'page-inbox'): Promise<void> {
    const n = await this.d.handovers.closeOpenFor(residentId, by === 'resident' ? { kind: 'resident', id: residentId } : { kind: 'system', id: 'page-inbox' });
    if (n > 0) this.d.logger.info({ by }, 'conversation back with the bot; hand-over closed');
  }
}
