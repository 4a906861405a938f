/**
 * Builders for signed Messenger webhook requests, shaped like Meta's (reference Part 3 §3.2):
 * envelope `{ object: 'page', entry: [{ id: PAGE_ID, time, messaging: [event] }] }`, snake_case,
 * signed with `x-hub-signature-256: sha256=<hex HMAC-SHA256(appSecret, raw body)>`.
 *
 * Post `body` exactly as returned (the signature covers those bytes). No jest imports: the simulator
 * uses these at runtime.
 */
import crypto from 'node:crypto';
import { FAKE_GRAPH_DEFAULTS } from './fake-graph-api';

/** One item of an entry's `messaging` array. */
export interface MessengerEvent {
  sender: { id: string };
  recipient: { id: string };
  timestamp?: number;
  message?: Record<string, unknown>;
  postback?: Record<string, unknown>;
  delivery?: Record<string, unknown>;
  read?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface MessengerWebhookBody {
  object: 'page';
  entry: Array<{ id: string; time: number; messaging: MessengerEvent[] }>;
}

export interface SignedWebhookRequest {
  /** Raw JSON, exactly as it must be sent. */
  body: string;
  headers: { 'content-type': 'application/json'; 'x-hub-signature-256': string };
  /** The same payload, parsed, for assertions. */
  json: MessengerWebhookBody;
}

export interface MessengerWebhooksOptions {
  appSecret: string;
  pageId: string;
}

/** Fields every builder accepts. */
interface Common {
  psid: string;
  /** Page the event is addressed to; defaults to the factory's pageId. */
  pageId?: string;
  /** Event time in ms; defaults to Date.now(). */
  timestamp?: number;
}

interface WithMid extends Common {
  mid?: string;
}

/** A fresh message id in Meta's style. */
export const newMid = (): string => `m_${crypto.randomBytes(24).toString('base64url')}`;

/** `sha256=<hex>` signature of a raw body. */
export function signMessengerBody(appSecret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}

/**
 * Creates builders bound to an app secret and Page id.
 *
 * @example
 * const hooks = createMessengerWebhooks({ appSecret, pageId });
 * const req = hooks.text({ psid: '123', text: 'Đèn đường hỏng' });
 * await request(app).post('/webhooks/messenger').set(req.headers).send(req.body);
 */
export function createMessengerWebhooks(options: MessengerWebhooksOptions) {
  const { appSecret } = options;

  const base = (o: Common): Pick<MessengerEvent, 'sender' | 'recipient' | 'timestamp'> => ({
    sender: { id: o.psid },
    recipient: { id: o.pageId ?? options.pageId },
    timestamp: o.timestamp ?? Date.now(),
  });

  /** Signs an arbitrary raw body (for hand-written or fixture payloads). */
  const signRaw = (body: string): SignedWebhookRequest => ({
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(appSecret, body) },
    json: JSON.parse(body) as MessengerWebhookBody,
  });

  // The Page is the recipient of inbound events and the sender of echoes.
  const pageOf = (event: MessengerEvent): string =>
    event.message?.is_echo === true ? event.sender.id : event.recipient.id;

  const entryFor = (event: MessengerEvent): MessengerWebhookBody['entry'][number] => ({
    id: pageOf(event),
    time: event.timestamp ?? Date.now(),
    messaging: [event],
  });

  /** Wraps one event in the page envelope and signs it. */
  const event = (ev: MessengerEvent): SignedWebhookRequest =>
    signRaw(JSON.stringify({ object: 'page', entry: [entryFor(ev)] } satisfies MessengerWebhookBody));

  return {
    pageId: options.pageId,
    event,
    signRaw,

    /** A resident types text. */
    text(o: WithMid & { text: string }): SignedWebhookRequest {
      return event({ ...base(o), message: { mid: o.mid ?? newMid(), text: o.text } });
    },

    /** A resident taps a quick reply: `text` is the button title, `payload` is ours. */
    quickReply(o: WithMid & { text: string; payload: string }): SignedWebhookRequest {
      return event({
        ...base(o),
        message: { mid: o.mid ?? newMid(), text: o.text, quick_reply: { payload: o.payload } },
      });
    },

    /** A resident taps a button, Get Started or a persistent-menu item. */
    postback(o: WithMid & { payload: string; title?: string; referral?: Record<string, unknown> }): SignedWebhookRequest {
      return event({
        ...base(o),
        postback: {
          mid: o.mid ?? newMid(),
          title: o.title ?? o.payload,
          payload: o.payload,
          ...(o.referral ? { referral: o.referral } : {}),
        },
      });
    },

    /** A resident sends one or more photos (one message, several attachments). */
    image(o: WithMid & { urls: string[] }): SignedWebhookRequest {
      return event({
        ...base(o),
        message: { mid: o.mid ?? newMid(), attachments: o.urls.map((url) => ({ type: 'image', payload: { url } })) },
      });
    },

    /**
     * Legacy location share: attachment type 'location' with payload.coordinates {lat, long}.
     * Meta stopped sending it (reference §3.2); kept so the fallback path can be tested.
     */
    location(o: WithMid & { lat: number; lng: number; title?: string }): SignedWebhookRequest {
      return event({
        ...base(o),
        message: {
          mid: o.mid ?? newMid(),
          attachments: [
            {
              type: 'location',
              title: o.title ?? 'Pinned Location',
              url: `https://www.bing.com/maps/default.aspx?v=2&pc=FACEBOOK&mid=8100&where1=${o.lat}%2C+${o.lng}&FORM=FBKPL1&mkt=en-US`,
              payload: { coordinates: { lat: o.lat, long: o.lng } },
            },
          ],
        },
      });
    },

    /** A sticker: an image attachment with sticker_id (369239263222822 is the thumbs-up). */
    sticker(o: WithMid & { stickerId?: number; url?: string }): SignedWebhookRequest {
      const stickerId = o.stickerId ?? 369239263222822;
      return event({
        ...base(o),
        message: {
          mid: o.mid ?? newMid(),
          sticker_id: stickerId,
          attachments: [
            {
              type: 'image',
              payload: { url: o.url ?? 'https://scontent.xx.fbcdn.net/v/t39.1997-6/sticker.png', sticker_id: stickerId },
            },
          ],
        },
      });
    },

    /** A resident sends a file (PDF, document…). */
    file(o: WithMid & { url: string }): SignedWebhookRequest {
      return event({
        ...base(o),
        message: { mid: o.mid ?? newMid(), attachments: [{ type: 'file', payload: { url: o.url } }] },
      });
    },

    /** Echo of a message the Page sent (sender is the Page, recipient the resident). */
    echo(o: WithMid & { text: string; appId?: string; metadata?: string }): SignedWebhookRequest {
      const pageId = o.pageId ?? options.pageId;
      return event({
        sender: { id: pageId },
        recipient: { id: o.psid },
        timestamp: o.timestamp ?? Date.now(),
        message: {
          is_echo: true,
          // Meta sends app_id as a JSON number; app ids stay below 2^53, so this is lossless.
          app_id: Number(o.appId ?? FAKE_GRAPH_DEFAULTS.appId),
          mid: o.mid ?? newMid(),
          text: o.text,
          ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
        },
      });
    },

    /** Delivery receipt for messages the Page sent (Meta's example carries no timestamp). */
    delivery(o: Omit<Common, 'timestamp'> & { mids?: string[]; watermark?: number }): SignedWebhookRequest {
      return event({
        sender: { id: o.psid },
        recipient: { id: o.pageId ?? options.pageId },
        delivery: { mids: o.mids ?? [], watermark: o.watermark ?? Date.now() },
      });
    },

    /** The resident read everything up to `watermark`. */
    read(o: Common & { watermark?: number }): SignedWebhookRequest {
      const b = base(o);
      return event({ ...b, read: { watermark: o.watermark ?? b.timestamp } });
    },

    /**
     * Several events in one POST, one entry each (as Meta batches). Accepts built requests (their
     * entries are reused) or raw events.
     */
    batch(items: Array<SignedWebhookRequest | MessengerEvent>): SignedWebhookRequest {
      const entry = items.flatMap((item) =>
        'body' in item && typeof item.body === 'string'
          ? (JSON.parse(item.body) as MessengerWebhookBody).entry
          : [entryFor(item as MessengerEvent)],
      );
      return signRaw(JSON.stringify({ object: 'page', entry } satisfies MessengerWebhookBody));
    },
  };
}

export type MessengerWebhooks = ReturnType<typeof createMessengerWebhooks>;

/** Builders signed with `FAKE_GRAPH_DEFAULTS` (the simulator's and tests' default credentials). */
export const messengerWebhook: MessengerWebhooks = createMessengerWebhooks({
  appSecret: FAKE_GRAPH_DEFAULTS.appSecret,
  pageId: FAKE_GRAPH_DEFAULTS.pageId,
});
