/**
 * Random secrets of the console (session CSRF tokens, API tokens, API keys, password links) and
 * their stored form: 256 random bits in base64url, kept only as a SHA-256 hex digest. A slow hash
 * is for low-entropy passwords; these secrets cannot be guessed, so SHA-256 is enough and lets a
 * token be found by its hash.
 */
import crypto from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function randomSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sha256Hex(s: string): string {
  return crypto.createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Prefix of tokens from POST /api/staff/v1/tokens. */
export const TOKEN_PREFIX = 'pat_';
/** Prefix of API keys: `pak_<id>_<secret>`. */
export const API_KEY_PREFIX = 'pak_';

const TOKEN_RE = /^pat_[A-Za-z0-9_-]{43}$/;
const API_KEY_RE = /^pak_([1-9][0-9]{0,17})_([A-Za-z0-9_-]{43})$/;

export function newToken(): string {
  return `${TOKEN_PREFIX}${randomSecret()}`;
}

export function apiKeyString(id: string, secret: string): string {
  return `${API_KEY_PREFIX}${id}_${secret}`;
}

/** What a bearer credential looks like; `null` when it is neither a token nor an API key. */
export function parseBearer(raw: string): { kind: 'token'; token: string } | { kind: 'api-key'; id: string; secret: string } | null {
  if (TOKEN_RE.test(raw)) return { kind: 'token', token: raw };
  const m = API_KEY_RE.exec(raw);
  return m ? { kind: 'api-key', id: m[1]!, secret: m[2]! } : null;
}
