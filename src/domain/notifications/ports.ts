/** Ports of resident notifications: the channels that push messages, and the parked notices. */
import type { OutboundMessage } from '../messages';
import type { Channel, Locale } from '../shared/ids';
import type { NotificationRoute } from './window-rules';

/** How a message goes out: a reply to what the resident just wrote, or a notice by the window rules. */
export type SendRoute = { kind: 'response' } | Extract<NotificationRoute, { kind: 'message' | 'messenger-tag' }>;

/** Sends messages to a resident: replies recorded by a turn, status notices, staff replies. */
export interface ResidentChannel {
  /** Sends by `route`; throws PlatformApiError on refusal. */
  send(userId: string, messages: readonly OutboundMessage[], route: SendRoute, locale?: Locale): Promise<void>;
  /** Sends an approved template (Zalo ZBS) with its parameters. */
  sendTemplate?(userId: string, templateId: string, params: Readonly<Record<string, string>>): Promise<void>;
}

export type ResidentChannels = Partial<Record<Channel, ResidentChannel>>;

/**
 * What a parked notice still owes the resident: the whole notice (closed window, no template
 * route), or only its choices (the text went out under a tag or a template, which carry no buttons).
 */
export type ParkedPart = 'whole' | 'choices';

/** Notices that waited for the resident to write again (closed window, no template route). */
export interface DeferredNoticesRepo {
  park(residentId: string, reportId: string, eventId: string, status: string, part?: ParkedPart): Promise<void>;
  pending(residentId: string): Promise<Array<{ id: string; reportId: string; eventId: string; part: ParkedPart }>>;
  markDelivered(id: string): Promise<void>;
}
