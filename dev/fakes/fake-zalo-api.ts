/**
 * FakeZaloApi: a local HTTP server that answers like Zalo's OAuth host (`/v4/oa/access_token`) and
 * OpenAPI host (`/v3.0/oa/*`, `/v2.0/oa/*`) at once, plus a fake CDN for webhook image URLs.
 *
 * It enforces what the bot must cope with (reference/zalo-oa.md): the `access_token` header, single-use
 * rotating refresh tokens, the 2,000-character text cap, list caps, JPG/PNG ≤ 1 MB uploads and the
 * 7-day consultation window, and it fails on demand (`failNext`). It records every API call.
 * No jest imports: the simulator runs it too.
 *
 * OAuth error codes for a refused refresh are not documented by Zalo; the ones here are invented.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_SECRETS } from '../fake-credentials';

/** 'lost-answer': the call is applied, then its answer is held `hangMs` (the caller cannot tell). */
export type FakeZaloFailure = 'rate-limit' | 'invalid-token' | 'server' | 'window' | 'reject-template' | 'lost-answer';

/** A group the OA created (GMF), as the fake keeps it. */
export interface FakeGroup {
  readonly groupId: string;
  name: string;
  status: 'enabled' | 'disabled';
  members: number;
  /** False: the OA is not (any more) in the group: posts answer -403. */
  oaInGroup: boolean;
  assetValidThrough: number | null;
}

export interface FakeGroupMessage {
  readonly groupId: string;
  readonly messageId: string;
  readonly text: string;
  readonly message: Record<string, unknown>;
  readonly at: Date;
}

export interface FakeZaloApiOptions {
  readonly appId?: string;
  readonly appSecret?: string;
  /** The refresh token the fake accepts first (default the simulator's). */
  readonly refreshToken?: string;
  /** An access token valid from the start (default none: the client must refresh first). */
  readonly accessToken?: string;
  /** Lifetime announced in `expires_in` (Zalo: 90000 s). */
  readonly accessTokenTtlSeconds?: number;
  /** Refuse consultation messages to users the fake has never seen interact. Default false. */
  readonly strictWindow?: boolean;
  readonly windowDays?: number;
  readonly imageMaxBytes?: number;
  readonly requestsPerMinute?: number;
  readonly now?: () => number;
  /** How long a 'lost-answer' failure holds the answer (default 10 s). */
  readonly hangMs?: number;
}

/** One recorded request. `headers` never contain the access token; it is in `token`. */
export interface FakeZaloCall {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** The `access_token` header, if any. */
  readonly token: string | undefined;
  /** Parsed JSON, form fields, or for uploads `{ file: { name, type, size } }`. */
  readonly body: unknown;
  readonly at: Date;
}

export interface FakeSentMessage {
  readonly userId: string;
  readonly messageId: string;
  /** The `message` object of the accepted `message/cs` body, as sent. */
  readonly message: Record<string, unknown>;
  readonly at: Date;
}

export interface FakeTemplateMessage {
  readonly userId: string;
  readonly messageId: string;
  readonly templateId: string;
  readonly templateData: Record<string, unknown>;
  readonly at: Date;
}

export interface FakeUserProfile {
  readonly displayName?: string;
  readonly isFollower?: boolean;
  readonly sharedInfo?: Record<string, string>;
}

interface Envelope {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: { contentType: string; bytes: Buffer };
}

const MSG_CS = '/v3.0/oa/message/cs';
const TEXT_MAX = 2000;
const LIST_MAX_ELEMENTS = 5;
const LIST_MAX_BUTTONS = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

const ok = (data: unknown): Envelope => ({ json: { error: 0, message: 'Success', data } });
const fail = (error: number, message: string): Envelope => ({ json: { error, message } });

/** Events: 'call' (FakeZaloCall) for every recorded API call — the simulator shows them. */
export class FakeZaloApi extends EventEmitter {
  private server: http.Server | undefined;
  private baseUrl = '';
  private readonly appId: string;
  private readonly appSecret: string;
  private readonly now: () => number;
  private readonly ttlSeconds: number;
  private readonly windowMs: number;
  private readonly imageMaxBytes: number;
  private readonly perMinute: number;
  private readonly strictWindow: boolean;

  private access: string | null = null;
  private refresh = '';
  private tokenSerial = 0;
  private refreshes = 0;
  private recorded: FakeZaloCall[] = [];
  private sent: FakeSentMessage[] = [];
  private templates: FakeTemplateMessage[] = [];
  private failures: FakeZaloFailure[] = [];
  private interactions = new Map<string, number>();
  private profiles = new Map<string, FakeUserProfile>();
  private uploads = new Map<string, { size: number; type: string; data: Buffer }>();
  private files = new Map<string, { contentType: string; bytes: Buffer }>();
  private groups = new Map<string, FakeGroup>();
  private groupPosts: FakeGroupMessage[] = [];
  private stopped = false;
  private minute = { start: 0, count: 0 };
  private hook: ((call: FakeZaloCall) => void | Promise<void>) | undefined;

  constructor(private readonly opts: FakeZaloApiOptions = {}) {
    super();
    this.appId = opts.appId ?? FAKE_SECRETS.zaloAppId;
    this.appSecret = opts.appSecret ?? FAKE_SECRETS.zaloAppSecret;
    this.now = opts.now ?? Date.now;
    this.ttlSeconds = opts.accessTokenTtlSeconds ?? 90_000;
    this.windowMs = (opts.windowDays ?? 7) * DAY_MS;
    this.imageMaxBytes = opts.imageMaxBytes ?? 1_000_000;
    this.perMinute = opts.requestsPerMinute ?? 4000;
    this.strictWindow = opts.strictWindow ?? false;
    this.resetTokens();
  }

  /** Base URL for both `apiUrl` and `oauthUrl` of the client. */
  get url(): string {
    if (this.baseUrl === '') throw new Error('FakeZaloApi is not started; call start() first');
    return this.baseUrl;
  }

  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake zalo error: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    this.stopped = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Back to the state right after construction (tokens included); keeps the server running. */
  reset(): void {
    this.resetTokens();
    this.recorded = [];
    this.sent = [];
    this.templates = [];
    this.failures = [];
    this.interactions.clear();
    this.profiles.clear();
    this.uploads.clear();
    this.files.clear();
    this.minute = { start: 0, count: 0 };
    this.hook = undefined;
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** The access token the fake accepts now (null after expireAccessToken). */
  get currentAccessToken(): string | null {
    return this.access;
  }

  /** The only refresh token the fake accepts now. */
  get currentRefreshToken(): string {
    return this.refresh;
  }

  /** Successful refreshes so far. */
  get refreshCalls(): number {
    return this.refreshes;
  }

  /** Every refresh attempt, successful or not. */
  get refreshAttempts(): number {
    return this.recorded.filter((c) => c.path === '/v4/oa/access_token').length;
  }

  /** The current access token stops working (as after its 25 h lifetime). */
  expireAccessToken(): void {
    this.access = null;
  }

  /** The refresh token stops working too: only a human re-authorisation would help. */
  revokeRefreshToken(): void {
    this.refresh = `revoked-${crypto.randomBytes(6).toString('hex')}`;
  }

  // ---- users, failures, files -----------------------------------------------------------------

  /** Records that the resident interacted with the OA (opens the 7-day window). */
  userInteracted(userId: string, at: Date | number = this.now()): void {
    this.interactions.set(userId, typeof at === 'number' ? at : at.getTime());
  }

  setUserProfile(userId: string, profile: FakeUserProfile): void {
    this.profiles.set(userId, profile);
  }

  // ---- groups (GMF) ---------------------------------------------------------------------------

  /** A group the OA manages (enabled, the OA in it, 10 members unless said otherwise). */
  addGroup(g: Partial<FakeGroup> & { groupId: string }): FakeGroup {
    const group: FakeGroup = { name: `Nhóm ${g.groupId}`, status: 'enabled', members: 10, oaInGroup: true, assetValidThrough: this.now() + 30 * DAY_MS, ...g };
    this.groups.set(group.groupId, group);
    return group;
  }

  group(groupId: string): FakeGroup | undefined {
    return this.groups.get(groupId);
  }

  /** Every group the OA has, in the order they were added. */
  groupList(): FakeGroup[] {
    return [...this.groups.values()];
  }

  /** The bytes and type of an uploaded image (`/v2.0/oa/upload/image`), so the simulator can show it. */
  uploadedImage(attachmentId: string): { data: Buffer; type: string } | undefined {
    const u = this.uploads.get(attachmentId);
    return u ? { data: u.data, type: u.type } : undefined;
  }

  /** Messages posted into groups, oldest first, optionally of one group. */
  groupMessages(groupId?: string): FakeGroupMessage[] {
    return this.groupPosts.filter((m) => groupId === undefined || m.groupId === groupId);
  }

  /** The next matching API call fails this way ('reject-template' waits for a list template). */
  failNext(kind: FakeZaloFailure, times = 1): void {
    for (let i = 0; i < times; i += 1) this.failures.push(kind);
  }

  /** Runs before the fake answers each recorded call (lets a test look at the database "meanwhile"). */
  onRequest(hook: ((call: FakeZaloCall) => void | Promise<void>) | undefined): void {
    this.hook = hook;
  }

  /** Serves `bytes` at a URL under this server, like a Zalo CDN image link in a webhook. */
  hostFile(bytes: Buffer | Uint8Array, contentType: string): string {
    const ext = contentType.includes('png') ? 'png' : contentType.includes('jpeg') || contentType.includes('jpg') ? 'jpg' : 'bin';
    const name = `${crypto.randomBytes(8).toString('hex')}.${ext}`;
    this.files.set(name, { contentType, bytes: Buffer.from(bytes) });
    return `${this.url}/cdn/${name}`;
  }

  // ---- recordings -----------------------------------------------------------------------------

  /** Recorded API calls, optionally only those whose path contains / matches `pathFilter`. */
  calls(pathFilter?: string | RegExp): FakeZaloCall[] {
    if (pathFilter === undefined) return [...this.recorded];
    return this.recorded.filter((c) => (typeof pathFilter === 'string' ? c.path.includes(pathFilter) : pathFilter.test(c.path)));
  }

  /** Accepted consultation messages (`message/cs`), optionally for one user. */
  sentMessages(userId?: string): FakeSentMessage[] {
    return this.sent.filter((m) => userId === undefined || m.userId === userId);
  }

  /** Accepted ZBS template messages by user id. */
  templateMessages(userId?: string): FakeTemplateMessage[] {
    return this.templates.filter((m) => userId === undefined || m.userId === userId);
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private resetTokens(): void {
    this.access = this.opts.accessToken ?? null;
    this.refresh = this.opts.refreshToken ?? FAKE_SECRETS.zaloRefreshToken;
    this.tokenSerial = 0;
    this.refreshes = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const raw = await readAll(req);

    if (method === 'GET' && url.pathname.startsWith('/cdn/')) {
      const file = this.files.get(url.pathname.slice('/cdn/'.length));
      return send(res, file ? { raw: file } : { status: 404, json: { error: 404, message: 'not found' } });
    }

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (k === 'access_token' || v === undefined) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const tokenHeader = req.headers.access_token;
    const call: FakeZaloCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      token: Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader,
      body: await parseBody(raw, headers['content-type'] ?? ''),
      at: new Date(this.now()),
    };
    this.recorded.push(call);
    this.emit('call', call);
    if (this.hook !== undefined) await this.hook(call);

    if (url.pathname === '/v4/oa/access_token' && method === 'POST') return send(res, this.oauth(call));
    return send(res, this.withRateHeaders(await this.openApi(call, raw)));
  }

  private oauth(call: FakeZaloCall): Envelope {
    const form = (call.body ?? {}) as Record<string, string>;
    if (call.headers.secret_key !== this.appSecret) return { json: { error: -14001, error_name: 'Invalid secret key', error_description: 'secret_key is wrong' } };
    if (form.app_id !== this.appId) return { json: { error: -14002, error_name: 'Invalid appId', error_description: 'app_id is wrong' } };
    if (form.grant_type !== 'refresh_token') return { json: { error: -14003, error_name: 'Invalid grant_type', error_description: 'only refresh_token is faked' } };
    if (form.refresh_token === undefined || form.refresh_token !== this.refresh) {
      return { json: { error: -14014, error_name: 'Invalid refresh token', error_description: 'refresh token is invalid or already used' } };
    }
    this.tokenSerial += 1;
    this.refreshes += 1;
    const suffix = crypto.randomBytes(6).toString('hex');
    // The old refresh token dies now (single use) and so does the old access token.
    this.access = `fake-access-${this.tokenSerial}-${suffix}`;
    this.refresh = `fake-refresh-${this.tokenSerial}-${suffix}`;
    return { json: { access_token: this.access, refresh_token: this.refresh, expires_in: String(this.ttlSeconds) } };
  }

  private async openApi(call: FakeZaloCall, raw: Buffer): Promise<Envelope> {
    // The documented app-wide budget (reference §6.1): beyond it, -32 until the next minute.
    if (this.minute.start > 0 && this.now() - this.minute.start < 60_000 && this.minute.count >= this.perMinute) {
      return { headers: { 'x-ratelimit-remain': '0' }, json: { error: -32, message: 'The application has reached its limit of API calls' } };
    }
    const lost = this.failures.indexOf('lost-answer');
    if (lost >= 0 && call.path !== '/v4/oa/access_token') {
      this.failures.splice(lost, 1);
      const answer = await this.openApi(call, raw);
      await new Promise((r) => setTimeout(r, this.opts.hangMs ?? 10_000).unref());
      return this.stopped ? { status: 599, json: {} } : answer;
    }
    const pending = this.failures.findIndex((f) => f !== 'reject-template' && f !== 'lost-answer');
    if (pending >= 0) {
      const kind = this.failures.splice(pending, 1)[0];
      if (kind === 'rate-limit') return { headers: { 'x-ratelimit-remain': '0' }, json: { error: -32, message: 'The application has reached its limit of API calls' } };
      if (kind === 'invalid-token') return fail(-216, 'Access token is invalid');
      if (kind === 'server') return { status: 500, json: { error: 500, message: 'fake internal error' } };
      if (kind === 'window') return fail(-230, 'User has not interacted with the OA in the past 7 days');
    }
    if (call.token === undefined || this.access === null || call.token !== this.access) return fail(-216, 'Access token is invalid');

    const route = `${call.method} ${call.path}`;
    switch (route) {
      case `POST ${MSG_CS}`:
        return this.messageCs(call);
      case 'POST /v3.0/oa/message/template':
        return this.messageTemplate(call);
      case 'POST /v2.0/oa/upload/image':
        return this.uploadImage(raw, call.headers['content-type'] ?? '');
      case 'GET /v3.0/oa/user/detail':
        return this.userDetail(call);
      case 'POST /v3.0/oa/quota/message':
        return this.quota(call);
      case 'GET /v3.0/oa/group/getgroupsofoa':
        return this.listGroups(call);
      case 'GET /v3.0/oa/group/getgroup':
        return this.getGroup(call);
      case 'POST /v3.0/oa/group/message':
        return this.groupMessage(call);
      case 'GET /v3.0/oa/group/conversation':
        return this.groupConversation(call);
      case 'GET /v2.0/oa/getoa':
        return ok({ oaid: FAKE_SECRETS.zaloOaId, name: 'UBND Phường (fake)', oa_type: 4, is_verified: true });
      default:
        return { status: 404, json: { error: 404, message: `fake has no ${route}` } };
    }
  }

  private listGroups(call: FakeZaloCall): Envelope {
    const offset = Number(call.query.offset ?? 0);
    const count = Number(call.query.count ?? 5);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(count) || count < 1 || count > 50) return fail(-201, 'offset/count is invalid');
    const all = [...this.groups.values()];
    const groups = all.slice(offset, offset + count).map((g) => ({ group_id: g.groupId, name: g.name, status: g.status, total_member: g.members, group_link: `https://zalo.me/g/${g.groupId}` }));
    return ok({ offset, count: groups.length, total: all.length, groups });
  }

  private getGroup(call: FakeZaloCall): Envelope {
    const g = this.groups.get(call.query.group_id ?? '');
    if (!g) return fail(-201, 'group_id is invalid');
    if (!g.oaInGroup) return fail(-403, 'OA is not in group');
    return ok({
      group_info: { group_id: g.groupId, name: g.name, status: g.status, total_member: g.members, max_member: 1000, group_link: `https://zalo.me/g/${g.groupId}` },
      asset_info: { asset_type: 'gmf1000', asset_id: `asset-${g.groupId}`, valid_through: g.assetValidThrough, auto_renew: false },
      group_setting: { lock_send_msg: true, join_appr: true, enable_msg_history: true, enable_link_join: false },
    });
  }

  private groupMessage(call: FakeZaloCall): Envelope {
    const body = asRecord(call.body);
    const groupId = asRecord(body?.recipient)?.group_id;
    const message = asRecord(body?.message);
    if (typeof groupId !== 'string' || groupId === '') return fail(-201, 'recipient.group_id is invalid');
    if (message === undefined) return fail(-201, 'message is invalid');
    const g = this.groups.get(groupId);
    if (!g || !g.oaInGroup) return fail(-403, 'OA is not in group');
    if (g.status !== 'enabled' || (g.assetValidThrough !== null && g.assetValidThrough < this.now())) return fail(-237, 'The group is disabled');
    const text = message.text;
    if (text !== undefined && typeof text !== 'string') return fail(-201, 'message.text is invalid');
    if (typeof text === 'string' && text.length > TEXT_MAX) return fail(-210, 'Parameter exceeds allowable limit: text');
    const attachment = asRecord(message.attachment);
    if (text === undefined && attachment === undefined) return fail(-201, 'message is empty');
    if (attachment !== undefined) {
      const payload = asRecord(attachment.payload);
      // Groups take text, images, files and stickers: no buttons or list templates.
      if (attachment.type !== 'template' || payload?.template_type !== 'media') return fail(-233, 'Message type is invalid or not supported in groups');
      const problem = this.checkAttachment(attachment);
      if (problem !== undefined) return problem;
    }
    const messageId = newId();
    this.groupPosts.push({ groupId, messageId, text: typeof text === 'string' ? text : '', message, at: new Date(this.now()) });
    return ok({ message_id: messageId, group_id: groupId });
  }

  /** Newest first; the real answer's shape is undocumented: `data` is a list of messages. */
  private groupConversation(call: FakeZaloCall): Envelope {
    const g = this.groups.get(call.query.group_id ?? '');
    if (!g) return fail(-201, 'group_id is invalid');
    if (!g.oaInGroup) return fail(-403, 'OA is not in group');
    const offset = Number(call.query.offset ?? 0);
    const count = Math.min(Number(call.query.count ?? 10), 50);
    const list = this.groupMessages(g.groupId).slice().reverse().slice(offset, offset + count);
    return ok(list.map((m) => ({ message_id: m.messageId, src: 0, time: m.at.getTime(), type: m.message.attachment ? 'photo' : 'text', message: m.text })));
  }

  private windowOpen(userId: string): boolean {
    const last = this.interactions.get(userId);
    if (last === undefined) return !this.strictWindow;
    return this.now() - last <= this.windowMs;
  }

  private messageCs(call: FakeZaloCall): Envelope {
    const body = asRecord(call.body);
    const userId = asRecord(body?.recipient)?.user_id;
    const message = asRecord(body?.message);
    if (typeof userId !== 'string' || userId === '') return fail(-201, 'recipient.user_id is invalid');
    if (message === undefined) return fail(-201, 'message is invalid');
    const text = message.text;
    if (text !== undefined && typeof text !== 'string') return fail(-201, 'message.text is invalid');
    if (typeof text === 'string' && text.length > TEXT_MAX) return fail(-210, 'Parameter exceeds allowable limit: text');
    const attachment = asRecord(message.attachment);
    if (text === undefined && attachment === undefined) return fail(-201, 'message is empty');
    if (attachment !== undefined) {
      const problem = this.checkAttachment(attachment);
      if (problem !== undefined) return problem;
    }
    if (!this.windowOpen(userId)) return fail(-230, 'User has not interacted with the OA in the past 7 days');
    const messageId = newId();
    this.sent.push({ userId, messageId, message, at: new Date(this.now()) });
    return ok({ message_id: messageId, user_id: userId, sent_time: String(this.now()) });
  }

  private checkAttachment(attachment: Record<string, unknown>): Envelope | undefined {
    if (attachment.type !== 'template') return fail(-233, 'Message type is invalid or not supported');
    const payload = asRecord(attachment.payload);
    const elements = payload?.elements;
    if (!Array.isArray(elements) || elements.length === 0) return fail(-201, 'payload.elements is invalid');
    switch (payload?.template_type) {
      case 'list': {
        const rejected = this.failures.indexOf('reject-template');
        if (rejected >= 0) {
          this.failures.splice(rejected, 1);
          return fail(-233, 'Message type is invalid or not supported');
        }
        const buttons = payload.buttons ?? [];
        if (!Array.isArray(buttons)) return fail(-201, 'payload.buttons is invalid');
        if (elements.length > LIST_MAX_ELEMENTS) return fail(-210, 'Parameter exceeds allowable limit: elements');
        if (buttons.length > LIST_MAX_BUTTONS) return fail(-210, 'Parameter exceeds allowable limit: buttons');
        return undefined;
      }
      case 'media': {
        const el = asRecord(elements[0]);
        const hasUrl = typeof el?.url === 'string';
        const attachmentId = el?.attachment_id;
        if (hasUrl === (typeof attachmentId === 'string')) return fail(-201, 'element needs url or attachment_id');
        if (typeof attachmentId === 'string' && !this.uploads.has(attachmentId)) return fail(-201, 'attachment_id is invalid');
        return undefined;
      }
      case 'request_user_info':
        return elements.length === 1 ? undefined : fail(-201, 'request_user_info takes one element');
      default:
        return fail(-233, 'Message type is invalid or not supported');
    }
  }

  private messageTemplate(call: FakeZaloCall): Envelope {
    const body = asRecord(call.body);
    const userId = body?.user_id;
    const templateId = body?.template_id;
    const data = asRecord(body?.template_data);
    if (typeof userId !== 'string' || userId === '') return fail(-201, 'user_id is invalid');
    if (typeof templateId !== 'string' || templateId === '') return fail(-201, 'template_id is invalid');
    if (data === undefined) return fail(-201, 'template_data is invalid');
    const messageId = newId();
    this.templates.push({ userId, messageId, templateId, templateData: data, at: new Date(this.now()) });
    return ok({ message_id: messageId, sent_time: String(this.now()) });
  }

  private async uploadImage(raw: Buffer, contentType: string): Promise<Envelope> {
    if (!contentType.startsWith('multipart/form-data')) return fail(-201, 'file is invalid');
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    const file = form.get('file');
    if (file === null || typeof file === 'string') return fail(-201, 'file is invalid');
    const bytes = Buffer.from(await file.arrayBuffer());
    const kind = sniff(bytes);
    if (kind === undefined) return fail(-201, 'file type is invalid: only jpg and png');
    if (bytes.length > this.imageMaxBytes) return fail(-210, 'Parameter exceeds allowable limit: file size');
    const attachmentId = crypto.randomBytes(16).toString('hex');
    this.uploads.set(attachmentId, { size: bytes.length, type: kind, data: bytes });
    return ok({ attachment_id: attachmentId });
  }

  private userDetail(call: FakeZaloCall): Envelope {
    let userId: unknown;
    try {
      userId = asRecord(JSON.parse(call.query.data ?? ''))?.user_id;
    } catch {
      return fail(-201, 'data is invalid');
    }
    if (typeof userId !== 'string' || userId === '') return fail(-201, 'user_id is invalid');
    const p = this.profiles.get(userId) ?? {};
    const last = this.interactions.get(userId);
    const data: Record<string, unknown> = {
      user_id: userId,
      user_id_by_app: `app-${userId}`,
      display_name: p.displayName ?? `Người dùng ${userId.slice(-4)}`,
      user_is_follower: p.isFollower ?? true,
      is_sensitive: false,
      avatar: `${this.url}/cdn/avatar-${userId}.jpg`,
    };
    if (last !== undefined) data.user_last_interaction_date = formatDate(last);
    if (p.sharedInfo !== undefined) data.shared_info = p.sharedInfo;
    return ok(data);
  }

  private quota(call: FakeZaloCall): Envelope {
    const userId = asRecord(call.body)?.user_id;
    if (typeof userId !== 'string' || userId === '') return fail(-201, 'user_id is invalid');
    const last = this.interactions.get(userId);
    return ok(last === undefined ? {} : { last_interaction: String(last) });
  }

  private withRateHeaders(e: Envelope): Envelope {
    const now = this.now();
    if (now - this.minute.start >= 60_000) this.minute = { start: Math.floor(now / 60_000) * 60_000, count: 0 };
    this.minute.count += 1;
    return {
      ...e,
      headers: {
        'x-ratelimit-limit': String(this.perMinute),
        'x-ratelimit-remain': String(Math.max(0, this.perMinute - this.minute.count)),
        ...e.headers,
      },
    };
  }
}

function send(res: http.ServerResponse, e: Envelope): void {
  if (e.raw !== undefined) {
    res.writeHead(e.status ?? 200, { 'content-type': e.raw.contentType, 'content-length': String(e.raw.bytes.length), ...e.headers });
    res.end(e.raw.bytes);
    return;
  }
  const body = JSON.stringify(e.json ?? {});
  res.writeHead(e.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...e.headers });
  res.end(body);
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(raw: Buffer, contentType: string): Promise<unknown> {
  if (raw.length === 0) return undefined;
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      return raw.toString('utf8');
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (contentType.startsWith('multipart/form-data')) {
    try {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
      const out: Record<string, unknown> = {};
      form.forEach((v, k) => {
        out[k] = typeof v === 'string' ? v : { name: v.name, type: v.type, size: v.size };
      });
      return out;
    } catch {
      return { invalidMultipart: true };
    }
  }
  return raw.toString('utf8');
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function newId(): string {
  return crypto.randomBytes(10).toString('hex');
}

function sniff(b: Buffer): 'jpeg' | 'png' | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  return undefined;
}

/** "DD/MM/YYYY" in Vietnam time, the format one source gives for user_last_interaction_date. */
function formatDate(ms: number): string {
  const d = new Date(ms + 7 * 60 * 60 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}
