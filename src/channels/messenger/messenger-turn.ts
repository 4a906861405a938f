/**
 * Messenger ⇄ dialogs: reads a Bottender MessengerContext into an {@link Inbound} and renders
 * {@link Outbound} messages with quick replies and templates within the Messenger limits.
 */
import type { MessengerContext } from 'bottender';
import type { Inbound, Outbound } from '../../../dialogs/types';
import { shorten, splitText } from '../../domain/shared/split-text';

export const MESSENGER_LIMITS = { text: 2000, quickReplies: 13, title: 20, buttonText: 640, buttons: 3 } as const;

interface RawAttachment {
  type?: string;
  payload?: { url?: string; coordinates?: { lat?: number; long?: number }; stickerId?: number } | null;
  title?: string;
  url?: string;
}

export function messengerInbound(context: MessengerContext): Inbound {
  const ev = context.event;
  if (ev.isEcho || ev.isDelivery || ev.isRead || ev.isStandby) return { kind: 'receipt' };
  if (ev.isPassThreadControl) return { kind: 'handback' };
  if (ev.isPostback) return { kind: 'text', text: ev.postback?.title ?? '', payload: ev.postback?.payload ?? null };
  if (ev.isQuickReply) return { kind: 'text', text: ev.text ?? '', payload: ev.quickReply?.payload ?? null };
  const message = ev.message as { mid?: string; text?: string; attachments?: RawAttachment[] } | null;
  if (!message) return { kind: 'other' };
  const atts = message.attachments ?? [];
  if (atts.length > 0) {
    const loc = atts.find((a) => a.type === 'location' && a.payload?.coordinates);
    if (loc) {
      const c = loc.payload!.coordinates!;
      const source = typeof message.mid === 'string' && message.mid.startsWith('webview-') ? 'webview' : 'platform';
      return { kind: 'location', lat: Number(c.lat), lng: Number(c.long), title: null, source };
    }
    const images = atts.filter((a) => a.type === 'image' && a.payload?.url && a.payload.stickerId === undefined);
    if (images.length > 0) return { kind: 'images', urls: images.map((a) => a.payload!.url!), caption: message.text ?? null };
    if (atts.some((a) => a.type === 'image')) return { kind: 'sticker' };
    if (atts.some((a) => a.type === 'file' || a.type === 'audio' || a.type === 'video')) return { kind: 'file', name: null };
    if (atts.some((a) => a.type === 'fallback')) return { kind: 'link', url: atts[0]?.url ?? null };
    return { kind: 'other' };
  }
  if (typeof message.text === 'string') return { kind: 'text', text: message.text, payload: null };
  return { kind: 'other' };
}

/** Where rendered Messenger messages go: the turn's context (RESPONSE), or the Send API as a push. */
export interface MessengerSink {
  text(text: string, quickReplies?: readonly QuickReply[]): Promise<void>;
  buttons(text: string, buttons: readonly Record<string, unknown>[], quickReplies?: readonly QuickReply[]): Promise<void>;
  image(url: string): Promise<void>;
}

export interface QuickReply {
  readonly contentType: 'text';
  readonly title: string;
  readonly payload: string;
}

/**
 * Renders dialog output within the Messenger limits: images, then text with quick replies or
 * buttons. More choices than quick replies (dialogs page long lists, so this is rare) are written
 * out as numbered lines the resident answers with a digit.
 */
export async function renderForMessenger(sink: MessengerSink, messages: readonly Outbound[]): Promise<void> {
  for (const raw of messages) {
    const tooMany = (raw.choices?.length ?? 0) > MESSENGER_LIMITS.quickReplies;
    const m: Outbound = tooMany
      ? { ...raw, text: [raw.text, '', ...raw.choices!.map((c, i) => `${i + 1}. ${c.title}`)].join('\n'), choices: [] }
      : raw;
    for (const url of m.images ?? []) await sink.image(url);
    const quickReplies: QuickReply[] = (m.choices ?? []).slice(0, MESSENGER_LIMITS.quickReplies).map((c) => ({
      contentType: 'text' as const,
      title: shorten(c.title, MESSENGER_LIMITS.title),
      payload: c.payload,
    }));
    const qr = quickReplies.length > 0 ? quickReplies : undefined;
    const buttons: Record<string, unknown>[] = [];
    if (m.link) buttons.push({ type: 'web_url', url: m.link.url, title: shorten(m.link.title, MESSENGER_LIMITS.title), webviewHeightRatio: 'tall' });
    for (const call of m.calls ?? []) {
      if (buttons.length < MESSENGER_LIMITS.buttons) buttons.push({ type: 'phone_number', title: shorten(call.title, MESSENGER_LIMITS.title), payload: call.phone });
    }
    if (buttons.length > 0) {
      const chunks = splitText(m.text, MESSENGER_LIMITS.buttonText);
      for (const c of chunks.slice(0, -1)) await sink.text(c);
      await sink.buttons(chunks[chunks.length - 1] ?? m.text, buttons, qr);
      continue;
    }
    const chunks = splitText(m.text, MESSENGER_LIMITS.text);
    for (const [i, c] of chunks.entries()) await sink.text(c, i === chunks.length - 1 ? qr : undefined);
  }
}

/** The sink of a conversation turn: replies through the Bottender context (messaging type RESPONSE). */
export function contextSink(context: MessengerContext): MessengerSink {
  return {
    text: async (text, quickReplies) => {
      await context.sendText(text, quickReplies ? ({ quickReplies } as never) : undefined);
    },
    buttons: async (text, buttons, quickReplies) => {
      await context.sendButtonTemplate(text, buttons as never, quickReplies ? ({ quickReplies } as never) : undefined);
    },
    image: async (url) => {
      await context.sendImage(url);
    },
  };
}
