/**
 * The hand-over queue: conversations where a resident asked for a person (on either channel), what
 * staff see of them (the transcript, both ways) and the ports the queue's use cases need. On Zalo
 * the queue is the only place staff learn that someone asked; on Messenger the thread is also
 * passed to the Page Inbox. Pure types.
 */
import type { Channel, Locale } from '../shared/ids';
import type { Actor } from '../staff/actor';

/** A resident's request for a person, with what the queue shows of the resident. */
export interface Handover {
  readonly id: string;
  readonly residentId: string;
  readonly channel: Channel;
  readonly reason: string;
  readonly createdAt: Date;
  readonly resolvedAt: Date | null;
  readonly lastReplyAt: Date | null;
  /** When the resident last wrote (any stored event of the conversation). */
  readonly lastInboundAt: Date | null;
  /** The resident's language (replies should be written in it). */
  readonly locale: Locale;
}

/** Requests for a person, and what staff replied from the console. */
export interface HandoverQueueRepo {
  /** Opens a request, or returns the one already open for this resident (asking twice is one request). */
  open(residentId: string, channel: Channel, reason: string): Promise<string>;
  /** Open requests, oldest first. */
  listOpen(limit: number): Promise<Handover[]>;
  countOpen(): Promise<number>;
  find(id: string): Promise<Handover | null>;
  /** Closes a request ("return to the bot"); false when it was not open. */
  close(id: string, by: Actor): Promise<boolean>;
  /** Closes the resident's open request (they came back to the bot themselves); how many were open. */
  closeOpenFor(residentId: string, by: Actor): Promise<number>;
  recordReply(handoverId: string, residentId: string, by: Actor, body: string): Promise<void>;
  /** Staff replies to the resident since `since`, oldest first. */
  replies(residentId: string, since: Date, limit: number): Promise<Array<{ readonly at: Date; readonly body: string; readonly actorId: string }>>;
}

/** One line of a conversation as staff read it. */
export interface TranscriptEntry {
  readonly at: Date;
  /** resident: what they sent; bot: the assistant's replies; staff: console (or Page Inbox) replies; notice: report notices. */
  readonly who: 'resident' | 'bot' | 'staff' | 'notice';
  /** What was written (may be empty for a photo or a location). */
  readonly text: string;
  /** A button the resident tapped (its payload), or the titles of the buttons the bot offered. */
  readonly tapped?: string;
  readonly choices?: readonly string[];
  /** Photos the resident sent or images the bot sent. */
  readonly photos?: number;
  readonly location?: { readonly lat: number; readonly lng: number };
  /** Something other than text, photos or a location (sticker, file, link, contact details, follow). */
  readonly other?: 'sticker' | 'file' | 'link' | 'contact' | 'follow' | 'other';
  /** Staff replies made in the Page Inbox rather than the console. */
  readonly viaPageInbox?: boolean;
  /** A bot reply the platform never took. */
  readonly undelivered?: boolean;
  /** The raw message was purged after the retention period. */
  readonly purged?: boolean;
}
