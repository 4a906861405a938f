/**
 * Builders of signed Zalo webhook requests, shaped like the fixtures in test/fixtures/zalo (snake_case,
 * string ids, epoch-ms string timestamps). Fresh msg ids and the current time unless given.
 *
 *   const wh = zaloWebhook.userSendText({ userId: '5519028374615903382', text: 'Xin chào' });
 *   await request(app).post('/webhooks/zalo').set(wh.headers).send(wh.body);
 */
import crypto from 'node:crypto';
import { signZalo } from '../../src/channels/zalo/zalo-signature';
import { FAKE_SECRETS } from '../fake-credentials';

export interface ZaloWebhookSettings {
  readonly appId?: string;
  readonly oaId?: string;
  readonly oaSecretKey?: string;
  readonly now?: () => number;
}

export interface SignedZaloWebhook {
  /** The raw JSON text to post (the signature covers these exact bytes). */
  readonly body: string;
  readonly headers: { readonly 'content-type': string; readonly 'x-zevent-signature': string };
  /** The same event as an object, for assertions. */
  readonly event: Record<string, unknown>;
}

interface Common {
  readonly userId: string;
  /** Epoch ms as a string; default now. */
  readonly timestamp?: string;
}
interface WithMsg extends Common {
  readonly msgId?: string;
}

export interface ClassicInfo {
  readonly name?: string;
  readonly phone?: string;
  readonly address?: string;
  readonly city?: string;
  readonly district?: string;
  readonly ward?: string;
}
export interface FullAddressInfo {
  readonly name?: string;
  readonly phone?: string;
  readonly user_dob?: string;
  readonly gender?: string;
  readonly full_address: { readonly user_address?: string; readonly user_ward?: string; readonly user_city?: string };
}

/** A fresh 20-hex-char message id like Zalo's. */
export function newZaloMsgId(): string {
  return crypto.randomBytes(10).toString('hex');
}

/** Builders bound to one app id / OA / secret (defaults: the simulator's fake secrets). */
export function createZaloWebhooks(settings: ZaloWebhookSettings = {}) {
  const appId = settings.appId ?? FAKE_SECRETS.zaloAppId;
  const oaId = settings.oaId ?? FAKE_SECRETS.zaloOaId;
  const secret = settings.oaSecretKey ?? FAKE_SECRETS.zaloOaSecretKey;
  const now = settings.now ?? Date.now;

  const userIdByApp = (userId: string) => {
    const digits = BigInt(`0x${crypto.createHash('sha256').update(userId).digest('hex').slice(0, 15)}`).toString();
    return `8${digits.padStart(18, '0').slice(0, 18)}`;
  };
  const head = (eventName: string, c: Common) => ({
    app_id: appId,
    user_id_by_app: userIdByApp(c.userId),
    event_name: eventName,
    timestamp: c.timestamp ?? String(now()),
  });
  const fromUser = (eventName: string, c: Common, message: Record<string, unknown>) => ({
    ...head(eventName, c),
    sender: { id: c.userId },
    recipient: { id: oaId },
    message,
  });
  const toUser = (eventName: string, c: Common, message: Record<string, unknown>) => ({
    ...head(eventName, c),
    sender: { id: oaId },
    recipient: { id: c.userId },
    message,
  });
  const withText = (text: string | undefined) => (text === undefined ? {} : { text });

  /** Signs any event object (it must carry a string `timestamp`). */
  const sign = (event: Record<string, unknown>): SignedZaloWebhook => {
    const body = JSON.stringify(event);
    return { body, headers: { 'content-type': 'application/json', 'x-zevent-signature': signZalo(body, appId, secret) }, event };
  };

  return {
    appId,
    oaId,
    sign,
    userSendText: (p: WithMsg & { text: string; quoteMsgId?: string }) =>
      sign(
        fromUser('user_send_text', p, {
          msg_id: p.msgId ?? newZaloMsgId(),
          text: p.text,
          ...(p.quoteMsgId === undefined ? {} : { quote_msg_id: p.quoteMsgId }),
        }),
      ),
    /** Several images and an optional caption in one event, as Zalo sends them. */
    userSendImage: (p: WithMsg & { imageUrls: readonly string[]; text?: string }) =>
      sign(
        fromUser('user_send_image', p, {
          msg_id: p.msgId ?? newZaloMsgId(),
          ...withText(p.text),
          attachments: p.imageUrls.map((url) => ({ type: 'image', payload: { url, thumbnail: url } })),
        }),
      ),
    /** Coordinates are sent as strings, as Zalo does. */
    userSendLocation: (p: WithMsg & { lat: number | string; lng: number | string; text?: string }) =>
      sign(
        fromUser('user_send_location', p, {
          msg_id: p.msgId ?? newZaloMsgId(),
          ...withText(p.text),
          attachments: [{ type: 'location', payload: { coordinates: { latitude: String(p.lat), longitude: String(p.lng) } } }],
        }),
      ),
    userSendSticker: (p: WithMsg & { stickerId?: string; url?: string }) =>
      sign(
        fromUser('user_send_sticker', p, {
          msg_id: p.msgId ?? newZaloMsgId(),
          attachments: [
            {
              type: 'sticker',
              payload: { id: p.stickerId ?? 'bfe458bf64fa8da4d4eb', url: p.url ?? 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=30115&size=130' },
            },
          ],
        }),
      ),
    userSendFile: (p: WithMsg & { url: string; name?: string; size?: number; type?: string }) =>
      sign(
        fromUser('user_send_file', p, {
          msg_id: p.msgId ?? newZaloMsgId(),
          attachments: [
            {
              type: 'file',
              payload: {
                url: p.url,
                name: p.name ?? 'tai-lieu.pdf',
                size: String(p.size ?? 1024),
                checksum: crypto.createHash('md5').update(p.url).digest('hex'),
                type: p.type ?? 'pdf',
              },
            },
          ],
        }),
      ),
    userSendLink: (p: WithMsg & { url: string; text?: string; description?: string; thumbnail?: string }) =>
      sign(
        fromUser('user_send_link', p, {
          msg_id: p.msgId ?? newZaloMsgId(),
          ...withText(p.text),
          attachments: [
            { type: 'link', payload: { url: p.url, description: p.description ?? '', thumbnail: p.thumbnail ?? '' } },
          ],
        }),
      ),
    /** Classic `info{…}` shape by default; pass `full_address` for the newer shape. */
    userSubmitInfo: (p: Common & { info: ClassicInfo | FullAddressInfo }) =>
      sign({ ...head('user_submit_info', p), sender: { id: p.userId }, recipient: { id: oaId }, info: p.info }),
    follow: (p: Common & { source?: string }) =>
      sign({ ...head('follow', p), oa_id: oaId, source: p.source ?? 'oa_profile', follower: { id: p.userId } }),
    unfollow: (p: Common & { source?: string }) =>
      sign({ ...head('unfollow', p), oa_id: oaId, source: p.source ?? 'oa_profile', follower: { id: p.userId } }),
    userSeenMessage: (p: Common & { msgIds: readonly string[] }) => sign(toUser('user_seen_message', p, { msg_ids: [...p.msgIds] })),
    userReceivedMessage: (p: Common & { msgId: string }) =>
      sign(toUser('user_received_message', p, { msg_id: p.msgId, delivery_time: p.timestamp ?? String(now()) })),
    userClickChatnow: (p: Common) => sign({ ...head('user_click_chatnow', p), oa_id: oaId, user_id: p.userId }),
    /** An echo of a text the OA sent (from any tool, e.g. OA Manager). */
    oaSendText: (p: WithMsg & { text: string }) => sign(toUser('oa_send_text', p, { msg_id: p.msgId ?? newZaloMsgId(), text: p.text })),
  };
}

export type ZaloWebhookBuilders = ReturnType<typeof createZaloWebhooks>;

/** Builders with the simulator's fake app id and OA secret key. */
export const zaloWebhook: ZaloWebhookBuilders = createZaloWebhooks();
