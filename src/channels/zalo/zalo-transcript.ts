/**
 * A stored Zalo webhook body read back for the hand-over queue's transcript: the same inbound
 * mapping the bot uses (a tapped list button is its `#TOKEN` text).
 */
import type { Inbound } from '../../../dialogs/types';
import { parseZaloEvent } from './zalo-webhook.schema';
import { zaloInbound } from './zalo-turn';

/** What the resident sent in a stored event; null for receipts and events of other kinds. */
export function zaloTranscriptInbound(body: unknown): { from: 'resident'; input: Inbound } | null {
  const parsed = parseZaloEvent(body);
  if (!parsed.ok) return null;
  const input = zaloInbound(parsed.event);
  return input.kind === 'receipt' || input.kind === 'unfollow' ? null : { from: 'resident', input };
}
