/**
 * A resident who types: one `Chat` per channel posts signed webhooks through the harness and
 * returns what the bot sent during that turn, read from the fakes in one shape for both channels
 * (the whole text a person sees, the buttons' payloads, links and phone numbers).
 */
import sharp from 'sharp';
import type { Harness } from '../../support/harness';

export interface Seen {
  /** Everything readable: Messenger text, or a Zalo card's title and subtitle. */
  readonly text: string;
  /** Payloads of choice buttons / quick replies (without Zalo's '#'). */
  readonly payloads: string[];
  readonly links: string[];
  readonly phones: string[];
  /** 'text', 'card' (Zalo list / Messenger button template) or 'other'. */
  readonly kind: 'text' | 'card' | 'other';
}

export interface Chat {
  readonly channel: 'messenger' | 'zalo';
  readonly userId: string;
  /** Types `text`; returns the messages the bot sent in reply. */
  say(text: string): Promise<Seen[]>;
  /** Sends `n` distinct photos in one message (Messenger: attachments; Zalo: one event). */
  photos(n: number, caption?: string): Promise<Seen[]>;
  /** Sends `n` photos as `n` separate events, posted before the worker runs. */
  photosOneByOne(n: number): Promise<Seen[]>;
  /** Everything the bot sent to this resident so far. */
  all(): Seen[];
  /** The resident's open draft, as stored. */
  draft(): Promise<Record<string, unknown> | null>;
  /** The resident's stored reports. */
  reports(): Promise<Array<{ code: string; category: string; description: string; photos: number; locale: string }>>;
}

let colour = 1;
async function photo(): Promise<Buffer> {
  const c = colour++;
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: (c * 53) % 256, g: (c * 97) % 256, b: (c * 31) % 256 } } }).jpeg().toBuffer();
}

function fromMessenger(m: { message?: { text?: string; quick_replies?: Array<{ payload?: unknown }>; attachment?: { type?: string; payload: { template_type?: string; text?: string; buttons?: Array<{ type: string; url?: string; payload?: unknown }> } } } }): Seen {
  const msg = m.message;
  const tpl = msg?.attachment?.payload;
  const buttons = tpl?.buttons ?? [];
  return {
    text: msg?.text ?? tpl?.text ?? '',
    payloads: (msg?.quick_replies ?? []).map((q) => String(q.payload ?? '')),
    links: buttons.filter((b) => b.type === 'web_url').map((b) => String(b.url)),
    phones: buttons.filter((b) => b.type === 'phone_number').map((b) => String(b.payload)),
    kind: tpl?.template_type ? 'card' : msg?.text !== undefined ? 'text' : 'other',
  };
}

function fromZalo(m: { message: unknown }): Seen {
  const msg = m.message as { text?: string; attachment?: { payload?: { template_type?: string; elements?: Array<{ title?: string; subtitle?: string }>; buttons?: Array<{ type: string; payload: unknown }> } } };
  const p = msg.attachment?.payload;
  const el = p?.elements?.[0];
  const buttons = p?.buttons ?? [];
  const payloadOf = (b: { payload: unknown }) => (typeof b.payload === 'string' ? b.payload : JSON.stringify(b.payload));
  return {
    text: msg.text ?? [el?.title, el?.subtitle].filter(Boolean).join('\n'),
    payloads: buttons.filter((b) => b.type.startsWith('oa.query')).map((b) => payloadOf(b).replace(/^#/, '')),
    links: buttons.filter((b) => b.type === 'oa.open.url').map((b) => String((b.payload as { url?: string })?.url ?? b.payload)),
    phones: buttons.filter((b) => b.type === 'oa.open.phone').map((b) => String((b.payload as { phone_code?: string })?.phone_code ?? b.payload)),
    kind: p?.template_type === 'list' ? 'card' : msg.text !== undefined ? 'text' : 'other',
  };
}

function storedQueries(h: Harness, userId: string) {
  return {
    async draft() {
      const r = await h.t.db.query<{ data: Record<string, unknown> }>('SELECT d.data FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1', [userId]);
      return r.rows[0]?.data ?? null;
    },
    async reports() {
      const r = await h.t.db.query<{ code: string; category: string; description: string; photos: number; locale: string }>(
        `SELECT code, category, description, x.locale, (SELECT count(*)::int FROM report_photos p WHERE p.report_id = x.id) AS photos
           FROM reports x JOIN residents r ON r.id = x.resident_id WHERE r.platform_user_id = $1 ORDER BY x.created_at`,
        [userId],
      );
      return r.rows;
    },
  };
}

export function messengerChat(h: Harness, psid: string): Chat {
  const seen = () => h.graph.sentMessages(psid).map((m) => fromMessenger(m as never));
  const turn = async (reqs: Array<{ body: string; headers: Record<string, string> }>): Promise<Seen[]> => {
    const before = seen().length;
    for (const req of reqs) expect((await h.postMessenger(req)).status).toBe(200);
    await h.idle();
    return seen().slice(before);
  };
  return {
    channel: 'messenger',
    userId: psid,
    say: (text) => turn([h.webhooks.text({ psid, text })]),
    photos: async (n) => turn([h.webhooks.image({ psid, urls: await Promise.all(Array.from({ length: n }, async () => h.graph.hostFile(await photo(), 'image/jpeg'))) })]),
    photosOneByOne: async (n) => turn(await Promise.all(Array.from({ length: n }, async () => h.webhooks.image({ psid, urls: [h.graph.hostFile(await photo(), 'image/jpeg')] })))),
    all: seen,
    ...storedQueries(h, psid),
  };
}

export function zaloChat(h: Harness, userId: string): Chat {
  const seen = () => h.zalo.sentMessages(userId).map((m) => fromZalo(m));
  const turn = async (reqs: Array<{ body: string; headers: Record<string, string> }>): Promise<Seen[]> => {
    const before = seen().length;
    for (const req of reqs) expect((await h.postZalo(req)).status).toBe(200);
    await h.idle();
    return seen().slice(before);
  };
  return {
    channel: 'zalo',
    userId,
    say: (text) => turn([h.zaloWebhooks.userSendText({ userId, text })]),
    photos: async (n, caption) => turn([h.zaloWebhooks.userSendImage({ userId, imageUrls: await Promise.all(Array.from({ length: n }, async () => h.zalo.hostFile(await photo(), 'image/jpeg'))), ...(caption ? { text: caption } : {}) })]),
    photosOneByOne: async (n) => turn(await Promise.all(Array.from({ length: n }, async () => h.zaloWebhooks.userSendImage({ userId, imageUrls: [h.zalo.hostFile(await photo(), 'image/jpeg')] })))),
    all: seen,
    ...storedQueries(h, userId),
  };
}

/** No two messages of one turn carry the same text. */
export function expectNoRepeats(messages: readonly Seen[]): void {
  const texts = messages.map((m) => m.text.trim()).filter(Boolean);
  expect(new Set(texts).size).toBe(texts.length);
  // …and no message repeats the beginning of another (Zalo's old "text, then a card cut off").
  for (const [i, a] of texts.entries()) {
    for (const [j, b] of texts.entries()) if (i !== j && a.length >= 30) expect(b.startsWith(a.slice(0, 30))).toBe(false);
  }
}
