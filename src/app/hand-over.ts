/**
 * A resident asks for a person: the request is recorded for staff (the console's hand-over queue;
 * on Zalo the only way staff learn of it) and, on Messenger, the thread is passed to the Page Inbox.
 */
import type { HandoversRepo } from '../domain/reports/ports';
import type { Channel } from '../domain/shared/ids';
import type { Logger } from '../logger';

/** Per-channel side of a hand-over (Messenger: pass thread control to the Page Inbox). */
export type PassToPeople = Partial<Record<Channel, (userId: string) => Promise<void>>>;

export class HandOver {
  constructor(private readonly d: { handovers: HandoversRepo; passToPeople: PassToPeople; logger: Logger }) {}

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
}
