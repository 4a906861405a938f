/**
 * Zalo ⇄ dialogs: reads a Zalo event into an {@link Inbound}, and renders {@link Outbound} messages:
 * choices become list-template buttons of type `oa.query.hide` whose payload is `#<TOKEN>` (Zalo
 * delivers a tap as a `user_send_text` with that text). If Zalo refuses the template at run time,
 * choices fall back to numbered text the resident answers with a digit.
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

export async function renderForZalo(
  client: ZaloOaClient,
  userId: string,
  messages: readonly Outbound[],
  opts: { support: ZaloTemplateSupport; chooseNumberHint: string; logger: Logger },
): Promise<void> {
  for (const m of messages) {
    for (const url of m.images ?? []) await client.sendImage(userId, { url });
    const buttons: ZaloButton[] = [];
    for (const c of m.choices ?? []) buttons.push({ title: shorten(c.title, ZALO_LIMITS.buttonTitle), type: 'oa.query.hide', payload: `#${c.payload}` });
    if (m.link) buttons.push({ title: shorten(m.link.title, ZALO_LIMITS.buttonTitle), type: 'oa.open.url', payload: m.link.url });
    for (const call of m.calls ?? []) buttons.push({ title: shorten(call.title, ZALO_LIMITS.buttonTitle), type: 'oa.open.phone', payload: call.phone });

    if (buttons.length === 0) {
      await client.sendText(userId, m.text);
      continue;
    }
    const chunks = splitText(m.text, ZALO_LIMITS.text);
    const fitsTitle = chunks.length === 1 && [...m.text].length <= ZALO_LIMITS.elementTitle;
    if (!opts.support.listRefused) {
      try {
        if (!fitsTitle) for (const c of chunks) await client.sendText(userId, c);
        const title = fitsTitle ? m.text : shorten(chunks[chunks.length - 1]!.split('\n')[0]!, ZALO_LIMITS.elementTitle);
        await client.sendList(userId, { elements: [{ title }], buttons: buttons.slice(0, ZALO_LIMITS.listButtons) });
        continue;
      } catch (err) {
        if (!(err instanceof PlatformApiError) || !TEMPLATE_REFUSAL_CODES.has(err.code)) throw err;
        opts.support.listRefused = true;
        opts.logger.warn({ code: err.code }, 'Zalo refused the list template; using numbered text choices');
        if (!fitsTitle) {
          // The text already went out; send only the numbered choices.
          await client.sendText(userId, numbered('', buttons, opts.chooseNumberHint));
          continue;
        }
      }
    }
    await client.sendText(userId, numbered(m.text, buttons, opts.chooseNumberHint));
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
