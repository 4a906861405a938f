/**
 * Ports of notifications: the channels that push messages to residents, the parked notices, and
 * e-mail to the city's staff.
 */
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

/** A plain-text e-mail to one staff address (no resident data: codes and links only). */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * Sends e-mail to staff. Exists only where SMTP is configured (SMTP_URL); without it there is no
 * mailer and the console is the only channel.
 */
export interface Mailer {
  /** Hands the message to the mail server; throws PlatformApiError (`platform: 'smtp'`) when it is refused or the server cannot be reached. */
  send(message: MailMessage): Promise<void>;
}
