/**
 * The Zalo webhook adapter: `X-ZEvent-Signature` over the raw bytes (app id + body + timestamp +
 * OA secret key), the event parsed with the wire schema and keyed on msg_id for de-duplication.
 * Zalo wants an answer within 2 seconds and retries for an hour.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookAdapter } from '../webhook-router';
import type { InboundEventInput } from '../../storage/inbox-repo';
import { parseZaloEvent, zaloConversationKey, zaloDedupeKey } from './zalo-webhook.schema';
import { verifyZaloSignature } from './zalo-signature';

export function zaloWebhookAdapter(o: { appId: string; oaSecretKey: string }): WebhookAdapter {
  return {
    channel: 'zalo',
    signatureHeader: 'X-ZEvent-Signature',
    ack: { ok: true },
    // No handshake is documented for Zalo; answering GET does no harm and helps URL checks.
    handshake: () => ({ status: 200, body: 'OK' }),
    verify(raw: Buffer, headers: IncomingHttpHeaders) {
      let bodyAppId: string | undefined;
      try {
        const parsed = JSON.parse(raw.toString('utf8')) as { app_id?: unknown };
        bodyAppId = typeof parsed.app_id === 'string' ? parsed.app_id : undefined;
      } catch {
        return false;
      }
      // The documented examples sign with the app id; accept the body's app_id too (see README).
      const appIds = bodyAppId && bodyAppId !== o.appId ? [o.appId, bodyAppId] : [o.appId];
      return verifyZaloSignature({ rawBody: raw, header: headers['x-zevent-signature'], appIds, oaSecretKey: o.oaSecretKey });
    },
    parse(json, log) {
      const parsed = parseZaloEvent(json);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      const ev = parsed.event;
      if (ev.kind === 'unknown' || ev.kind === 'oa-echo') {
        log.debug({ eventName: ev.event_name }, 'zalo event acknowledged without handling');
        return { ok: true, events: [] };
      }
      const userId = zaloConversationKey(ev);
      return { ok: true, events: [{ channel: 'zalo', dedupeKey: zaloDedupeKey(ev), conversationKey: `zalo:${userId}`, kind: ev.kind, body: json }] };
    },
  };
}

/** The event a location picked in the map web view becomes: a Zalo `user_send_location`. */
export function zaloLocationEvent(appId: string, oaId: string, userId: string, lat: number, lng: number, msgId: string, now: number): InboundEventInput {
  return {
    channel: 'zalo',
    dedupeKey: msgId,
    conversationKey: `zalo:${userId}`,
    kind: 'location',
    body: {
      app_id: appId,
      event_name: 'user_send_location',
      timestamp: String(now),
      sender: { id: userId },
      recipient: { id: oaId },
      message: { msg_id: msgId, attachments: [{ type: 'location', payload: { coordinates: { latitude: String(lat), longitude: String(lng) } } }] },
    },
  };
}
