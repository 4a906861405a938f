/**
 * The local simulator (`npm start` without platform credentials): a web chat at `/simulator` that
 * plays a Messenger or Zalo resident against the running app.
 *
 * Inbound: every action in the page becomes a webhook built and signed by the same builders the
 * tests use, POSTed over HTTP to the app's own `/webhooks/<channel>`, so it crosses the real
 * signature check, schema parse and inbox. Outbound: the bot talks to the in-repo fakes
 * (FakeGraphApi, FakeZaloApi); the page polls what they recorded, normalised here into one shape
 * for both channels.
 *
 * Development code only: it lives under dev/ and `main.ts` loads it only in simulator mode.
 */
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../src/logger';
import { pagePolicy } from '../../src/server/security-headers';
import type { FakeGraphApi, RecordedCall, SentMessage, Button as GraphButton } from '../fakes/fake-graph-api';
import type { FakeSentMessage, FakeTemplateMessage, FakeZaloApi, FakeZaloCall } from '../fakes/fake-zalo-api';
import type { MessengerWebhooks } from '../fakes/messenger-webhooks';
import { createZaloWebhooks, type ZaloWebhookBuilders } from '../fakes/zalo-webhooks';

export type SimChannel = 'messenger' | 'zalo';

export interface SimulatorOptions {
  /** Where the app itself listens (`http://127.0.0.1:<port>`); read on every send, so it may change after listen(). */
  readonly appBaseUrl: () => string;
  /** Messenger is offered in the page only when its fake is given. */
  readonly graph?: FakeGraphApi;
  /** Zalo is offered in the page only when its fake is given. */
  readonly zalo?: FakeZaloApi;
  /** Builders signed with the app secret the running app checks. */
  readonly messengerWebhooks?: MessengerWebhooks;
  /** Builders signed with the OA secret key the running app checks; default the fake secrets (FAKE_SECRETS). */
  readonly zaloWebhooks?: ZaloWebhookBuilders;
  readonly logger?: Logger;
  /** The development admin of the console, shown on the page so `npm start` needs nothing else. */
  readonly devAdmin?: () => { email: string; password: string } | null;
  /** Middleware in front of the simulator (a staff sign-in when real credentials are configured). */
  readonly guard?: readonly express.RequestHandler[];
  /** Prefill of the 📍 prompt; default the centre of Huế. */
  readonly center?: { readonly lat: number; readonly lng: number };
}

/** A button that sends something back. `kind` says how the page sends it. */
export interface TranscriptChoice {
  readonly title: string;
  readonly payload: string;
  /** quick_reply / postback: Messenger events; text: a plain text whose text is `payload` (Zalo `oa.query.*`). */
  readonly kind: 'quick_reply' | 'postback' | 'text';
}

export interface TranscriptElement {
  readonly title: string;
  readonly subtitle?: string;
  readonly imageUrl?: string;
  readonly action?: { readonly kind: 'text'; readonly payload: string } | { readonly kind: 'link'; readonly url: string };
}

/** One message the bot sent to the resident, the same shape for both channels. */
export interface TranscriptItem {
  readonly id: string;
  /** ISO time the fake accepted it. */
  readonly at: string;
  readonly text: string;
  readonly choices: TranscriptChoice[];
  readonly links: Array<{ title: string; url: string }>;
  readonly calls: Array<{ title: string; phone: string }>;
  /** Rows of a list or generic template. */
  readonly elements: TranscriptElement[];
  readonly image?: string;
  /** Zalo `request_user_info`: the page shows a small form that answers with `user_submit_info`. */
  readonly form?: { readonly kind: 'user_info'; readonly title: string; readonly subtitle?: string };
  /** The message exactly as the fake recorded it. */
  readonly raw: unknown;
}

/** An outbound API call for the calls panel; tokens are never included. */
export interface SimCall {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** HTTP status answered (Graph only; 0 while pending). */
  readonly status?: number;
  readonly body: unknown;
  readonly response?: unknown;
}

const SendInput = z.object({
  channel: z.enum(['messenger', 'zalo']),
  userId: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only'),
  type: z.enum(['text', 'quick_reply', 'postback', 'image', 'location', 'submit_info', 'sticker', 'follow']),
  text: z.string().max(5000).optional(),
  payload: z.string().max(1000).optional(),
  imageBase64: z.string().optional(),
  contentType: z.string().regex(/^image\/[a-z0-9.+-]+$/i, 'must be an image/* type').optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
  info: z
    .object({
      name: z.string().max(200).optional(),
      phone: z.string().max(40).optional(),
      address: z.string().max(500).optional(),
      city: z.string().max(200).optional(),
      district: z.string().max(200).optional(),
      ward: z.string().max(200).optional(),
    })
    .optional(),
});
export type SendInput = z.infer<typeof SendInput>;

/** A refusal the page shows as is (400). */
class SendError extends Error {}

const MAX_IMAGE_BYTES = 25 * 1024 * 1024;
const HUE_CENTER = { lat: 16.4637, lng: 107.5909 } as const;
const PUBLIC_DIR = path.join(__dirname, 'public');
const ASSETS: Record<string, string> = { 'app.js': 'application/javascript', 'app.css': 'text/css' };

/**
 * Mounts the simulator page and its API under `/simulator`.
 *
 * @example
 * mountSimulator(app, { appBaseUrl: () => baseUrl, graph, messengerWebhooks: createMessengerWebhooks({ appSecret, pageId }) });
 */
export function mountSimulator(app: express.Express, opts: SimulatorOptions): void {
  const zaloHooks = opts.zalo ? (opts.zaloWebhooks ?? createZaloWebhooks()) : undefined;
  const channels: SimChannel[] = [...(opts.graph ? (['messenger'] as const) : []), ...(opts.zalo ? (['zalo'] as const) : [])];
  const r = express.Router();

  const noStore = (res: Response) => res.setHeader('cache-control', 'no-store');

  r.get('/', (_req, res) => {
    noStore(res);
    res.sendFile(path.join(PUBLIC_DIR, 'index.html'));
  });
  r.get('/:asset', (req, res, next) => {
    const asset = String(req.params.asset);
    const type = ASSETS[asset];
    if (!type) return next();
    noStore(res);
    res.type(type);
    return res.sendFile(path.join(PUBLIC_DIR, asset));
  });

  r.get('/api/config', (_req, res) => {
    noStore(res);
    const admin = opts.devAdmin?.() ?? null;
    res.json({ channels, center: opts.center ?? HUE_CENTER, ...(admin ? { devAdmin: { email: admin.email, password: admin.password } } : {}) });
  });

  r.post('/api/send', express.json({ limit: '40mb' }), async (req: Request, res: Response) => {
    const parsed = SendInput.safeParse(req.body);
    if (!parsed.success) {
      return res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    }
    const input = parsed.data;
    let built: { channel: SimChannel; body: string; headers: Record<string, string>; imageUrl?: string };
    try {
      built = input.channel === 'messenger' ? buildMessenger(input) : buildZalo(input);
    } catch (err) {
      if (err instanceof SendError) return res.status(400).json({ error: err.message });
      throw err;
    }
    const url = `${opts.appBaseUrl()}/webhooks/${built.channel}`;
    let status: number;
    let answer: string;
    try {
      const out = await fetch(url, { method: 'POST', headers: built.headers, body: built.body, signal: AbortSignal.timeout(15_000) });
      status = out.status;
      answer = (await out.text()).slice(0, 500);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      opts.logger?.warn({ channel: built.channel, err: reason }, 'simulator could not reach the app webhook');
      return res.status(502).json({ error: `could not POST ${url}: ${reason}` });
    }
    opts.logger?.debug({ channel: built.channel, type: input.type, status }, 'simulator posted a webhook');
    return res.json({ status, answer, event: JSON.parse(built.body) as unknown, ...(built.imageUrl ? { imageUrl: built.imageUrl } : {}) });
  });

  r.get('/api/transcript', (req, res) => {
    const channel = channelOf(req.query.channel);
    const userId = typeof req.query.userId === 'string' ? req.query.userId : '';
    if (!channel || userId === '') return res.status(400).json({ error: 'channel (messenger|zalo) and userId are required' });
    const since = sinceOf(req.query.since);
    let items: TranscriptItem[];
    if (channel === 'messenger') {
      if (!opts.graph) return res.status(404).json({ error: 'Messenger is not simulated in this run' });
      items = opts.graph.sentMessageRecords(userId).map(messengerTranscriptItem);
    } else {
      if (!opts.zalo) return res.status(404).json({ error: 'Zalo is not simulated in this run' });
      items = [...opts.zalo.sentMessages(userId).map(zaloTranscriptItem), ...opts.zalo.templateMessages(userId).map(zaloTemplateItem)];
    }
    // `>=`: two messages can share a millisecond; the page drops the ids it already has.
    const out = items.filter((i) => Date.parse(i.at) >= since).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    noStore(res);
    return res.json(out);
  });

  r.get('/api/calls', (req, res) => {
    const channel = channelOf(req.query.channel);
    if (!channel) return res.status(400).json({ error: 'channel (messenger|zalo) is required' });
    const limit = Math.min(Math.max(Number(req.query.limit) || 200, 1), 1000);
    let calls: SimCall[];
    if (channel === 'messenger') {
      if (!opts.graph) return res.status(404).json({ error: 'Messenger is not simulated in this run' });
      calls = opts.graph.calls().map(graphCall);
    } else {
      if (!opts.zalo) return res.status(404).json({ error: 'Zalo is not simulated in this run' });
      calls = opts.zalo.calls().map(zaloCall);
    }
    noStore(res);
    return res.json(calls.slice(-limit));
  });

  // What the city published: the OA's Zalo groups and the Facebook Page, as their members see them.
  r.get('/api/posts', (_req, res) => {
    noStore(res);
    const groups = (opts.zalo?.groupList() ?? []).map((g) => ({ id: g.groupId, name: g.name, members: g.members, status: g.status }));
    const names = new Map(groups.map((g) => [g.id, g.name]));
    const posts: PublicPost[] = [];
    for (const m of opts.zalo?.groupMessages() ?? []) {
      posts.push({
        id: m.messageId,
        where: 'zalo-group',
        target: names.get(m.groupId) ?? m.groupId,
        at: m.at.toISOString(),
        text: m.text,
        images: groupImages(m.message).map((id) => `/simulator/api/zalo-image/${encodeURIComponent(id)}`),
      });
    }
    const pagePosts = opts.graph?.pagePosts() ?? [];
    const photoUrl = new Map(pagePosts.filter((p) => p.kind === 'photo').map((p) => [p.id, p.url]));
    for (const p of pagePosts) {
      if (!p.published) continue;
      const images = p.kind === 'photo' ? [p.url] : (p.attachedMedia ?? []).map((id) => photoUrl.get(id));
      posts.push({ id: p.postId ?? p.id, where: 'facebook-page', target: 'Facebook Page', at: p.at.toISOString(), text: p.message ?? '', images: images.filter((u): u is string => !!u) });
    }
    posts.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    return res.json({ groups, page: opts.graph ? { name: 'Facebook Page' } : null, posts });
  });

  r.get('/api/zalo-image/:id', (req, res) => {
    const img = opts.zalo?.uploadedImage(String(req.params.id));
    if (!img) return res.status(404).json({ error: 'no such upload' });
    res.setHeader('cache-control', 'private, max-age=3600');
    return res.type(img.type === 'png' ? 'image/png' : 'image/jpeg').send(img.data);
  });

  // The page shows photos hosted by the fakes (other loopback ports) and the resident's uploads.
  const policy = pagePolicy({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:', 'http://127.0.0.1:*', 'http://localhost:*', 'https:'],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  });
  app.use('/simulator', policy, ...(opts.guard ?? []), r);

  function buildMessenger(i: SendInput) {
    const hooks = opts.messengerWebhooks;
    const graph = opts.graph;
    if (!hooks || !graph) throw new SendError('Messenger is not simulated in this run');
    const psid = i.userId;
    let imageUrl: string | undefined;
    let req: { body: string; headers: Record<string, string> };
    switch (i.type) {
      case 'text':
        req = hooks.text({ psid, text: need(i.text, 'text') });
        break;
      case 'quick_reply': {
        const payload = need(i.payload, 'payload');
        req = hooks.quickReply({ psid, payload, text: i.text ?? payload });
        break;
      }
      case 'postback':
        req = hooks.postback({ psid, payload: need(i.payload, 'payload'), title: i.text });
        break;
      case 'follow':
        req = hooks.postback({ psid, payload: i.payload ?? 'GET_STARTED', title: i.text ?? 'Get Started' });
        break;
      case 'image':
        imageUrl = graph.hostFile(decodeImage(i), i.contentType ?? 'image/jpeg');
        req = hooks.image({ psid, urls: [imageUrl] });
        break;
      case 'location': {
        const { lat, lng } = coordinates(i);
        req = hooks.location({ psid, lat, lng });
        break;
      }
      case 'sticker':
        req = hooks.sticker({ psid });
        break;
      case 'submit_info':
        throw new SendError('submit_info is a Zalo event; Messenger has no equivalent');
    }
    // The fake keeps the 24-hour window per resident; a real Page would learn it from this event.
    graph.observeWebhook(req.body);
    return { channel: 'messenger' as const, body: req.body, headers: { ...req.headers }, imageUrl };
  }

  function buildZalo(i: SendInput) {
    if (!opts.zalo || !zaloHooks) throw new SendError('Zalo is not simulated in this run');
    const zalo = opts.zalo;
    const userId = i.userId;
    let imageUrl: string | undefined;
    let req: { body: string; headers: Record<string, string> };
    switch (i.type) {
      case 'text':
        req = zaloHooks.userSendText({ userId, text: need(i.text, 'text') });
        break;
      // Zalo has no quick replies or postbacks: an `oa.query.*` button makes the app send its payload as text.
      case 'quick_reply':
      case 'postback':
        req = zaloHooks.userSendText({ userId, text: need(i.payload ?? i.text, 'payload') });
        break;
      case 'follow':
        req = zaloHooks.follow({ userId });
        break;
      case 'image':
        imageUrl = zalo.hostFile(decodeImage(i), i.contentType ?? 'image/jpeg');
        req = zaloHooks.userSendImage({ userId, imageUrls: [imageUrl], ...(i.text ? { text: i.text } : {}) });
        break;
      case 'location': {
        const { lat, lng } = coordinates(i);
        req = zaloHooks.userSendLocation({ userId, lat, lng });
        break;
      }
      case 'sticker':
        req = zaloHooks.userSendSticker({ userId });
        break;
      case 'submit_info':
        req = zaloHooks.userSubmitInfo({ userId, info: dropEmpty(i.info ?? {}) });
        break;
    }
    // Opens the 7-day consultation window in the fake, as any user event does on Zalo.
    zalo.userInteracted(userId);
    return { channel: 'zalo' as const, body: req.body, headers: { ...req.headers }, imageUrl };
  }
}

function need(v: string | undefined, name: string): string {
  if (v === undefined || v === '') throw new SendError(`${name} is required for this type`);
  return v;
}

function coordinates(i: SendInput): { lat: number; lng: number } {
  if (i.lat === undefined || i.lng === undefined) throw new SendError('lat and lng are required for a location');
  return { lat: i.lat, lng: i.lng };
}

function decodeImage(i: SendInput): Buffer {
  const b64 = need(i.imageBase64, 'imageBase64').replace(/^data:[^,]*,/, '');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw new SendError('imageBase64 decodes to nothing');
  if (bytes.length > MAX_IMAGE_BYTES) throw new SendError(`the image is ${bytes.length} bytes; the simulator takes up to ${MAX_IMAGE_BYTES}`);
  return bytes;
}

function dropEmpty<T extends Record<string, string | undefined>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v.trim() !== '')) as T;
}

/** A post in a Zalo group or on the Page, newest first in `/api/posts`. */
export interface PublicPost {
  readonly id: string;
  readonly where: 'zalo-group' | 'facebook-page';
  /** The group's name, or "Facebook Page". */
  readonly target: string;
  readonly at: string;
  readonly text: string;
  readonly images: string[];
}

/** The attachment ids of a group media message (`attachment.payload.elements[].attachment_id`). */
function groupImages(message: Record<string, unknown>): string[] {
  const attachment = message.attachment as { payload?: { elements?: Array<{ attachment_id?: unknown }> } } | undefined;
  return (attachment?.payload?.elements ?? []).map((e) => e.attachment_id).filter((id): id is string => typeof id === 'string');
}

function channelOf(v: unknown): SimChannel | undefined {
  return v === 'messenger' || v === 'zalo' ? v : undefined;
}

/** `since` as epoch ms or an ISO time; anything else means "from the start". */
function sinceOf(v: unknown): number {
  if (typeof v !== 'string' || v === '') return 0;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : 0;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** What the page shows for a Messenger Send API message (quick replies, templates, attachments). */
export function messengerTranscriptItem(s: SentMessage): TranscriptItem {
  const m = s.body.message ?? {};
  let text = m.text ?? '';
  const choices: TranscriptChoice[] = [];
  const links: Array<{ title: string; url: string }> = [];
  const calls: Array<{ title: string; phone: string }> = [];
  const elements: TranscriptElement[] = [];
  let image: string | undefined;

  for (const q of m.quick_replies ?? []) {
    if (q.content_type === 'text') {
      const payload = str(q.payload) ?? '';
      choices.push({ title: q.title ?? payload, payload, kind: 'quick_reply' });
    } else if (q.content_type === 'user_phone_number') {
      // Messenger fills in the resident's number: the quick reply comes back with it as text and payload.
      choices.push({ title: '📞 0905123456', payload: '0905123456', kind: 'quick_reply' });
    } else if (q.content_type === 'user_email') {
      choices.push({ title: '✉️ resident@example.com', payload: 'resident@example.com', kind: 'quick_reply' });
    }
  }

  const buttons = (list: GraphButton[] | undefined) => {
    for (const b of list ?? []) {
      const title = b.title ?? '';
      if (b.type === 'web_url' && typeof b.url === 'string') links.push({ title, url: b.url });
      else if (b.type === 'postback') choices.push({ title, payload: b.payload ?? '', kind: 'postback' });
      else if (b.type === 'phone_number') calls.push({ title, phone: b.payload ?? '' });
    }
  };

  const att = m.attachment;
  if (att) {
    const p = att.payload;
    if (att.type === 'template') {
      if (typeof p.text === 'string') text = text || p.text;
      buttons(p.buttons);
      for (const e of p.elements ?? []) {
        if (p.template_type === 'media') {
          if (typeof e.url === 'string') image = e.url;
        } else {
          elements.push({
            title: e.title ?? '',
            ...(e.subtitle !== undefined ? { subtitle: e.subtitle } : {}),
            ...(e.image_url !== undefined ? { imageUrl: e.image_url } : {}),
          });
        }
        buttons(e.buttons);
      }
    } else if (att.type === 'image') {
      image = p.url ?? s.body.filedata?.url;
    } else {
      const url = p.url ?? s.body.filedata?.url;
      if (url) links.push({ title: `${att.type} attachment`, url });
    }
  }
  return { id: s.messageId, at: s.at.toISOString(), text, choices, links, calls, elements, ...(image ? { image } : {}), raw: s.body };
}

/** What the page shows for a Zalo `message/cs` message (text, list/media/request_user_info templates). */
export function zaloTranscriptItem(s: FakeSentMessage): TranscriptItem {
  const m = s.message;
  let text = str(m.text) ?? '';
  const choices: TranscriptChoice[] = [];
  const links: Array<{ title: string; url: string }> = [];
  const calls: Array<{ title: string; phone: string }> = [];
  const elements: TranscriptElement[] = [];
  let image: string | undefined;
  let form: TranscriptItem['form'];

  const att = isRecord(m.attachment) ? m.attachment : undefined;
  const p = att && isRecord(att.payload) ? att.payload : undefined;
  const els = (Array.isArray(p?.elements) ? p.elements : []).filter(isRecord);
  switch (p?.template_type) {
    case 'list':
      for (const e of els) {
        const action = zaloAction(e.default_action);
        elements.push({
          title: str(e.title) ?? '',
          ...(str(e.subtitle) !== undefined ? { subtitle: str(e.subtitle) } : {}),
          ...(str(e.image_url) !== undefined ? { imageUrl: str(e.image_url) } : {}),
          ...(action ? { action } : {}),
        });
      }
      for (const b of (Array.isArray(p.buttons) ? p.buttons : []).filter(isRecord)) {
        const title = str(b.title) ?? '';
        const payload = b.payload;
        if (b.type === 'oa.query.hide' || b.type === 'oa.query.show') {
          choices.push({ title, payload: str(payload) ?? '', kind: 'text' });
        } else if (b.type === 'oa.open.url') {
          const url = isRecord(payload) ? str(payload.url) : (str(payload) ?? str(b.url));
          if (url) links.push({ title, url });
        } else if (b.type === 'oa.open.phone' || b.type === 'oa.open.sms') {
          const phone = isRecord(payload) ? str(payload.phone_code) : str(payload);
          if (phone) calls.push({ title, phone });
        }
      }
      break;
    case 'media': {
      const first = els[0];
      image = str(first?.url);
      if (!image && !text) text = '[image uploaded to Zalo]';
      break;
    }
    case 'request_user_info': {
      const first = els[0];
      const title = str(first?.title) ?? '';
      const subtitle = str(first?.subtitle);
      form = { kind: 'user_info', title, ...(subtitle !== undefined ? { subtitle } : {}) };
      if (!text) text = [title, subtitle].filter(Boolean).join('\n');
      break;
    }
    default:
      break;
  }
  return { id: s.messageId, at: s.at.toISOString(), text, choices, links, calls, elements, ...(image ? { image } : {}), ...(form ? { form } : {}), raw: m };
}

/** A ZBS template message (billed notification outside the window), shown as its data. */
export function zaloTemplateItem(t: FakeTemplateMessage): TranscriptItem {
  const lines = Object.entries(t.templateData).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return {
    id: t.messageId,
    at: t.at.toISOString(),
    text: [`[ZBS template ${t.templateId}]`, ...lines].join('\n'),
    choices: [],
    links: [],
    calls: [],
    elements: [],
    raw: { template_id: t.templateId, template_data: t.templateData },
  };
}

function zaloAction(a: unknown): TranscriptElement['action'] {
  if (!isRecord(a)) return undefined;
  if (a.type === 'oa.open.url') {
    const url = str(a.url) ?? (isRecord(a.payload) ? str(a.payload.url) : undefined);
    return url ? { kind: 'link', url } : undefined;
  }
  if (a.type === 'oa.query.hide' || a.type === 'oa.query.show') {
    const payload = str(a.payload);
    return payload ? { kind: 'text', payload } : undefined;
  }
  return undefined;
}

function graphCall(c: RecordedCall, i: number): SimCall {
  // The Graph fake already replaces access_token and appsecret_proof in `query`.
  return { seq: i + 1, at: c.at.toISOString(), method: c.method, path: c.path, query: c.query, status: c.status, body: c.body, response: c.response };
}

const SECRET_FIELDS = new Set(['access_token', 'refresh_token', 'secret_key', 'code_verifier', 'app_secret']);

function zaloCall(c: FakeZaloCall, i: number): SimCall {
  // The Zalo fake keeps the token apart (`token`) and leaves the OAuth form as sent: drop both here.
  const query = Object.fromEntries(Object.entries(c.query).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]));
  const body = isRecord(c.body) ? Object.fromEntries(Object.entries(c.body).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v])) : c.body;
  return { seq: i + 1, at: c.at.toISOString(), method: c.method, path: c.path, query, body };
}
