/**
 * Zalo ⇄ dialogs: reads a Zalo event into an {@link Inbound}, and renders {@link Outbound} messages:
 * choices become list-template buttons of type `oa.query.hide` whose payload is `#<TOKEN>` (Zalo
 * delivers a tap as a `user_send_text` with that text). One message per prompt, never the same text
 * twice: see {@link renderForZalo}.
 */
import type { Inbound, Outbound } from '../../../dialogs/types';
import type { ZaloButton, ZaloOaClient } from '../../clients/zalo-oa';
import { ZALO_LIMITS } from '../../clients/zalo-oa/zalo-limits';
import { PlatformApiError } from '../../domain/shared/errors';
import type { Logger } from '../../logger';
import { shorten, splitText } from '../../domain/shared/split-text';
import { zaloLocationOf, type ZaloWebhookEvent } from './zalo-webhook.schema';


/** `#TOKEN` texts come from our own buttons. */
const TOKEN_RE = /^#([A-Z_]+(?::[A-Za-z0-9_.:-]+)?)$/;

export function zaloInbound(ev: ZaloWebhookEvent | null): Inbound {
  if (!ev) return { kind: 'other' };
  switch (ev.kind) {
    case 'text': {
      const text = ev.message.text;
      const m = text.trim().match(TOKEN_RE);
      return { kind: 'text', text, payload: m ? m[1]! : null };
    }
    case 'image':
    case 'gif': {
      const urls = ev.message.attachments.map((a) => a.payload.url).filter((u): u is string => typeof u === 'string' && u !== '');
      return urls.length > 0 ? { kind: 'images', urls, caption: ev.message.text?.trim() || null } : { kind: 'other' };
    }
    case 'location': {
      const loc = zaloLocationOf(ev);
      return loc ? { kind: 'location', lat: loc.latitude, lng: loc.longitude, title: null, source: ev.message.msg_id.startsWith('webview-') ? 'webview' : 'platform' } : { kind: 'other' };
    }
    case 'sticker':
      return { kind: 'sticker' };
    case 'file':
      return { kind: 'file', name: ev.message.attachments[0]?.payload.name ?? null };
    case 'link':
      return { kind: 'link', url: ev.message.attachments[0]?.payload.url ?? null };
    case 'audio':
    case 'video':
      return { kind: 'other' };
    case 'submit-info': {
      const info = ev.info as { phone?: unknown; name?: unknown } | undefined;
      return { kind: 'contact', phone: typeof info?.phone === 'string' ? info.phone : null, name: typeof info?.name === 'string' ? info.name : null };
    }
    case 'follow':
    case 'chatnow':
      return { kind: 'follow' };
    case 'unfollow':
      return { kind: 'unfollow' };
    case 'received':
    case 'seen':
    case 'oa-echo':
      return { kind: 'receipt' };
    default:
      return { kind: 'other' };
  }
}

/** Remembers, per process, that Zalo refused list templates, so later choices go straight to text. */
export class ZaloTemplateSupport {
  listRefused = false;
}

const TEMPLATE_REFUSAL_CODES = new Set(['-201', '-233', '-240']);

/**
 * Characters of a list element's subtitle we allow ourselves. Zalo documents no limit that we could
 * verify (see the README, "Confirm on the first day"); a longer prompt goes out as numbered text.
 */
export const ZALO_SUBTITLE_MAX = 400;

/**
 * The header of a list card for `text`: the whole text as the title when it fits in one line of
 * the title limit, else the first line (or first sentences) as the title and the rest as the
 * subtitle. Null when the text does not fit a card (then it is sent as numbered text).
 */
export function zaloCardHeader(text: string): { title: string; subtitle?: string } | null {
  const norm = text.normalize('NFC').trim();
  if (norm === '') return null;
  const max = ZALO_LIMITS.elementTitle;
  if (norm.length <= max && !norm.includes('\n')) return { title: norm };
  const nl = norm.indexOf('\n');
  const firstLine = nl < 0 ? norm : norm.slice(0, nl);
  let title: string | null = null;
  if (firstLine.trim().length <= max) title = firstLine.trim();
  else {
    // The longest run of whole sentences of the first line that fits the title.
    let best = -1;
    for (const m of firstLine.matchAll(/[.!?…:](?=\s)/g)) {
      const end = m.index + 1;
      if (end <= max) best = end;
    }
    if (best > 0) title = firstLine.slice(0, best).trim();
  }
  if (!title) return null;
  const subtitle = norm.slice(norm.indexOf(title) + title.length).trim();
  if (subtitle === '') return { title };
  if (subtitle.length > ZALO_SUBTITLE_MAX) return null;
  return { title, subtitle };
}

/**
 * Renders dialog output for Zalo, one message per prompt: text alone; or a list card whose header
 * (title + subtitle) carries the whole text, with the choices, link and call buttons; or, when the
 * text is too long for a card, there are more choices than buttons, or Zalo refuses list
 * templates, the text with numbered options the resident answers with a digit.
 */
export async function renderForZalo(
  client: ZaloOaClient,
  userId: string,
  messages: readonly Outbound[],
  opts: { support: ZaloTemplateSupport; chooseNumberHint: string; logger: Logger },
): Promise<void> {
  for (const m of messages) {
    for (const url of m.images ?? []) await client.sendImage(userId, { url });
    const choices: ZaloButton[] = (m.choices ?? []).map((c) => ({ title: shorten(c.title, ZALO_LIMITS.buttonTitle), type: 'oa.query.hide', payload: `#${c.payload}` }));
    const others: ZaloButton[] = [];
    if (m.link) others.push({ title: shorten(m.link.title, ZALO_LIMITS.buttonTitle), type: 'oa.open.url', payload: m.link.url });
    for (const call of m.calls ?? []) others.push({ title: shorten(call.title, ZALO_LIMITS.buttonTitle), type: 'oa.open.phone', payload: call.phone });
    const buttons = [...choices, ...others];

    if (buttons.length === 0) {
      for (const c of splitText(m.text, ZALO_LIMITS.text)) await client.sendText(userId, c);
      continue;
    }
    const header = buttons.length <= ZALO_LIMITS.listButtons ? zaloCardHeader(m.text) : null;
    if (header && !opts.support.listRefused) {
      try {
        await client.sendList(userId, { elements: [header], buttons });
        continue;
      } catch (err) {
        if (!(err instanceof PlatformApiError) || !TEMPLATE_REFUSAL_CODES.has(err.code)) throw err;
        opts.support.listRefused = true;
        opts.logger.warn({ code: err.code }, 'Zalo refused the list template; using numbered text choices');
      }
    }
    const chunks = splitText(numbered(m.text, buttons, opts.chooseNumberHint), ZALO_LIMITS.text);
    for (const c of chunks) await client.sendText(userId, c);
  }
}

/** Text fallback: "1. …" per query button, links and phone numbers written out. */
function numbered(text: string, buttons: readonly ZaloButton[], hint: string): string {
  const lines: string[] = text ? [text, ''] : [];
  let n = 0;
  const choices = buttons.filter((b) => b.type === 'oa.query.hide' || b.type === 'oa.query.show');
  if (choices.length > 0) lines.push(hint);
  for (const b of choices) lines.push(`${++n}. ${b.title}`);
  for (const b of buttons) {
    if (b.type === 'oa.open.url') lines.push(`🔗 ${b.title}: ${b.payload}`);
    if (b.type === 'oa.open.phone') lines.push(`📞 ${b.title}: ${b.payload}`);
  }
  return lines.join('\n').trim();
}
