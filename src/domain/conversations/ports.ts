/**
 * Ports of a resident's conversation seen from outside a turn: its state (kept by the bots in the
 * session store) and its transcript (what was said, both ways). storage/ implements them.
 */
import type { Channel } from '../shared/ids';

/** The conversation key of the inbox and of the bots' sessions: `<channel>:<platform user id>`. */
export const conversationKey = (channel: Channel, userId: string): string => `${channel}:${userId}`;

/** A conversation's state changed from outside a turn (a notice's question, "return to the bot"). */
export interface ConversationSessions {
  /**
   * Merges `patch` into the conversation state of the resident's session, serialised with the
   * conversation's turns (a turn running now finishes first, the next one reads the change).
   * False when the resident has no session yet (nothing to change).
   */
  patchState(channel: Channel, userId: string, patch: Readonly<Record<string, unknown>>): Promise<boolean>;
}

/** One stored webhook event of a conversation, as received (the body may have been purged). */
export interface LoggedInbound {
  readonly id: string;
  readonly channel: Channel;
  readonly at: Date;
  /** The raw webhook body; null once purged after INBOX_RETENTION_DAYS. */
  readonly body: unknown;
}

/** One reply a turn recorded (bot messages), with its delivery status. */
export interface LoggedOutbound {
  readonly id: string;
  readonly at: Date;
  readonly op: unknown;
  readonly status: 'pending' | 'sent' | 'failed';
}

/** What was said in a conversation (inbound events, the bot's recorded replies), oldest first. */
export interface ConversationLog {
  inbound(conversationKey: string, since: Date, limit: number): Promise<LoggedInbound[]>;
  outbound(conversationKey: string, since: Date, limit: number): Promise<LoggedOutbound[]>;
  /** When the resident last wrote (any stored event), or null. */
  lastInbound(conversationKey: string): Promise<Date | null>;
}
