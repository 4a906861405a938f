/**
 * In-repo fake of Meta's Graph API (Messenger Platform + Page posts), served over real HTTP on
 * 127.0.0.1 so the real `MessengerClient` (messaging-api-messenger 1.0.6) can talk to it.
 *
 * Used by tests, by the local simulator (`npm start` without credentials) and by benchmarks, so it
 * must not import jest. It is deliberately stricter than Meta: where the real API silently
 * truncates (quick-reply titles, for example) the fake answers a Graph error naming the limit, so a
 * test catches the overflow instead of a resident seeing a cut-off button.
 *
 * Wire format (reference Part 2): token in the query string as `access_token`, optional
 * `appsecret_proof = HMAC-SHA256(key = appSecret, msg = accessToken)` hex, snake_case JSON bodies,
 * multipart for uploads (`filedata`, `source`). Errors are `{ error: { message, type, code,
 * error_subcode?, fbtrace_id } }`.
 */
import { FAKE_SECRETS } from '../fake-credentials';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Credentials the simulator and tests share when nothing else is configured. */
export const FAKE_GRAPH_DEFAULTS = {
  accessToken: FAKE_SECRETS.messengerAccessToken,
  appSecret: FAKE_SECRETS.messengerAppSecret,
  pageId: FAKE_SECRETS.messengerPageId,
  appId: FAKE_SECRETS.messengerAppId,
} as const;

/** App id of the Page Inbox, the usual target of `pass_thread_control`. */
export const PAGE_INBOX_APP_ID = '263902037430900';

export const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'] as const;
export type MessagingType = (typeof MESSAGING_TYPES)[number];
export const MESSAGE_TAGS = [
  'CONFIRMED_EVENT_UPDATE',
  'POST_PURCHASE_UPDATE',
  'ACCOUNT_UPDATE',
  'HUMAN_AGENT',
] as const;
export type MessageTag = (typeof MESSAGE_TAGS)[number];
export const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen'] as const;
export type SenderAction = (typeof SENDER_ACTIONS)[number];

/** Limits the fake enforces (reference §3.6). */
export const MESSENGER_LIMITS = {
  textChars: 2000,
  quickReplies: 13,
  quickReplyTitleChars: 20,
  payloadChars: 1000,
  buttons: 3,
  buttonTitleChars: 20,
  buttonTemplateTextChars: 640,
  genericElements: 10,
  elementTitleChars: 80,
  elementSubtitleChars: 80,
  persistentMenuItems: 20,
  persistentMenuTitleChars: 30,
  greetingChars: 160,
  uploadBytes: 25 * 1024 * 1024,
} as const;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** A request body above this is refused with 413 (uploads are capped at 25 MB, plus multipart overhead). */
const MAX_BODY_BYTES = MESSENGER_LIMITS.uploadBytes + 1024 * 1024;

export interface FakeGraphApiOptions {
  accessToken: string;
  appSecret: string;
  pageId: string;
  /** Our app's id: the default thread owner. */
  appId?: string;
  /** When true, a RESPONSE/UPDATE send to a psid that never messaged us is outside the window. */
  strictWindow?: boolean;
  /** Standard messaging window; default 24 h. */
  windowMs?: number;
  /** When true, requests without `appsecret_proof` are refused (Meta's "Require App Secret" switch). */
  requireAppSecretProof?: boolean;
  /** Clock used for the messaging window; default `Date.now`. */
  now?: () => number;
  /** Port to listen on; default 0 (ephemeral). */
  port?: number;
  /** How long a `failNext('timeout')` request is held before it is answered; default 10 s. */
  hangMs?: number;
}

/** What `failNext` can make the next calls do. */
/**
 * 'spam' is Meta's temporary block of a Page that posts too much (#368); 'lost-answer' applies the
 * request, then holds the answer `hangMs` (the caller cannot know whether it worked).
 */
export type FailureKind = 'rate-limit' | 'token' | 'server' | 'timeout' | 'window' | 'blocked' | 'spam' | 'lost-answer';

export interface FailNextOptions {
  /** Only calls to this versionless path (e.g. '/me/messages') consume the failure; default any Graph call. */
  path?: string | RegExp;
}

/** A file that arrived in a multipart body. Its bytes are re-served by the fake CDN at `url`. */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export interface RecordedCall {
  method: string;
  /** Path without the version prefix, e.g. '/me/messages' or '/cdn/abc'. */
  path: string;
  /** 'v23.0', or null when the request had no version prefix. */
  version: string | null;
  /** Query parameters; `access_token` is '[token]' and `appsecret_proof` is '[proof]'. */
  query: Record<string, string>;
  /** Parsed JSON, urlencoded or multipart fields (JSON-looking fields parsed, files as `UploadedFile`). */
  body: unknown;
  /** HTTP status answered; 0 while the call is still pending (slow, timeout) or was dropped by stop(). */
  status: number;
  /** The JSON answered (for the CDN: `{ bytes, contentType }`); undefined while pending. */
  response: unknown;
  at: Date;
}

export type CallFilter =
  | { method?: string; path?: string | RegExp }
  | ((call: RecordedCall) => boolean);

export interface QuickReply {
  content_type: string;
  title?: string;
  payload?: string | number;
  image_url?: string;
}

export interface Button {
  type: string;
  title?: string;
  payload?: string;
  url?: string;
  [key: string]: unknown;
}

export interface TemplateElement {
  title?: string;
  subtitle?: string;
  image_url?: string;
  buttons?: Button[];
  media_type?: string;
  attachment_id?: string;
  url?: string;
  [key: string]: unknown;
}

export interface AttachmentPayload {
  url?: string;
  attachment_id?: string;
  is_reusable?: boolean;
  template_type?: string;
  text?: string;
  buttons?: Button[];
  elements?: TemplateElement[];
  [key: string]: unknown;
}

export interface SendApiMessage {
  text?: string;
  quick_replies?: QuickReply[];
  attachment?: { type: string; payload: AttachmentPayload };
  metadata?: string;
}

/** A Send API body as the fake recorded it (multipart bodies normalised to the same shape). */
export interface SendApiBody {
  recipient: { id: string };
  messaging_type?: MessagingType;
  tag?: MessageTag;
  message?: SendApiMessage;
  sender_action?: SenderAction;
  persona_id?: string;
  /** Present when the message was uploaded as multipart. */
  filedata?: UploadedFile;
}

export interface SentMessage {
  psid: string;
  messageId: string;
  body: SendApiBody;
  at: Date;
}

export interface PagePost {
  kind: 'photo' | 'feed';
  id: string;
  postId?: string;
  message?: string;
  published: boolean;
  /** Photo URL (the one given, or the fake CDN URL of an uploaded `source`). */
  url?: string;
  /** Feed posts: ids of the unpublished photos attached. */
  attachedMedia?: string[];
  at: Date;
}

export interface UserProfile {
  id: string;
  name: string;
  first_name: string;
  last_name: string;
  profile_pic: string;
  locale: string;
  timezone: number;
  gender?: string;
}

/** A Graph error the fake answers with. */
class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly type: string = 'OAuthException',
    readonly subcode?: number,
    readonly isTransient?: boolean,
  ) {
    super(message);
  }
}

const invalid = (message: string): GraphError => new GraphError(400, 100, `(#100) ${message}`);

function failureError(kind: Exclude<FailureKind, 'timeout' | 'lost-answer'>): GraphError {
  switch (kind) {
    case 'rate-limit':
      return new GraphError(400, 613, '(#613) Calls to this api have exceeded the rate limit.');
    case 'token':
      return new GraphError(400, 190, 'Error validating access token: Session has expired.', 'OAuthException', 463);
    case 'server':
      return new GraphError(
        500,
        2,
        'An unexpected error has occurred. Please retry your request later.',
        'OAuthException',
        undefined,
        true,
      );
    case 'window':
      return windowError();
    case 'spam':
      return new GraphError(400, 368, '(#368) The action attempted has been deemed abusive or is otherwise disallowed', 'OAuthException', 1390008);
    case 'blocked':
      // The person blocked the Page or can no longer be reached.
      return new GraphError(400, 551, "(#551) This person isn't available right now.", 'OAuthException', 1545041);
  }
}

function windowError(): GraphError {
  return new GraphError(
    400,
    10,
    '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
    'OAuthException',
    2018278,
  );
}

/** Characters as a person counts them (code points), not UTF-16 units. */
const charCount = (s: string): number => Array.from(s).length;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function randomDigits(n: number): string {
  let s = String(crypto.randomInt(1, 10));
  while (s.length < n) s += String(crypto.randomInt(0, 10));
  return s;
}

const newMid = (): string => `m_${crypto.randomBytes(24).toString('base64url')}`;
const newTraceId = (): string => crypto.randomBytes(8).toString('base64url');

/** 1×1 transparent PNG served as every fake profile picture. */
const PROFILE_PIC = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

const FIRST_NAMES = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hải', 'Hương', 'Lan', 'Minh', 'Nam', 'Phúc', 'Thảo'];
const LAST_NAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Võ', 'Đặng'];
const PROFILE_FIELDS = ['id', 'name', 'first_name', 'last_name', 'profile_pic', 'locale', 'timezone', 'gender'];
const PROFILE_KEYS = [
  'get_started',
  'persistent_menu',
  'greeting',
  'ice_breakers',
  'whitelisted_domains',
  'account_linking_url',
  'home_url',
  'title',
  'description',
];

interface ParsedBody {
  value: unknown;
  files: Map<string, { data: Buffer; file: UploadedFile }>;
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser: enough for form-data's output (fields and files). */
function parseMultipart(buf: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = buf.indexOf(delimiter);
  if (pos < 0) throw invalid('multipart body has no boundary line');
  for (;;) {
    pos += delimiter.length;
    if (buf.subarray(pos, pos + 2).toString() === '--') break;
    if (buf.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = buf.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw invalid('multipart part has no header terminator');
    const headers = buf.subarray(pos, headerEnd).toString('utf8');
    const next = buf.indexOf(delimiter, headerEnd + 4);
    if (next < 0) throw invalid('multipart body is missing its closing boundary');
    // The part's content ends with the CRLF that precedes the next delimiter.
    const data = buf.subarray(headerEnd + 4, next - 2);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw invalid('multipart part has no name');
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    parts.push({ name, filename, contentType, data });
    pos = next;
  }
  return parts;
}

/** Graph accepts JSON-encoded values inside form fields (`recipient={"id":"…"}`). */
function maybeJson(value: string): unknown {
  const t = value.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function redactQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) {
    out[k] = k === 'access_token' ? '[token]' : k === 'appsecret_proof' ? '[proof]' : v;
  }
  return out;
}

function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function checkLength(value: unknown, limit: number, param: string, required = false): void {
  if (value === undefined || value === null) {
    if (required) throw invalid(`param ${param} is required`);
    return;
  }
  if (typeof value !== 'string') throw invalid(`param ${param} must be a string`);
  if (required && value.length === 0) throw invalid(`param ${param} must be non-empty`);
  const n = charCount(value);
  if (n > limit) throw invalid(`Length of param ${param} must be less than or equal to ${limit} (got ${n})`);
}

function checkCount(value: unknown, limit: number, param: string, min = 0): unknown[] {
  if (!Array.isArray(value)) throw invalid(`param ${param} must be an array`);
  if (value.length > limit) throw invalid(`param ${param} must have at most ${limit} items (got ${value.length})`);
  if (value.length < min) throw invalid(`param ${param} must have at least ${min} item(s)`);
  return value;
}

/** Answers of a route handler. */
interface Answer {
  status: number;
  json: unknown;
}

const ok = (json: unknown): Answer => ({ status: 200, json });

/**
 * Fake Graph API server. `start()` it, point `MessengerClient({ origin: fake.url })` at it, then
 * assert on `calls()` / `sentMessages()`.
 */
export class FakeGraphApi {
  private readonly opts: Required<Omit<FakeGraphApiOptions, 'now'>> & { now: () => number };
  private server: http.Server | null = null;
  private origin: string | null = null;
  private stopped = false;
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  private recorded: RecordedCall[] = [];
  private sent: SentMessage[] = [];
  private actions: SentMessage[] = [];
  private failures: Array<{ kind: FailureKind; path?: string | RegExp }> = [];
  private latencyMs = 0;
  private lastUserMessage = new Map<string, number>();
  private profiles = new Map<string, Partial<UserProfile>>();
  private profile: Record<string, unknown> = {};
  private owners = new Map<string, string>();
  private attachments = new Map<string, { type: string; url: string }>();
  private posts: PagePost[] = [];
  private cdn = new Map<string, { data: Buffer; contentType: string }>();

  constructor(options: FakeGraphApiOptions) {
    if (!options.accessToken || !options.appSecret || !options.pageId) {
      throw new Error('FakeGraphApi needs accessToken, appSecret and pageId; FAKE_GRAPH_DEFAULTS has usable values');
    }
    this.opts = {
      accessToken: options.accessToken,
      appSecret: options.appSecret,
      pageId: options.pageId,
      appId: options.appId ?? FAKE_GRAPH_DEFAULTS.appId,
      strictWindow: options.strictWindow ?? false,
      windowMs: options.windowMs ?? DAY_MS,
      requireAppSecretProof: options.requireAppSecretProof ?? false,
      port: options.port ?? 0,
      hangMs: options.hangMs ?? 10_000,
      now: options.now ?? Date.now,
    };
  }

  /** Starts listening on 127.0.0.1; resolves with the origin (also in `url`). */
  async start(): Promise<string> {
    if (this.server) return this.url;
    this.stopped = false;
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // A bug in the fake itself: answer 500 so the test fails loudly rather than hanging.
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`FakeGraphApi crashed: ${err instanceof Error ? err.stack : String(err)}`);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    return this.origin;
  }

  /** Stops the server, dropping held (slow/timeout) requests. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Origin such as `http://127.0.0.1:41234`, for `MessengerClient({ origin })`. */
  get url(): string {
    if (!this.origin) throw new Error('FakeGraphApi is not started; await fake.start() first');
    return this.origin;
  }

  get pageId(): string {
    return this.opts.pageId;
  }

  // ---------------------------------------------------------------------------------------------
  // Controls

  /** Records that `psid` messaged the Page at `at` (opens/renews their messaging window). */
  userMessaged(psid: string, at: Date | number = this.opts.now()): void {
    this.lastUserMessage.set(psid, typeof at === 'number' ? at : at.getTime());
  }

  /**
   * Feeds a webhook body (as posted to the bot) to the window tracker: every message or postback
   * from a resident counts as `userMessaged(sender, timestamp)`. Echoes, deliveries and reads don't.
   */
  observeWebhook(body: string | object): void {
    const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
    if (!isRecord(parsed) || !Array.isArray(parsed.entry)) return;
    for (const entry of parsed.entry) {
      if (!isRecord(entry) || !Array.isArray(entry.messaging)) continue;
      for (const ev of entry.messaging) {
        if (!isRecord(ev) || !isRecord(ev.sender)) continue;
        const psid = asString(ev.sender.id);
        const isEcho = isRecord(ev.message) && ev.message.is_echo === true;
        const counts = (isRecord(ev.message) && !isEcho) || isRecord(ev.postback);
        if (psid && counts) {
          this.userMessaged(psid, typeof ev.timestamp === 'number' ? ev.timestamp : this.opts.now());
        }
      }
    }
  }

  /**
   * Makes the next `count` Graph calls (optionally only those on `options.path`) fail:
   * 'rate-limit' → 400 code 613; 'token' → 400 code 190; 'server' → 500 code 2;
   * 'window' → 400 code 10 subcode 2018278; 'blocked' → 400 code 551 subcode 1545041; 'timeout' → the request is held `hangMs` (10 s) and then
   * handled normally (like a late delivery: the message does count as sent), or dropped by stop().
   */
  failNext(kind: FailureKind, count = 1, options: FailNextOptions = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ kind, path: options.path });
  }

  /** Adds `ms` of latency before every answer (0 turns it off). */
  slow(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** Overrides the profile `GET /{psid}` returns (otherwise a stable fake name). */
  setUserProfile(psid: string, profile: Partial<UserProfile>): void {
    this.profiles.set(psid, profile);
  }

  /**
   * Serves `data` under `/cdn/<random>` with `contentType` (GET and HEAD, no token needed), so a
   * webhook image attachment can point at it. Returns the absolute URL.
   */
  hostFile(data: Buffer, contentType: string): string {
    const key = crypto.randomBytes(12).toString('hex');
    this.cdn.set(key, { data: Buffer.from(data), contentType });
    return `${this.url}/cdn/${key}`;
  }

  /** Clears recorded calls, queued failures, latency, window and profile state and hosted files. */
  reset(): void {
    this.recorded = [];
    this.sent = [];
    this.actions = [];
    this.failures = [];
    this.latencyMs = 0;
    this.lastUserMessage.clear();
    this.profiles.clear();
    this.profile = {};
    this.owners.clear();
    this.attachments.clear();
    this.posts = [];
    this.cdn.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Inspection

  /** Every request received (Graph and CDN), oldest first, optionally filtered. */
  calls(filter?: CallFilter): RecordedCall[] {
    if (!filter) return [...this.recorded];
    if (typeof filter === 'function') return this.recorded.filter(filter);
    return this.recorded.filter(
      (c) =>
        (filter.method === undefined || c.method === filter.method.toUpperCase()) &&
        (filter.path === undefined ||
          (typeof filter.path === 'string' ? c.path === filter.path : filter.path.test(c.path))),
    );
  }

  /**
   * Bodies of successful `POST /me/messages` calls that carried a `message` (sender actions are in
   * `senderActions()`), in the order they were accepted; optionally only those to `psid`.
   */
  sentMessages(psid?: string): SendApiBody[] {
    return this.sent.filter((s) => psid === undefined || s.psid === psid).map((s) => s.body);
  }

  /** Like `sentMessages` but with the message ids and times the fake gave them. */
  sentMessageRecords(psid?: string): SentMessage[] {
    return this.sent.filter((s) => psid === undefined || s.psid === psid);
  }

  /** Successful sender actions (typing_on, typing_off, mark_seen). */
  senderActions(psid?: string): Array<{ psid: string; action: SenderAction; at: Date }> {
    return this.actions
      .filter((s) => psid === undefined || s.psid === psid)
      .map((s) => ({ psid: s.psid, action: s.body.sender_action as SenderAction, at: s.at }));
  }

  /** Resolves once `psid` has received at least `count` messages (all of them); rejects on timeout. */
  async waitForMessages(psid: string, count: number, timeoutMs = 3000): Promise<SendApiBody[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.sentMessages(psid);
      if (got.length >= count) return got;
      if (Date.now() >= deadline) {
        const seen = got.map((b) => b.message?.text ?? `[${b.message?.attachment?.type ?? 'message'}]`);
        const errors = this.calls({ path: '/me/messages' })
          .filter((c) => c.status >= 400)
          .map((c) => `${c.status} ${JSON.stringify(c.response)}`);
        throw new Error(
          `Waited ${timeoutMs} ms for ${count} message(s) to ${psid}; got ${got.length}: ${JSON.stringify(seen)}` +
            (errors.length ? `; failed sends: ${errors.join(' | ')}` : ''),
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Current Messenger Profile (get_started, persistent_menu, greeting, …). */
  messengerProfile(): Record<string, unknown> {
    return structuredClone(this.profile);
  }

  /** App id that owns the thread with `psid` (our app unless control was passed). */
  threadOwner(psid: string): string {
    return this.owners.get(psid) ?? this.opts.appId;
  }

  /** Photos and feed posts made on the Page. */
  /** A file the fake serves under `/cdn/<key>` (hosted by a test or uploaded as a Page photo). */
  hostedFile(key: string): { data: Buffer; contentType: string } | undefined {
    return this.cdn.get(key);
  }

  pagePosts(): PagePost[] {
    return [...this.posts];
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const versionMatch = /^\/(v\d+\.\d+)(\/.*)?$/.exec(url.pathname);
    const version = versionMatch?.[1] ?? null;
    const path = versionMatch ? (versionMatch[2] ?? '/') : url.pathname;

    const call: RecordedCall = {
      method,
      path,
      version,
      query: redactQuery(url.searchParams),
      body: undefined,
      status: 0,
      response: undefined,
      at: new Date(),
    };
    this.recorded.push(call);

    if (path.startsWith('/cdn/') && (method === 'GET' || method === 'HEAD')) {
      req.resume();
      await this.wait(this.latencyMs);
      this.serveCdn(path.slice('/cdn/'.length), method, res, call);
      return;
    }

    let parsed: ParsedBody;
    let early: GraphError | null = null;
    try {
      parsed = await this.readBody(req);
    } catch (err: unknown) {
      parsed = { value: undefined, files: new Map() };
      early = err instanceof GraphError ? err : invalid('could not read the request body');
    }
    call.body = this.redactBody(parsed.value);

    // Decide everything that depends on arrival order now; answer after the latency.
    early ??= this.checkAuth(url.searchParams, parsed.value, req.headers.authorization);
    let injected: FailureKind | null = null;
    if (!early) {
      const i = this.failures.findIndex(
        (f) => f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
      );
      if (i >= 0) {
        injected = this.failures[i]!.kind;
        this.failures.splice(i, 1);
      }
    }

    await this.wait(this.latencyMs + (injected === 'timeout' ? this.opts.hangMs : 0));
    if (this.stopped) {
      res.destroy();
      return;
    }

    let answer: Answer;
    try {
      if (early) throw early;
      if (injected && injected !== 'timeout' && injected !== 'lost-answer') throw failureError(injected);
      answer = this.route(method, path, url.searchParams, parsed);
      if (injected === 'lost-answer') {
        // Applied; the answer never arrives in time.
        await this.wait(this.opts.hangMs);
        if (this.stopped) return void res.destroy();
      }
    } catch (err: unknown) {
      if (!(err instanceof GraphError)) throw err;
      answer = {
        status: err.status,
        json: {
          error: {
            message: err.message,
            type: err.type,
            code: err.code,
            ...(err.subcode !== undefined ? { error_subcode: err.subcode } : {}),
            ...(err.isTransient !== undefined ? { is_transient: err.isTransient } : {}),
            fbtrace_id: newTraceId(),
          },
        },
      };
    }
    call.status = answer.status;
    call.response = answer.json;
    if (res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(answer.json));
  }

  private serveCdn(key: string, method: string, res: http.ServerResponse, call: RecordedCall): void {
    const file = this.cdn.get(key);
    if (!file) {
      call.status = 404;
      call.response = { error: 'not found' };
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
      return;
    }
    call.status = 200;
    call.response = { bytes: file.data.length, contentType: file.contentType };
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(file.data.length),
      'access-control-allow-origin': '*',
    });
    res.end(method === 'HEAD' ? undefined : file.data);
  }

  /** Resolves after `ms`, or at once when the fake is stopped. */
  private wait(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  private async readBody(req: http.IncomingMessage): Promise<ParsedBody> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > MAX_BODY_BYTES) {
        throw new GraphError(413, 100, `(#100) Request body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(buf);
    }
    const raw = Buffer.concat(chunks);
    const files: ParsedBody['files'] = new Map();
    if (raw.length === 0) return { value: {}, files };
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();

    if (contentType.startsWith('multipart/form-data')) {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
      const b = boundary?.[1] ?? boundary?.[2];
      if (!b) throw invalid('multipart/form-data without a boundary');
      const value: Record<string, unknown> = {};
      for (const part of parseMultipart(raw, b)) {
        if (part.filename !== undefined) {
          if (part.data.length > MESSENGER_LIMITS.uploadBytes) {
            throw invalid(`file ${part.name} is ${part.data.length} bytes; the limit is ${MESSENGER_LIMITS.uploadBytes}`);
          }
          const ct = part.contentType ?? 'application/octet-stream';
          const file: UploadedFile = {
            field: part.name,
            filename: part.filename,
            contentType: ct,
            size: part.data.length,
            url: this.hostFile(part.data, ct),
          };
          files.set(part.name, { data: part.data, file });
          value[part.name] = file;
        } else {
          value[part.name] = maybeJson(part.data.toString('utf8'));
        }
      }
      return { value, files };
    }
    const text = raw.toString('utf8');
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const value: Record<string, unknown> = {};
      for (const [k, v] of new URLSearchParams(text)) value[k] = maybeJson(v);
      return { value, files };
    }
    try {
      return { value: JSON.parse(text) as unknown, files };
    } catch {
      throw invalid('request body is not valid JSON');
    }
  }

  private redactBody(value: unknown): unknown {
    if (isRecord(value) && 'access_token' in value) return { ...value, access_token: '[token]' };
    return value;
  }

  private checkAuth(query: URLSearchParams, body: unknown, authorization?: string): GraphError | null {
    const fromBody = isRecord(body) ? asString(body.access_token) : undefined;
    const fromHeader = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(authorization ?? '')?.[1];
    const token = query.get('access_token') ?? fromBody ?? fromHeader;
    if (!token) {
      return new GraphError(400, 104, 'An access token is required to request this resource.');
    }
    if (!safeEqual(token, this.opts.accessToken)) {
      return new GraphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    const proof = query.get('appsecret_proof') ?? (isRecord(body) ? asString(body.appsecret_proof) : undefined);
    if (proof === undefined || proof === null) {
      return this.opts.requireAppSecretProof
        ? new GraphError(400, 100, '(#100) The appsecret_proof argument must be provided', 'GraphMethodException')
        : null;
    }
    const want = crypto.createHmac('sha256', this.opts.appSecret).update(token, 'utf8').digest('hex');
    if (!safeEqual(proof, want)) {
      return new GraphError(400, 100, '(#100) Invalid appsecret_proof provided in the API argument', 'GraphMethodException');
    }
    return null;
  }

  private route(method: string, path: string, query: URLSearchParams, parsed: ParsedBody): Answer {
    const body = isRecord(parsed.value) ? parsed.value : {};
    const segments = path.split('/').filter(Boolean);
    const [first, second] = segments;
    const isPage = first === 'me' || first === this.opts.pageId;

    if (segments.length === 2 && first === 'me') {
      switch (`${method} ${second}`) {
        case 'POST messages':
          return this.sendMessage(body, parsed);
        case 'POST messenger_profile':
          return this.setProfile(body);
        case 'GET messenger_profile':
          return this.getProfile(query);
        case 'DELETE messenger_profile':
          return this.deleteProfile(body, query);
        case 'POST pass_thread_control':
          return this.passThreadControl(body);
        case 'POST take_thread_control':
        case 'POST request_thread_control':
          return this.takeThreadControl(body, second === 'take_thread_control');
        case 'GET thread_owner':
          return this.getThreadOwner(query);
        case 'POST message_attachments':
          return this.uploadAttachment(body, parsed);
        default:
          break;
      }
    }
    if (segments.length === 2 && method === 'POST' && (second === 'photos' || second === 'feed')) {
      if (!isPage) {
        throw new GraphError(
          400,
          100,
          `(#100) Unsupported post request. Object with ID '${first}' does not exist or this token cannot post to it`,
          'GraphMethodException',
        );
      }
      return second === 'photos' ? this.postPhoto(body, parsed) : this.postFeed(body);
    }
    if (segments.length === 2 && method === 'GET' && isPage && (second === 'feed' || second === 'posts' || second === 'published_posts')) {
      return this.recentPosts(query);
    }
    if (segments.length === 1 && method === 'GET' && first !== undefined) {
      return isPage ? ok({ id: this.opts.pageId, name: 'Trang thử nghiệm' }) : this.getUserProfile(first, query);
    }
    throw new GraphError(
      400,
      2500,
      `Unknown path components: FakeGraphApi does not implement ${method} ${path}; add it to test/fakes/fake-graph-api.ts`,
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Send API

  private sendMessage(body: Record<string, unknown>, parsed: ParsedBody): Answer {
    const recipient = body.recipient;
    if (!isRecord(recipient) || recipient.id === undefined) throw invalid('param recipient[id] is required');
    if (typeof recipient.id !== 'string' || recipient.id === '') {
      // Catches Number(psid): PSIDs overflow doubles, so they must travel as strings.
      throw invalid('param recipient[id] must be a non-empty string');
    }
    const psid = recipient.id;
    const hasMessage = body.message !== undefined;
    const hasAction = body.sender_action !== undefined;
    if (hasMessage === hasAction) throw invalid('exactly one of param message or sender_action is required');

    const messagingType = body.messaging_type;
    const tag = body.tag;
    if (messagingType !== undefined && !MESSAGING_TYPES.includes(messagingType as MessagingType)) {
      throw invalid(`param messaging_type must be one of ${MESSAGING_TYPES.join(', ')} (got ${String(messagingType)})`);
    }
    if (hasMessage && messagingType === undefined) throw invalid('param messaging_type is required');
    if (messagingType === 'MESSAGE_TAG') {
      if (!MESSAGE_TAGS.includes(tag as MessageTag)) {
        throw invalid(`messaging_type MESSAGE_TAG needs param tag, one of ${MESSAGE_TAGS.join(', ')} (got ${String(tag)})`);
      }
    } else if (tag !== undefined) {
      throw invalid('param tag is only valid with messaging_type MESSAGE_TAG');
    }

    const file = parsed.files.get('filedata')?.file;
    if (hasAction) {
      if (!SENDER_ACTIONS.includes(body.sender_action as SenderAction)) {
        throw invalid(`param sender_action must be one of ${SENDER_ACTIONS.join(', ')}`);
      }
    } else {
      this.validateMessage(body.message, file);
    }

    this.checkWindow(psid, messagingType as MessagingType | undefined, tag as MessageTag | undefined);

    const record: SentMessage = {
      psid,
      messageId: newMid(),
      body: body as unknown as SendApiBody,
      at: new Date(),
    };
    if (hasAction) {
      this.actions.push(record);
      return ok({ recipient_id: psid });
    }
    this.sent.push(record);
    return ok({ recipient_id: psid, message_id: record.messageId });
  }

  private checkWindow(psid: string, messagingType: MessagingType | undefined, tag: MessageTag | undefined): void {
    const last = this.lastUserMessage.get(psid);
    const age = last === undefined ? undefined : this.opts.now() - last;
    if (messagingType === 'MESSAGE_TAG') {
      // HUMAN_AGENT stretches the window to 7 days; the other tags have no window.
      if (tag === 'HUMAN_AGENT' && age !== undefined && age > 7 * DAY_MS) throw windowError();
      return;
    }
    if (age === undefined ? this.opts.strictWindow : age > this.opts.windowMs) throw windowError();
  }

  private validateMessage(message: unknown, file: UploadedFile | undefined): void {
    if (!isRecord(message)) throw invalid('param message must be an object');
    const hasText = message.text !== undefined;
    const hasAttachment = message.attachment !== undefined;
    if (hasText === hasAttachment) throw invalid('param message must have exactly one of text or attachment');
    if (hasText) checkLength(message.text, MESSENGER_LIMITS.textChars, 'message[text]', true);
    if (hasAttachment) this.validateAttachment(message.attachment, file);
    if (message.quick_replies !== undefined) {
      const replies = checkCount(message.quick_replies, MESSENGER_LIMITS.quickReplies, 'message[quick_replies]', 1);
      replies.forEach((qr, i) => {
        const p = `message[quick_replies][${i}]`;
        if (!isRecord(qr)) throw invalid(`param ${p} must be an object`);
        const type = qr.content_type;
        if (type === 'text') {
          if (qr.title === undefined && qr.image_url === undefined) throw invalid(`param ${p}[title] is required`);
          checkLength(qr.title, MESSENGER_LIMITS.quickReplyTitleChars, `${p}[title]`);
          const payload = asString(qr.payload);
          if (payload === undefined) throw invalid(`param ${p}[payload] is required`);
          checkLength(payload, MESSENGER_LIMITS.payloadChars, `${p}[payload]`, true);
        } else if (type !== 'user_phone_number' && type !== 'user_email') {
          throw invalid(`param ${p}[content_type] must be text, user_phone_number or user_email (got ${String(type)})`);
        }
      });
    }
    if (message.metadata !== undefined) checkLength(message.metadata, 1000, 'message[metadata]');
  }

  private validateAttachment(attachment: unknown, file: UploadedFile | undefined): void {
    if (!isRecord(attachment) || !isRecord(attachment.payload)) {
      throw invalid('param message[attachment] needs type and payload');
    }
    const { type, payload } = attachment;
    if (type === 'template') {
      this.validateTemplate(payload);
      return;
    }
    if (type !== 'image' && type !== 'audio' && type !== 'video' && type !== 'file') {
      throw invalid(`param message[attachment][type] must be image, audio, video, file or template (got ${String(type)})`);
    }
    if (file) return;
    if (payload.attachment_id !== undefined) {
      this.checkAttachmentId(payload.attachment_id, 'message[attachment][payload][attachment_id]');
      return;
    }
    if (typeof payload.url !== 'string' || !/^https?:\/\//.test(payload.url)) {
      throw invalid('message[attachment][payload] needs an http(s) url, an attachment_id or a filedata upload');
    }
  }

  private checkAttachmentId(id: unknown, param: string): void {
    const key = asString(id);
    if (key === undefined || !this.attachments.has(key)) {
      throw invalid(`param ${param} is not an attachment uploaded to this Page (got ${String(id)})`);
    }
  }

  private validateButtons(buttons: unknown, param: string, required: boolean): void {
    if (buttons === undefined && !required) return;
    const list = checkCount(buttons, MESSENGER_LIMITS.buttons, param, required ? 1 : 0);
    list.forEach((b, i) => {
      const p = `${param}[${i}]`;
      if (!isRecord(b)) throw invalid(`param ${p} must be an object`);
      checkLength(b.title, MESSENGER_LIMITS.buttonTitleChars, `${p}[title]`, b.type !== 'account_unlink');
      if (b.type === 'postback') checkLength(b.payload, MESSENGER_LIMITS.payloadChars, `${p}[payload]`, true);
      else if (b.type === 'web_url') checkLength(b.url, 2000, `${p}[url]`, true);
      else if (b.type === 'phone_number') checkLength(b.payload, 100, `${p}[payload]`, true);
      else if (b.type !== 'account_link' && b.type !== 'account_unlink') {
        throw invalid(`param ${p}[type] must be postback, web_url or phone_number (got ${String(b.type)})`);
      }
    });
  }

  private validateTemplate(payload: Record<string, unknown>): void {
    const base = 'message[attachment][payload]';
    switch (payload.template_type) {
      case 'button':
        checkLength(payload.text, MESSENGER_LIMITS.buttonTemplateTextChars, `${base}[text]`, true);
        this.validateButtons(payload.buttons, `${base}[buttons]`, true);
        return;
      case 'generic': {
        const elements = checkCount(payload.elements, MESSENGER_LIMITS.genericElements, `${base}[elements]`, 1);
        elements.forEach((el, i) => {
          const p = `${base}[elements][${i}]`;
          if (!isRecord(el)) throw invalid(`param ${p} must be an object`);
          checkLength(el.title, MESSENGER_LIMITS.elementTitleChars, `${p}[title]`, true);
          checkLength(el.subtitle, MESSENGER_LIMITS.elementSubtitleChars, `${p}[subtitle]`);
          this.validateButtons(el.buttons, `${p}[buttons]`, false);
        });
        return;
      }
      case 'media': {
        const elements = checkCount(payload.elements, 1, `${base}[elements]`, 1);
        const el = elements[0];
        const p = `${base}[elements][0]`;
        if (!isRecord(el)) throw invalid(`param ${p} must be an object`);
        if (el.media_type !== 'image' && el.media_type !== 'video') {
          throw invalid(`param ${p}[media_type] must be image or video`);
        }
        if (el.attachment_id !== undefined) this.checkAttachmentId(el.attachment_id, `${p}[attachment_id]`);
        else if (typeof el.url !== 'string') throw invalid(`param ${p} needs attachment_id or url`);
        this.validateButtons(el.buttons, `${p}[buttons]`, false);
        return;
      }
      default:
        throw invalid(
          `template_type ${String(payload.template_type)} is not supported by FakeGraphApi (button, generic, media); extend test/fakes/fake-graph-api.ts if you need it`,
        );
    }
  }

  private uploadAttachment(body: Record<string, unknown>, parsed: ParsedBody): Answer {
    const message = body.message;
    const attachment = isRecord(message) ? message.attachment : undefined;
    if (!isRecord(attachment) || typeof attachment.type !== 'string') {
      throw invalid('param message[attachment][type] is required');
    }
    const type = attachment.type;
    if (!['image', 'audio', 'video', 'file'].includes(type)) {
      throw invalid(`param message[attachment][type] must be image, audio, video or file (got ${type})`);
    }
    const file = parsed.files.get('filedata')?.file;
    const payloadUrl = isRecord(attachment.payload) ? asString(attachment.payload.url) : undefined;
    const url = file?.url ?? payloadUrl;
    if (!url) throw invalid('message_attachments needs message[attachment][payload][url] or a filedata upload');
    const id = randomDigits(16);
    this.attachments.set(id, { type, url });
    return ok({ attachment_id: id });
  }

  // ---------------------------------------------------------------------------------------------
  // Messenger Profile and handover

  private setProfile(body: Record<string, unknown>): Answer {
    const keys = Object.keys(body).filter((k) => k !== 'access_token' && k !== 'appsecret_proof');
    if (keys.length === 0) throw invalid(`Requires one of the params: ${PROFILE_KEYS.join(', ')}`);
    for (const k of keys) {
      if (!PROFILE_KEYS.includes(k)) throw invalid(`param ${k} is not a Messenger Profile field`);
    }
    if (body.get_started !== undefined) {
      if (!isRecord(body.get_started)) throw invalid('param get_started must be an object with payload');
      checkLength(body.get_started.payload, MESSENGER_LIMITS.payloadChars, 'get_started[payload]', true);
    }
    if (body.greeting !== undefined) {
      const list = checkCount(body.greeting, 100, 'greeting', 1);
      list.forEach((g, i) => {
        if (!isRecord(g)) throw invalid(`param greeting[${i}] must be an object`);
        checkLength(g.locale, 20, `greeting[${i}][locale]`, true);
        checkLength(g.text, MESSENGER_LIMITS.greetingChars, `greeting[${i}][text]`, true);
      });
      if (!list.some((g) => isRecord(g) && g.locale === 'default')) {
        throw invalid('param greeting must include a greeting with locale default');
      }
    }
    if (body.persistent_menu !== undefined) {
      if (body.get_started === undefined && this.profile.get_started === undefined) {
        throw invalid('You must set a Get Started button if you also wish to use persistent menu.');
      }
      const menus = checkCount(body.persistent_menu, 100, 'persistent_menu', 1);
      menus.forEach((m, i) => {
        const p = `persistent_menu[${i}]`;
        if (!isRecord(m)) throw invalid(`param ${p} must be an object`);
        checkLength(m.locale, 20, `${p}[locale]`, true);
        if (m.composer_input_disabled === true && m.call_to_actions === undefined) return;
        const items = checkCount(m.call_to_actions, MESSENGER_LIMITS.persistentMenuItems, `${p}[call_to_actions]`, 1);
        items.forEach((item, j) => {
          const q = `${p}[call_to_actions][${j}]`;
          if (!isRecord(item)) throw invalid(`param ${q} must be an object`);
          checkLength(item.title, MESSENGER_LIMITS.persistentMenuTitleChars, `${q}[title]`, true);
          if (item.type === 'postback') checkLength(item.payload, MESSENGER_LIMITS.payloadChars, `${q}[payload]`, true);
          else if (item.type === 'web_url') checkLength(item.url, 2000, `${q}[url]`, true);
          else throw invalid(`param ${q}[type] must be postback or web_url (nested menus are gone; got ${String(item.type)})`);
        });
      });
      if (!menus.some((m) => isRecord(m) && m.locale === 'default')) {
        throw invalid('param persistent_menu must include a menu with locale default');
      }
    }
    for (const k of keys) this.profile[k] = structuredClone(body[k]);
    return ok({ result: 'success' });
  }

  private getProfile(query: URLSearchParams): Answer {
    const fields = (query.get('fields') ?? '').split(',').filter(Boolean);
    if (fields.length === 0) throw invalid('param fields is required');
    const data: Record<string, unknown> = {};
    for (const f of fields) if (this.profile[f] !== undefined) data[f] = this.profile[f];
    return ok({ data: Object.keys(data).length ? [data] : [] });
  }

  private deleteProfile(body: Record<string, unknown>, query: URLSearchParams): Answer {
    const raw = body.fields ?? maybeJson(query.get('fields') ?? '');
    const fields = Array.isArray(raw) ? raw : typeof raw === 'string' && raw ? raw.split(',') : [];
    if (fields.length === 0) throw invalid('param fields is required');
    const remaining = new Set(Object.keys(this.profile));
    for (const f of fields) remaining.delete(String(f));
    if (remaining.has('persistent_menu') && !remaining.has('get_started')) {
      throw invalid('Cannot delete get_started while persistent_menu is set; delete persistent_menu too');
    }
    for (const f of fields) delete this.profile[String(f)];
    return ok({ result: 'success' });
  }

  private recipientId(body: Record<string, unknown>): string {
    const r = body.recipient;
    if (!isRecord(r) || typeof r.id !== 'string' || r.id === '') {
      throw invalid('param recipient[id] must be a non-empty string');
    }
    return r.id;
  }

  private passThreadControl(body: Record<string, unknown>): Answer {
    const psid = this.recipientId(body);
    const target = asString(body.target_app_id);
    if (!target) throw invalid('param target_app_id is required');
    this.owners.set(psid, target);
    return ok({ success: true });
  }

  private takeThreadControl(body: Record<string, unknown>, take: boolean): Answer {
    const psid = this.recipientId(body);
    if (take) this.owners.delete(psid);
    return ok({ success: true });
  }

  private getThreadOwner(query: URLSearchParams): Answer {
    const psid = query.get('recipient');
    if (!psid) throw invalid('param recipient is required');
    return ok({ data: [{ thread_owner: { app_id: this.threadOwner(psid) } }] });
  }

  // ---------------------------------------------------------------------------------------------
  // Users and Page posts

  private getUserProfile(psid: string, query: URLSearchParams): Answer {
    const fields = (query.get('fields') ?? 'id,name,first_name,last_name,profile_pic').split(',').filter(Boolean);
    for (const f of fields) {
      if (!PROFILE_FIELDS.includes(f)) throw invalid(`Tried accessing nonexisting field (${f})`);
    }
    const hash = crypto.createHash('sha256').update(psid).digest();
    const first = FIRST_NAMES[hash[0]! % FIRST_NAMES.length]!;
    const last = LAST_NAMES[hash[1]! % LAST_NAMES.length]!;
    if (!this.cdn.has('profile-pic')) this.cdn.set('profile-pic', { data: PROFILE_PIC, contentType: 'image/png' });
    const full: Record<string, unknown> = {
      id: psid,
      first_name: first,
      last_name: last,
      name: `${last} ${first}`,
      profile_pic: `${this.url}/cdn/profile-pic`,
      locale: 'vi_VN',
      timezone: 7,
      ...this.profiles.get(psid),
    };
    const out: Record<string, unknown> = { id: psid };
    for (const f of fields) if (full[f] !== undefined) out[f] = full[f];
    return ok(out);
  }

  private postPhoto(body: Record<string, unknown>, parsed: ParsedBody): Answer {
    const source = parsed.files.get('source')?.file;
    const url = source?.url ?? asString(body.url);
    if (!url) throw new GraphError(400, 324, '(#324) Requires upload file: send url or a multipart source');
    if (!source && !/^https?:\/\//.test(url)) throw invalid('param url must be an http(s) URL');
    if (body.message !== undefined) checkLength(body.message, 63206, 'message');
    const published = !(body.published === false || body.published === 'false');
    const id = randomDigits(16);
    const post: PagePost = {
      kind: 'photo',
      id,
      published,
      url,
      at: new Date(),
      ...(typeof body.message === 'string' ? { message: body.message } : {}),
      ...(published ? { postId: `${this.opts.pageId}_${randomDigits(16)}` } : {}),
    };
    this.posts.push(post);
    return ok(published ? { id, post_id: post.postId } : { id });
  }

  /** The Page's published posts, newest first (`GET /{page}/feed?fields=id,message,created_time&limit=`). */
  private recentPosts(query: URLSearchParams): Answer {
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 25) || 25, 1), 100);
    const posts = this.posts
      .filter((p) => p.published && (p.kind === 'feed' || p.postId))
      .slice()
      .reverse()
      .slice(0, limit)
      .map((p) => ({ id: p.kind === 'feed' ? p.id : p.postId, message: p.message ?? '', created_time: p.at.toISOString().replace(/\.\d+Z$/, '+0000') }));
    return ok({ data: posts, paging: {} });
  }

  private postFeed(body: Record<string, unknown>): Answer {
    const media: unknown[] = [];
    if (body.attached_media !== undefined) {
      if (!Array.isArray(body.attached_media)) throw invalid('param attached_media must be an array');
      media.push(...body.attached_media);
    }
    // Form-encoded style: attached_media[0]={"media_fbid":"…"}
    for (const [k, v] of Object.entries(body)) if (/^attached_media\[\d+\]$/.test(k)) media.push(v);
    const ids = media.map((m, i) => {
      const item = typeof m === 'string' ? maybeJson(m) : m;
      const id = isRecord(item) ? asString(item.media_fbid) : undefined;
      const photo = this.posts.find((p) => p.kind === 'photo' && p.id === id);
      if (!id || !photo) throw invalid(`param attached_media[${i}] must be {media_fbid} of a photo uploaded to this Page`);
      if (photo.published) throw invalid(`param attached_media[${i}]: photo ${id} is already published; upload with published=false`);
      return id;
    });
    if (body.message === undefined && body.link === undefined && ids.length === 0) {
      throw invalid('a feed post needs message, link or attached_media');
    }
    if (body.message !== undefined) checkLength(body.message, 63206, 'message');
    const post: PagePost = {
      kind: 'feed',
      id: `${this.opts.pageId}_${randomDigits(16)}`,
      published: !(body.published === false || body.published === 'false'),
      attachedMedia: ids,
      at: new Date(),
      ...(typeof body.message === 'string' ? { message: body.message } : {}),
    };
    this.posts.push(post);
    return ok({ id: post.id });
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

