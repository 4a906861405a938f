/**
 * A member of staff writes to a resident in the resident's own thread (the hand-over queue). Inside
 * the platform's window the message goes out at once; outside it a person's reply cannot be sent
 * as a notice, so the use case says so instead of sending under a tag meant for status changes.
 */
import { chooseNotificationRoute, type WindowSettings } from '../domain/notifications/window-rules';
import type { ResidentChannels } from '../domain/notifications/ports';
import type { Clock, ResidentsRepo } from '../domain/reports/ports';
import { DomainError } from '../domain/shared/errors';

export class ReplyToResident {
  constructor(private readonly d: { residents: ResidentsRepo; channels: ResidentChannels; windows: WindowSettings; clock: Clock }) {}

  /** @throws DomainError `reply.resident-not-found`, `reply.channel-disabled`, `reply.window-closed` */
  async execute(residentId: string, text: string): Promise<void> {
    const body = text.normalize('NFC').trim();
    if (!body) throw new DomainError('reply.empty', 'the reply is empty');
    const resident = await this.d.residents.findById(residentId);
    if (!resident) throw new DomainError('reply.resident-not-found', 'no such resident');
    const channel = this.d.channels[resident.channel];
    if (!channel) throw new DomainError('reply.channel-disabled', `the ${resident.channel} channel is not enabled`);
    const route = chooseNotificationRoute(resident.channel, resident.lastInteractionAt, this.d.clock.now(), this.d.windows);
    if (route.kind !== 'message') throw new DomainError('reply.window-closed', 'the resident has not written recently enough for a free reply');
    await channel.send(resident.platformUserId, [{ text: body }], route);
  }
}
