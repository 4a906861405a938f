/**
 * A stored Messenger webhook body read back for the hand-over queue's transcript (the bot reads a
 * Bottender context instead; this reads the wire shape): a message, a quick reply or a postback
 * from the resident, or, while the Page Inbox holds the thread (standby), what the Page's people
 * wrote to them (an echo).
 */
import type { Inbound } from '../../../dialogs/types';
import { MessagingEvent, MessengerEnvelope } from './messenger-webhook.schema';

export function messengerTranscriptInbound(body: unknown): { from: 'resident' | 'page'; input: Inbound } | null {
  const env = MessengerEnvelope.safeParse(body);
  const entry = env.success ? env.data.entry[0] : undefined;
  const item = entry?.messaging?.[0] ?? entry?.standby?.[0];
  const parsed = MessagingEvent.safeParse(item);
  if (!parsed.success) return null;
  const ev = parsed.data;
  if (ev.postback) return { from: 'resident', input: { kind: 'text', text: ev.postback.title ?? '', payload: ev.postback.payload } };
  const m = ev.message;
  if (!m) return null;
  const from = m.is_echo ? 'page' : 'resident';
  if (m.quick_reply) return { from, input: { kind: 'text', text: m.text ?? '', payload: m.quick_reply.payload } };
  const atts = m.attachments ?? [];
  const location = atts.find((a) => a.type === 'location');
  const coords = location?.payload?.coordinates as { lat?: unknown; long?: unknown } | undefined;
  if (coords && typeof coords.lat === 'number' && typeof coords.long === 'number') {
    return { from, input: { kind: 'location', lat: coords.lat, lng: coords.long, title: null, source: m.mid.startsWith('webview-') ? 'webview' : 'platform' } };
  }
  const images = atts.filter((a) => a.type === 'image' && typeof a.payload?.url === 'string' && a.payload?.sticker_id === undefined);
  if (images.length > 0) return { from, input: { kind: 'images', urls: images.map((a) => String(a.payload!.url)), caption: m.text ?? null } };
  if (atts.some((a) => a.type === 'image')) return { from, input: { kind: 'sticker' } };
  if (atts.some((a) => a.type === 'file' || a.type === 'audio' || a.type === 'video')) return { from, input: { kind: 'file', name: null } };
  if (atts.length > 0) return { from, input: { kind: 'link', url: atts[0]?.url ?? null } };
  return typeof m.text === 'string' ? { from, input: { kind: 'text', text: m.text, payload: null } } : null;
}
