/**
 * The only reader of the environment. Every setting is validated with zod at start-up; a bad or
 * missing value stops the process with a message naming each offending key and how to fix it.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseFetchAllowList } from './media/fetch-allow-list';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (fallback?: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : v.trim().replace(/\/+$/, '')))
    .refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: 'must be an http(s) URL' });

const intSetting = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer between ${min} and ${max}` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: intSetting(5000, 0, 65535),
  PUBLIC_URL: url(),
  DATA_DIR: optionalString,
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'must be a postgres:// connection string',
  }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .optional()
    .default('info'),
  CITY_PROFILE: optionalString,

  MESSENGER_PAGE_ID: optionalString,
  MESSENGER_ACCESS_TOKEN: optionalString,
  MESSENGER_APP_ID: optionalString,
  MESSENGER_APP_SECRET: optionalString,
  MESSENGER_VERIFY_TOKEN: optionalString,
  MESSENGER_API_URL: url('https://graph.facebook.com'),
  MESSENGER_WINDOW_HOURS: intSetting(24, 1, 24 * 7),

  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_ID: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_REFRESH_TOKEN: optionalString,
  ZALO_ACCESS_TOKEN: optionalString,
  ZALO_API_URL: url('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: url('https://oauth.zaloapp.com'),
  ZALO_WINDOW_DAYS: intSetting(7, 1, 365),
  ZALO_ZBS_TEMPLATE_STATUS_ID: optionalString,

  GEOCODER_PROVIDER: z.string().optional().default('openstreetmap'),
  GEOCODER_URL: url(),
  MAP_TILE_URL: z.string().optional().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),

  PHOTO_MAX_BYTES: intSetting(10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
  PHOTO_DOWNLOAD_TIMEOUT_MS: intSetting(15000, 100, 120000),
  DRAFT_IDLE_HOURS: intSetting(24, 1, 24 * 30),
  REOPEN_DAYS: intSetting(14, 1, 365),
  WEBHOOK_BODY_LIMIT: z.string().optional().default('1mb'),
  SIMULATOR: z.enum(['auto', 'on', 'off']).optional().default('auto'),
  TRUST_PROXY: z.string().optional().default('loopback, linklocal, uniquelocal'),
  MEDIA_FETCH_ALLOW: optionalString,
  INBOX_RETENTION_DAYS: intSetting(30, 1, 3650),

  // ── Staff console: people, access and security (src/console) ──
  ADMIN_EMAIL: optionalString,
  // Not trimmed: a passphrase may end in a space.
  ADMIN_PASSWORD: z.string().optional().transform((v) => (v === undefined || v === '' ? undefined : v)),
  SESSION_SECRET: optionalString,
  COOKIE_SECURE: z.enum(['auto', 'on', 'off']).optional().default('auto'),
  CONSOLE_SESSION_HOURS: intSetting(12, 1, 24 * 7),
  STAFF_TOKEN_HOURS: intSetting(12, 1, 12),
  LOGIN_MAX_FAILURES: intSetting(5, 2, 100),
  LOGIN_LOCK_MINUTES: intSetting(15, 1, 24 * 60),
  LOGIN_IP_LIMIT: intSetting(30, 1, 100_000),
  PASSWORD_LINK_HOURS: intSetting(24, 1, 24 * 14),
  // ── end of the staff console's settings ──

  // ── Report desk (src/console/reports) ──
  STAFF_API_RATE_PER_MINUTE: intSetting(600, 1, 1_000_000),
  // Overdue reminders by e-mail. SMTP_URL holds the mail server's password: no message names its value.
  SMTP_URL: optionalString.refine((v) => v === undefined || isSmtpUrl(v), {
    message: 'must be an smtp:// or smtps:// URL with a host, e.g. smtps://user:password@mail.example.vn:465 (percent-encode special characters in the password)',
  }),
  SMTP_FROM: optionalString.refine((v) => v === undefined || isMailbox(v), {
    message: 'must be an e-mail address, optionally with a name: Phản ánh Huế <no-reply@hue.gov.vn>',
  }),
  // ── end of the report desk's settings ──
});

export type Env = z.input<typeof EnvSchema>;

export interface MessengerSettings {
  /** false: the in-repo fake Graph API with development credentials (simulator mode only). */
  readonly real: boolean;
  readonly pageId: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly accessToken: string;
  readonly verifyToken: string;
  readonly apiUrl: string;
}

export interface ZaloSettings {
  /** false: the in-repo fake Zalo OpenAPI with development credentials (simulator mode only). */
  readonly real: boolean;
  readonly appId: string;
  readonly appSecret: string;
  readonly oaId: string;
  readonly oaSecretKey: string;
  readonly refreshToken: string | undefined;
  readonly accessToken: string | undefined;
  readonly apiUrl: string;
  readonly oauthUrl: string;
}

export interface Config {
  readonly port: number;
  /** Externally reachable origin of this app (no trailing slash); used for media and web view links. */
  readonly publicUrl: string | undefined;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly logLevel: string;
  readonly cityProfile: string;
  /** null: no credentials, the channel is disabled (its webhook answers 404) unless the simulator fakes it. */
  readonly messenger: MessengerSettings | null;
  readonly zalo: ZaloSettings | null;
  readonly geocoder: { readonly provider: string; readonly url: string | undefined };
  /** Tile URL template for the map picker (a self-hosted tile server in production). */
  readonly mapTileUrl: string;
  /**
   * Photo downloads: size and time caps, and `fetchAllow`, the `host` or `host:port` entries that
   * downloads may reach although private or loopback (MEDIA_FETCH_ALLOW; self-hosted fakes).
   */
  readonly photos: { readonly maxBytes: number; readonly downloadTimeoutMs: number; readonly fetchAllow: readonly string[] };
  readonly draftIdleHours: number;
  /** Days after `resolved` during which a resident may say the problem is not fixed. */
  readonly reopenDays: number;
  readonly webhookBodyLimit: string;
  /**
   * Serve /simulator and run the in-repo fakes for channels without credentials. `auto` turns it on
   * only when no channel has real credentials; `SIMULATOR=on` forces it (with a loud warning when
   * some channel is real).
   */
  readonly simulator: boolean;
  /** SIMULATOR was set to `on` explicitly. */
  readonly simulatorForced: boolean;
  /**
   * Which proxies' X-Forwarded-For to believe (express `trust proxy`): by default a reverse proxy on
   * this host or a private network; rate limits count per client behind it.
   */
  readonly trustProxy: string;
  /** Raw webhook bodies (residents' words) are purged after this many days; dedupe keys stay. */
  readonly inboxRetentionDays: number;
  /** Messaging windows of the platforms and the Zalo template for notices after the window. */
  readonly windows: { readonly messengerWindowHours: number; readonly zaloWindowDays: number; readonly zbsStatusTemplateId: string | undefined };
  /** The staff console (src/console): first admin, sessions, cookies, sign-in limits. */
  readonly console: ConsoleSettings;
  /** Report desk: requests per minute and staff user (or API key) on the report API and exports. */
  readonly reportDesk: { readonly apiRatePerMinute: number };
  /**
   * The mail server of the overdue reminders (SMTP_URL, SMTP_FROM); null when SMTP_URL is unset:
   * no e-mail, the console is the only channel. `url` carries the server's credentials: never log it.
   */
  readonly smtp: { readonly url: string; readonly from: string } | null;
}

// ── Staff console settings ──
export interface ConsoleSettings {
  /** ADMIN_EMAIL and ADMIN_PASSWORD: an admin created at start-up when no active admin exists. */
  readonly firstAdmin: { readonly email: string; readonly password: string } | null;
  /** Signs the session cookie; unset: a random secret per start (sessions end at restart). */
  readonly sessionSecret: string | undefined;
  /** `Secure` cookies and HSTS: COOKIE_SECURE=on/off, or `auto` = PUBLIC_URL is https. */
  readonly secureCookies: boolean;
  /** A console session lasts this long after sign-in. */
  readonly sessionHours: number;
  /** Lifetime of a token from POST /api/staff/v1/tokens (at most 12). */
  readonly tokenHours: number;
  /** Consecutive failed sign-ins that lock an account, and for how long. */
  readonly maxFailures: number;
  readonly lockMinutes: number;
  /** Failed sign-ins (console and tokens) allowed per client address per 15 minutes. */
  readonly ipFailuresPer15Min: number;
  /** Lifetime of a one-time link to set a password. */
  readonly passwordLinkHours: number;
}

/** The shortest ADMIN_PASSWORD accepted (the console's own minimum for every password). */
export const ADMIN_PASSWORD_MIN_LENGTH = 12;

function consoleProblems(e: z.output<typeof EnvSchema>): string[] {
  const problems: string[] = [];
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    problems.push(`${e.ADMIN_EMAIL === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD'} is empty while the other is set; set both to create the first admin, or neither`);
  }
  if (e.ADMIN_EMAIL !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e.ADMIN_EMAIL)) problems.push('ADMIN_EMAIL is not an email address; set it to the first admin\'s email');
  if (e.ADMIN_PASSWORD !== undefined && [...e.ADMIN_PASSWORD].length < ADMIN_PASSWORD_MIN_LENGTH) {
    problems.push(`ADMIN_PASSWORD is shorter than ${ADMIN_PASSWORD_MIN_LENGTH} characters; choose a longer passphrase (it is only used to create the first admin)`);
  }
  if (e.ADMIN_PASSWORD !== undefined && [...e.ADMIN_PASSWORD].length > 256) problems.push('ADMIN_PASSWORD is longer than 256 characters; choose a shorter passphrase');
  if (e.SESSION_SECRET !== undefined && e.SESSION_SECRET.length < 32) problems.push('SESSION_SECRET is shorter than 32 characters; generate one with `openssl rand -base64 48`');
  return problems;
}

function consoleSettings(e: z.output<typeof EnvSchema>): ConsoleSettings {
  return {
    firstAdmin: e.ADMIN_EMAIL !== undefined && e.ADMIN_PASSWORD !== undefined ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : null,
    sessionSecret: e.SESSION_SECRET,
    secureCookies: e.COOKIE_SECURE === 'on' ? true : e.COOKIE_SECURE === 'off' ? false : (e.PUBLIC_URL ?? '').startsWith('https://'),
    sessionHours: e.CONSOLE_SESSION_HOURS,
    tokenHours: e.STAFF_TOKEN_HOURS,
    maxFailures: e.LOGIN_MAX_FAILURES,
    lockMinutes: e.LOGIN_LOCK_MINUTES,
    ipFailuresPer15Min: e.LOGIN_IP_LIMIT,
    passwordLinkHours: e.PASSWORD_LINK_HOURS,
  };
}
// ── end of the staff console settings ──

// ── Mail (overdue reminders) ──
function isSmtpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** `a@b.c` or `Name <a@b.c>`. */
function isMailbox(v: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(v) || /^[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(v);
}

function smtpProblems(e: z.output<typeof EnvSchema>): string[] {
  const problems: string[] = [];
  if ((e.SMTP_URL === undefined) !== (e.SMTP_FROM === undefined)) {
    problems.push(e.SMTP_URL === undefined
      ? 'SMTP_URL is empty while SMTP_FROM is set; set SMTP_URL to the mail server (smtps://user:password@host:465), or neither to send no e-mail'
      : 'SMTP_FROM is empty while SMTP_URL is set; set it to the sender address of the reminders, e.g. Phản ánh Huế <no-reply@hue.gov.vn>');
  }
  if (e.SMTP_URL !== undefined && e.PUBLIC_URL === undefined) {
    problems.push('PUBLIC_URL is empty while SMTP_URL is set; the reminder e-mails link to the console, so set PUBLIC_URL to the app\'s https origin');
  }
  return problems;
}
// ── end of mail ──

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses a settings object (normally `process.env`). Throws {@link ConfigError} listing every bad key.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}; fix it in .env or the environment`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];

  const mToken = e.MESSENGER_ACCESS_TOKEN;
  const mSecret = e.MESSENGER_APP_SECRET;
  const messengerReal = mToken !== undefined && mSecret !== undefined;
  if ((mToken === undefined) !== (mSecret === undefined)) {
    const missing = mToken === undefined ? 'MESSENGER_ACCESS_TOKEN' : 'MESSENGER_APP_SECRET';
    problems.push(`${missing} is empty while the other Messenger credential is set; set both, or neither to use the simulator`);
  }

  const zaloKeys = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'] as const;
  const zaloSet = zaloKeys.filter((k) => e[k] !== undefined);
  const zaloHasToken = e.ZALO_REFRESH_TOKEN !== undefined || e.ZALO_ACCESS_TOKEN !== undefined;
  const zaloReal = zaloSet.length === zaloKeys.length && zaloHasToken;
  if ((zaloSet.length > 0 || zaloHasToken) && !zaloReal) {
    const missing: string[] = zaloKeys.filter((k) => e[k] === undefined);
    if (!zaloHasToken) missing.push('ZALO_REFRESH_TOKEN (or ZALO_ACCESS_TOKEN)');
    problems.push(`${missing.join(', ')} empty while other Zalo credentials are set; set them all, or none to use the simulator`);
  }
  let fetchAllow: string[] = [];
  try {
    fetchAllow = parseFetchAllowList(e.MEDIA_FETCH_ALLOW);
  } catch (err) {
    problems.push(`MEDIA_FETCH_ALLOW: ${err instanceof Error ? err.message : String(err)}; list host or host:port entries separated by commas`);
  }
  problems.push(...consoleProblems(e));
  problems.push(...smtpProblems(e));
  if (problems.length > 0) throw new ConfigError(problems);

  const messenger: MessengerSettings | null = messengerReal
    ? {
        real: true,
        pageId: e.MESSENGER_PAGE_ID ?? '',
        appId: e.MESSENGER_APP_ID ?? '',
        appSecret: mSecret!,
        accessToken: mToken!,
        verifyToken: e.MESSENGER_VERIFY_TOKEN ?? '',
        apiUrl: e.MESSENGER_API_URL!,
      }
    : null;

  const zalo: ZaloSettings | null = zaloReal
    ? {
        real: true,
        appId: e.ZALO_APP_ID!,
        appSecret: e.ZALO_APP_SECRET!,
        oaId: e.ZALO_OA_ID ?? '',
        oaSecretKey: e.ZALO_OA_SECRET_KEY!,
        refreshToken: e.ZALO_REFRESH_TOKEN,
        accessToken: e.ZALO_ACCESS_TOKEN,
        apiUrl: e.ZALO_API_URL!,
        oauthUrl: e.ZALO_OAUTH_URL!,
      }
    : null;

  const simulator = e.SIMULATOR === 'on' ? true : e.SIMULATOR === 'off' ? false : !messengerReal && !zaloReal;

  return {
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    dataDir: path.resolve(e.DATA_DIR ?? './data'),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    cityProfile: e.CITY_PROFILE ?? 'hue',
    messenger,
    zalo,
    geocoder: { provider: e.GEOCODER_PROVIDER, url: e.GEOCODER_URL },
    mapTileUrl: e.MAP_TILE_URL,
    photos: { maxBytes: e.PHOTO_MAX_BYTES, downloadTimeoutMs: e.PHOTO_DOWNLOAD_TIMEOUT_MS, fetchAllow },
    draftIdleHours: e.DRAFT_IDLE_HOURS,
    reopenDays: e.REOPEN_DAYS,
    webhookBodyLimit: e.WEBHOOK_BODY_LIMIT,
    simulator,
    simulatorForced: e.SIMULATOR === 'on',
    trustProxy: e.TRUST_PROXY,
    inboxRetentionDays: e.INBOX_RETENTION_DAYS,
    windows: { messengerWindowHours: e.MESSENGER_WINDOW_HOURS, zaloWindowDays: e.ZALO_WINDOW_DAYS, zbsStatusTemplateId: e.ZALO_ZBS_TEMPLATE_STATUS_ID },
    console: consoleSettings(e),
    reportDesk: { apiRatePerMinute: e.STAFF_API_RATE_PER_MINUTE },
    smtp: e.SMTP_URL !== undefined && e.SMTP_FROM !== undefined ? { url: e.SMTP_URL, from: e.SMTP_FROM } : null,
  };
}

/** Loads `.env` (if present) into the environment and parses it. */
export function loadConfig(): Config {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- dotenv is only needed here
  require('dotenv').config({ quiet: true });
  return parseConfig(process.env);
}
