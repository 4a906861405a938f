/**
 * Typed client for the Zalo Official Account OpenAPI (reference/zalo-oa.md). Node 20 `fetch`,
 * `FormData` and `Blob` only. Every failure is a {@link PlatformApiError} whose `action` says what
 * the caller should do; transient failures and token refreshes are handled here already.
 */
import { z } from 'zod';
import { PlatformApiError } from '../../domain/shared/errors';
import { zaloLocalError } from './zalo-errors';
import { ZaloHttp } from './zalo-http';
import { TokenBucket } from './zalo-rate-limiter';
import { normalizeText, splitText } from '../../domain/shared/split-text';
import { ZALO_LIMITS } from './zalo-limits';
import { ZaloTokenManager } from './zalo-token-manager';
import type {
  ZaloButton,
  ZaloDefaultAction,
  ZaloImageRef,
  ZaloListMessage,
  ZaloOaClientOptions,
  ZaloRequestUserInfo,
  ZaloTemplateData,
  ZaloUserDetail,
  ZaloUserQuota,
} from './types';

/**
 * Largest image Zalo accepts for upload (JPG/PNG "≤ 1 MB", reference §3.6). Whether Zalo means
 * 10^6 or 2^20 bytes is not documented; we take the smaller so an accepted image is never refused.
 */
export const ZALO_IMAGE_MAX_BYTES = ZALO_LIMITS.imageBytes;
export const ZALO_LIST_MAX_ELEMENTS = ZALO_LIMITS.listElements;
export const ZALO_LIST_MAX_BUTTONS = ZALO_LIMITS.listButtons;

const IMAGE_TYPES: Readonly<Record<string, 'jpeg' | 'png'>> = { 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/png': 'png' };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ZaloOaClient {
  private readonly http: ZaloHttp;
  private readonly now: () => number;
  private readonly logger: ZaloOaClientOptions['logger'];

  constructor(o: ZaloOaClientOptions) {
    for (const key of ['appId', 'appSecret', 'oaId'] as const) {
      if (typeof o[key] !== 'string' || o[key].trim() === '') throw new Error(`ZaloOaClient: ${key} is empty; set the matching ZALO_* setting in .env`);
    }
    this.now = o.now ?? Date.now;
    this.logger = o.logger;
    const f = o.fetch ?? globalThis.fetch;
    const sleep = o.sleep ?? realSleep;
    const timeoutMs = o.timeoutMs ?? 15_000;
    const tokens = new ZaloTokenManager({
      appId: o.appId,
      appSecret: o.appSecret,
      oaId: o.oaId,
      oauthUrl: trimSlash(o.oauthUrl ?? 'https://oauth.zaloapp.com'),
      store: o.tokenStore,
      initialRefreshToken: o.initialRefreshToken,
      initialAccessToken: o.initialAccessToken,
      fetch: f,
      now: this.now,
      logger: o.logger,
      refreshMarginMs: o.refreshMarginMs ?? 60 * 60 * 1000,
      timeoutMs,
    });
    this.http = new ZaloHttp({
      apiUrl: trimSlash(o.apiUrl ?? 'https://openapi.zalo.me'),
      fetch: f,
      now: this.now,
      sleep,
      random: o.random ?? Math.random,
      logger: o.logger,
      limiter: new TokenBucket({ perMinute: o.requestsPerMinute ?? 4000, now: this.now, sleep }),
      tokens,
      maxAttempts: Math.max(1, o.retry?.maxAttempts ?? 5),
      baseDelayMs: o.retry?.baseDelayMs ?? 1000,
      maxDelayMs: o.retry?.maxDelayMs ?? 60_000,
      timeoutMs,
    });
  }

  /**
   * Sends a consultation text (`POST /v3.0/oa/message/cs`). The text is NFC-normalised and split into
   * messages of at most 2,000 characters at paragraph, sentence or word boundaries, sent in order.
   * Returns the message ids, one per part. Needs an open 7-day window (else action 'window-closed').
   */
  async sendText(userId: string, text: string, opts: { quoteMessageId?: string } = {}): Promise<string[]> {
    requireId('sendText', 'userId', userId);
    const parts = splitText(text, ZALO_LIMITS.text);
    if (parts.length === 0) throw zaloLocalError('sendText', 'local-empty-text', 'text is empty');
    const ids: string[] = [];
    for (const [i, part] of parts.entries()) {
      const message: Record<string, unknown> = { text: part };
      if (i === 0 && opts.quoteMessageId !== undefined) message.quote_message_id = opts.quoteMessageId;
      try {
        ids.push(await this.sendMessage('sendText', userId, message));
      } catch (err: unknown) {
        if (ids.length > 0) this.logger?.warn({ sentParts: ids.length, totalParts: parts.length }, 'zalo text only partly sent');
        throw err;
      }
    }
    return ids;
  }

  /** Sends one image by public URL or uploaded attachment id, with an optional caption (≤ 2,000 chars). */
  async sendImage(userId: string, image: ZaloImageRef, caption?: string): Promise<string> {
    requireId('sendImage', 'userId', userId);
    const element: Record<string, unknown> =
      'attachmentId' in image ? { media_type: 'image', attachment_id: image.attachmentId } : { media_type: 'image', url: image.url };
    const message: Record<string, unknown> = {
      attachment: { type: 'template', payload: { template_type: 'media', elements: [element] } },
    };
    if (caption !== undefined && normalizeText(caption) !== '') message.text = checkedText('sendImage', caption);
    return this.sendMessage('sendImage', userId, message);
  }

  /**
   * Uploads a JPG or PNG (`POST /v2.0/oa/upload/image`, multipart field `file`) and returns its
   * `attachment_id` (expires after some days; upload just before sending). Refuses locally images over
   * {@link ZALO_IMAGE_MAX_BYTES} or of another type: the caller re-encodes (media's fitImageForZalo).
   */
  async uploadImage(buffer: Buffer | Uint8Array, filename: string, contentType: string): Promise<string> {
    const declared = IMAGE_TYPES[contentType.toLowerCase().split(';')[0]?.trim() ?? ''];
    const actual = sniffImage(buffer);
    if (declared === undefined || actual === undefined || declared !== actual) {
      throw zaloLocalError(
        'uploadImage',
        'local-image-type',
        `Zalo accepts only JPG or PNG images (declared ${contentType}, content ${actual ?? 'unknown'}); re-encode before uploading`,
      );
    }
    if (buffer.byteLength > ZALO_IMAGE_MAX_BYTES) {
      throw zaloLocalError(
        'uploadImage',
        'local-image-too-large',
        `image is ${buffer.byteLength} bytes; Zalo accepts at most ${ZALO_IMAGE_MAX_BYTES}; shrink it (fitImageForZalo) before uploading`,
      );
    }
    const bytes = new Uint8Array(buffer); // a copy backed by a plain ArrayBuffer, as Blob wants
    const data = await this.http.call({
      name: 'uploadImage',
      method: 'POST',
      path: '/v2.0/oa/upload/image',
      multipart: () => {
        const form = new FormData();
        form.append('file', new Blob([bytes], { type: contentType }), filename);
        return form;
      },
      // An upload that went through twice only wastes an attachment id.
      idempotent: true,
    });
    return requireString('uploadImage', data, 'attachment_id');
  }

  /**
   * Sends a list template (FAQ menus): up to 5 elements and 5 buttons. `text`, if given, travels in
   * `message.text` next to the attachment, like an image caption. Zalo may refuse list templates on
   * the consultation endpoint (-233 → action 'give-up'); fall back to plain text then.
   */
  async sendList(userId: string, list: ZaloListMessage): Promise<string> {
    requireId('sendList', 'userId', userId);
    if (list.elements.length === 0 || list.elements.length > ZALO_LIST_MAX_ELEMENTS) {
      throw zaloLocalError('sendList', 'local-list-elements', `a list needs 1 to ${ZALO_LIST_MAX_ELEMENTS} elements, got ${list.elements.length}`);
    }
    if (list.buttons.length > ZALO_LIST_MAX_BUTTONS) {
      throw zaloLocalError('sendList', 'local-list-buttons', `a list takes at most ${ZALO_LIST_MAX_BUTTONS} buttons, got ${list.buttons.length}`);
    }
    const elements = list.elements.map((e) => {
      const out: Record<string, unknown> = { title: e.title };
      if (e.subtitle !== undefined) out.subtitle = e.subtitle;
      if (e.imageUrl !== undefined) out.image_url = e.imageUrl;
      if (e.defaultAction !== undefined) out.default_action = wireDefaultAction(e.defaultAction);
      return out;
    });
    const payload: Record<string, unknown> = { template_type: 'list', elements };
    if (list.buttons.length > 0) payload.buttons = list.buttons.map(wireButton);
    const message: Record<string, unknown> = { attachment: { type: 'template', payload } };
    if (list.text !== undefined && normalizeText(list.text) !== '') message.text = checkedText('sendList', list.text);
    return this.sendMessage('sendList', userId, message);
  }

  /** Asks the resident to share name, phone and address; the answer arrives as `user_submit_info`. */
  async sendRequestUserInfo(userId: string, req: ZaloRequestUserInfo): Promise<string> {
    requireId('sendRequestUserInfo', 'userId', userId);
    const message = {
      attachment: {
        type: 'template',
        payload: {
          template_type: 'request_user_info',
          elements: [{ title: req.title, subtitle: req.subtitle, image_url: req.imageUrl }],
        },
      },
    };
    return this.sendMessage('sendRequestUserInfo', userId, message);
  }

  /** Profile of one resident (`GET /v3.0/oa/user/detail`). */
  async getUserDetail(userId: string): Promise<ZaloUserDetail> {
    requireId('getUserDetail', 'userId', userId);
    const data = await this.http.call({
      name: 'getUserDetail',
      method: 'GET',
      path: '/v3.0/oa/user/detail',
      query: { data: JSON.stringify({ user_id: userId }) },
      idempotent: true,
    });
    const parsed = UserDetailWire.safeParse(data);
    if (!parsed.success) throw invalidAnswer('getUserDetail', 'user detail');
    const d = parsed.data;
    const s = d.shared_info;
    return {
      userId: d.user_id ?? userId,
      userIdByApp: d.user_id_by_app,
      displayName: d.display_name,
      avatar: d.avatar,
      isFollower: d.user_is_follower,
      isSensitive: d.is_sensitive,
      lastInteractionDate: d.user_last_interaction_date,
      sharedInfo:
        s === undefined || s === null
          ? undefined
          : dropUndefined({ name: s.name, phone: s.phone, address: s.address, city: s.city, district: s.district, ward: s.ward }),
      raw: data,
    };
  }

  /** When the resident last interacted with the OA (`POST /v3.0/oa/quota/message`), to pick a route. */
  async getUserQuota(userId: string): Promise<ZaloUserQuota> {
    requireId('getUserQuota', 'userId', userId);
    const data = await this.http.call({
      name: 'getUserQuota',
      method: 'POST',
      path: '/v3.0/oa/quota/message',
      json: { user_id: userId },
      idempotent: true,
    });
    const raw = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).last_interaction : undefined;
    return { lastInteraction: parseInstant(raw), raw: data };
  }

  /**
   * Sends an approved ZBS template to a resident by OA user id (`POST /v3.0/oa/message/template`,
   * reference §7; flat `user_id` as most implementations send it). Not bound to the 7-day window;
   * billed per message.
   */
  async sendTemplateByUserId(userId: string, templateId: string, templateData: ZaloTemplateData): Promise<string> {
    requireId('sendTemplateByUserId', 'userId', userId);
    requireId('sendTemplateByUserId', 'templateId', templateId);
    const data = await this.http.call({
      name: 'sendTemplateByUserId',
      method: 'POST',
      path: '/v3.0/oa/message/template',
      json: { user_id: userId, template_id: templateId, template_data: templateData },
      idempotent: false,
    });
    return messageIdOf('sendTemplateByUserId', data);
  }

  // ── Group Message Framework (reference §4): groups the OA created ──

  /** The OA's groups, a page at a time (`GET /v3.0/oa/group/getgroupsofoa`). */
  async listGroups(offset = 0, count = 50): Promise<{ total: number; groups: ZaloGroup[] }> {
    const data = await this.http.call({ name: 'listGroups', method: 'GET', path: '/v3.0/oa/group/getgroupsofoa', query: { offset: String(offset), count: String(count) }, idempotent: true });
    const o = asRecord(data);
    const raw = Array.isArray(o.groups) ? o.groups : [];
    return { total: typeof o.total === 'number' ? o.total : raw.length, groups: raw.map((g) => groupOf(asRecord(g))).filter((g): g is ZaloGroup => g !== null) };
  }

  /** One group with its status and asset (`GET /v3.0/oa/group/getgroup`). */
  async getGroup(groupId: string): Promise<ZaloGroup> {
    requireId('getGroup', 'groupId', groupId);
    const data = await this.http.call({ name: 'getGroup', method: 'GET', path: '/v3.0/oa/group/getgroup', query: { group_id: groupId }, idempotent: true });
    const o = asRecord(data);
    const info = asRecord(o.group_info ?? o);
    const asset = asRecord(o.asset_info);
    const g = groupOf(info);
    if (!g) throw invalidAnswer('getGroup', 'group');
    const validThrough = parseInstant(asset.valid_through);
    return { ...g, assetValidThrough: validThrough };
  }

  /**
   * Posts an image (uploaded attachment id or public URL) with a caption into a group
   * (`POST /v3.0/oa/group/message`). Not idempotent on Zalo's side: the caller looks the post up
   * before retrying an uncertain send. Returns the group message's `message_id`.
   */
  async sendGroupImage(groupId: string, image: ZaloImageRef, caption: string): Promise<string> {
    requireId('sendGroupImage', 'groupId', groupId);
    const element: Record<string, unknown> = 'attachmentId' in image ? { media_type: 'image', attachment_id: image.attachmentId } : { media_type: 'image', url: image.url };
    const message: Record<string, unknown> = { attachment: { type: 'template', payload: { template_type: 'media', elements: [element] } } };
    if (normalizeText(caption) !== '') message.text = checkedText('sendGroupImage', caption);
    const data = await this.http.call({ name: 'sendGroupImage', method: 'POST', path: '/v3.0/oa/group/message', json: { recipient: { group_id: groupId }, message }, idempotent: false });
    return messageIdOf('sendGroupImage', data);
  }

  /** A text into a group. */
  async sendGroupText(groupId: string, text: string): Promise<string> {
    requireId('sendGroupText', 'groupId', groupId);
    const data = await this.http.call({ name: 'sendGroupText', method: 'POST', path: '/v3.0/oa/group/message', json: { recipient: { group_id: groupId }, message: { text: checkedText('sendGroupText', text) } }, idempotent: false });
    return messageIdOf('sendGroupText', data);
  }

  /**
   * A group's recent messages, newest first (`GET /v3.0/oa/group/conversation`). The answer's shape
   * is not documented: `data` is read as a list of messages whose text sits in `message` or `text`,
   * with `message_id`; `raw` is the answer as received (the first one is logged by the caller).
   */
  async groupConversation(groupId: string, offset = 0, count = 20): Promise<{ messages: Array<{ messageId: string; text: string }>; raw: unknown }> {
    requireId('groupConversation', 'groupId', groupId);
    const data = await this.http.call({ name: 'groupConversation', method: 'GET', path: '/v3.0/oa/group/conversation', query: { group_id: groupId, offset: String(offset), count: String(count) }, idempotent: true });
    const list = Array.isArray(data) ? data : Array.isArray(asRecord(data).messages) ? (asRecord(data).messages as unknown[]) : [];
    const messages = list.flatMap((m) => {
      const r = asRecord(m);
      const id = r.message_id ?? r.msg_id;
      const text = typeof r.message === 'string' ? r.message : typeof r.text === 'string' ? r.text : '';
      return typeof id === 'string' || typeof id === 'number' ? [{ messageId: String(id), text }] : [];
    });
    return { messages, raw: data };
  }

  /** OA profile (`GET /v2.0/oa/getoa`): a cheap health check that the token works. */
  async getOaInfo(): Promise<{ oaId: string | undefined; name: string | undefined; raw: unknown }> {
    const data = await this.http.call({ name: 'getOaInfo', method: 'GET', path: '/v2.0/oa/getoa', idempotent: true });
    const o = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    const id = o.oaid ?? o.oa_id;
    return { oaId: typeof id === 'string' ? id : undefined, name: typeof o.name === 'string' ? o.name : undefined, raw: data };
  }

  private async sendMessage(name: string, userId: string, message: Record<string, unknown>): Promise<string> {
    const data = await this.http.call({
      name,
      method: 'POST',
      path: '/v3.0/oa/message/cs',
      json: { recipient: { user_id: userId }, message },
      idempotent: false,
    });
    return messageIdOf(name, data);
  }
}

// Lenient on purpose: a field of an unexpected type is dropped rather than failing the whole call.
const optStr = z.unknown().transform((v) => (typeof v === 'string' && v !== '' ? v : undefined)).optional();
const optBool = z.unknown().transform((v) => (typeof v === 'boolean' ? v : undefined)).optional();
const UserDetailWire = z.object({
  user_id: optStr,
  user_id_by_app: optStr,
  display_name: optStr,
  avatar: optStr,
  user_is_follower: optBool,
  is_sensitive: optBool,
  user_last_interaction_date: optStr,
  shared_info: z
    .object({ name: optStr, phone: optStr, address: optStr, city: optStr, district: optStr, ward: optStr })
    .nullish()
    .catch(undefined),
});

/** A group the OA created (GMF). `status` is Zalo's: `enabled`, or `disabled` when its asset expired. */
export interface ZaloGroup {
  readonly groupId: string;
  readonly name: string;
  readonly status: string;
  readonly members: number;
  readonly link: string | undefined;
  readonly assetValidThrough?: Date | null;
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function groupOf(o: Record<string, unknown>): ZaloGroup | null {
  const id = o.group_id;
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  return {
    groupId: String(id),
    name: typeof o.name === 'string' ? o.name : String(id),
    status: typeof o.status === 'string' ? o.status : 'unknown',
    members: typeof o.total_member === 'number' ? o.total_member : 0,
    link: typeof o.group_link === 'string' ? o.group_link : undefined,
  };
}

function wireButton(b: ZaloButton): Record<string, unknown> {
  switch (b.type) {
    case 'oa.query.show':
    case 'oa.query.hide':
      return { title: b.title, type: b.type, payload: b.payload };
    case 'oa.open.url':
      return { title: b.title, type: b.type, payload: { url: b.payload } };
    case 'oa.open.phone':
      return { title: b.title, type: b.type, payload: { phone_code: b.payload } };
  }
}

function wireDefaultAction(a: ZaloDefaultAction): Record<string, unknown> {
  return a.type === 'oa.open.url' ? { type: a.type, url: a.url } : { type: a.type, payload: a.payload };
}

function checkedText(method: string, text: string): string {
  const t = normalizeText(text);
  if (t.length > ZALO_LIMITS.text) throw zaloLocalError(method, 'local-text-too-long', `text is ${t.length} characters; Zalo allows ${ZALO_LIMITS.text}`);
  return t;
}

function requireId(method: string, what: string, id: string): void {
  if (typeof id !== 'string' || id.trim() === '') throw zaloLocalError(method, 'local-missing-id', `${what} is empty`);
}

function invalidAnswer(method: string, what: string): PlatformApiError {
  return new PlatformApiError({ platform: 'zalo', method, code: 'invalid-answer', action: 'give-up', message: `unexpected ${what} shape` });
}

/** Ids stay strings; a numeric id (never documented) is turned back into its digits, not parsed. */
function requireString(method: string, data: unknown, key: string): string {
  const v = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  throw invalidAnswer(method, `answer without ${key}`);
}

function messageIdOf(method: string, data: unknown): string {
  const o = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  return requireString(method, { message_id: o.message_id ?? o.msg_id }, 'message_id');
}

/** Epoch milliseconds (string or number; seconds if it looks like seconds) or an ISO date. */
function parseInstant(v: unknown): Date | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return new Date(v < 1e11 ? v * 1000 : v);
  if (typeof v === 'string' && v.trim() !== '') {
    const s = v.trim();
    if (/^\d+$/.test(s)) return parseInstant(Number(s));
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : new Date(t);
  }
  return null;
}

function sniffImage(b: Uint8Array): 'jpeg' | 'png' | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  return undefined;
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}
