/**
 * The Messenger webhook adapter: the GET verification handshake, `X-Hub-Signature-256` over the raw
 * bytes, and the envelope parsed into one inbox event per message or postback.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../signature';
import type { WebhookAdapter } from '../webhook-router';
import type { InboundEventInput } from '../../storage/inbox-repo';
import { MessagingEvent, MessengerEnvelope, messengerDedupeKey, messengerEventKind } from './messenger-webhook.schema';
import { verifyMessengerSignature } from './messenger-signature';

/**
 * The Page Inbox gave a thread back (`messaging_handovers`: pass_thread_control to our app): the
 * hand-over is over and the bot takes the conversation again.
 */
function isHandback(item: unknown, appId: string | undefined): item is { sender: { id: string }; timestamp?: number; pass_thread_control: { new_owner_app_id?: unknown } } {
  const ev = item as { sender?: { id?: unknown }; pass_thread_control?: { new_owner_app_id?: unknown } } | null;
  if (typeof ev?.sender?.id !== 'string' || typeof ev.pass_thread_control !== 'object' || ev.pass_thread_control === null) return false;
  const owner = ev.pass_thread_control.new_owner_app_id;
  return appId === undefined || String(owner) === appId;
}

export function messengerWebhookAdapter(o: { appSecret: string; verifyToken: string; appId?: string }): WebhookAdapter {
  return {
    channel: 'messenger',
    signatureHeader: 'X-Hub-Signature-256',
    ack: 'EVENT_RECEIVED',
    handshake(q) {
      const ok = o.verifyToken !== '' && q['hub.mode'] === 'subscribe' && typeof q['hub.verify_token'] === 'string' && safeEqual(q['hub.verify_token'], o.verifyToken);
      return ok ? { status: 200, body: String(q['hub.challenge'] ?? '') } : { status: 403, body: 'Forbidden' };
    },
    verify(raw: Buffer, headers: IncomingHttpHeaders) {
      const header = headers['x-hub-signature-256'];
      return verifyMessengerSignature(raw, typeof header === 'string' ? header : undefined, o.appSecret);
    },
    parse(json, log) {
      const env = MessengerEnvelope.safeParse(json);
      if (!env.success) return { ok: false, error: 'not a Messenger webhook envelope' };
      if (env.data.object !== 'page') {
        log.debug({ object: env.data.object }, 'ignoring non-page webhook');
        return { ok: true, events: [] };
      }
      const events: InboundEventInput[] = [];
      for (const entry of env.data.entry) {
        // While the Page Inbox holds a thread (a hand-over), the resident's messages and the Page's
        // replies come as standby: stored for the hand-over queue's transcript (and the messaging
        // window), never answered by the bot.
        for (const item of entry.standby ?? []) {
          const ev = MessagingEvent.safeParse(item);
          if (!ev.success) continue;
          const kind = messengerEventKind(ev.data);
          if (kind !== 'message' && kind !== 'postback' && kind !== 'echo') {
            log.debug({ kind }, 'ignoring standby event kind');
            continue;
          }
          events.push({
            channel: 'messenger',
            dedupeKey: `standby:${messengerDedupeKey(ev.data)}`,
            conversationKey: `messenger:${kind === 'echo' ? ev.data.recipient.id : ev.data.sender.id}`,
            kind: 'standby',
            body: { object: 'page', entry: [{ id: entry.id, time: entry.time, standby: [item] }] },
          });
        }
        for (const item of entry.messaging ?? []) {
          if (isHandback(item, o.appId)) {
            events.push({
              channel: 'messenger',
              dedupeKey: `handback:${item.sender.id}:${item.timestamp ?? entry.time}`,
              conversationKey: `messenger:${item.sender.id}`,
              kind: 'handback',
              body: { object: 'page', entry: [{ id: entry.id, time: entry.time, messaging: [item] }] },
            });
            continue;
          }
          const ev = MessagingEvent.safeParse(item);
          if (!ev.success) {
            log.debug('ignoring a messaging item of an unknown shape');
            continue;
          }
          const kind = messengerEventKind(ev.data);
          if (kind !== 'message' && kind !== 'postback') {
            log.debug({ kind }, 'ignoring messenger event kind');
            continue;
          }
          events.push({
            channel: 'messenger',
            dedupeKey: messengerDedupeKey(ev.data),
            conversationKey: `messenger:${ev.data.sender.id}`,
            kind,
            body: { object: 'page', entry: [{ id: entry.id, time: entry.time, messaging: [item] }] },
          });
        }
      }
      return { ok: true, events };
    },
  };
}

/** The event a location picked in the map web view becomes: a Messenger location message. */
export function messengerLocationEvent(pageId: string, psid: string, lat: number, lng: number, mid: string, now: number): InboundEventInput {
  return {
    channel: 'messenger',
    dedupeKey: `mid:${mid}`,
    conversationKey: `messenger:${psid}`,
    kind: 'message',
    body: {
      object: 'page',
      entry: [{ id: pageId, time: now, messaging: [{ sender: { id: psid }, recipient: { id: pageId }, timestamp: now, message: { mid, attachments: [{ type: 'location', payload: { coordinates: { lat, long: lng } } }] } }] }],
    },
  };
}
