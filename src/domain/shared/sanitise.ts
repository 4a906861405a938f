/**
 * Makes a webhook event storable in the inbox (`inbound_events`, jsonb), so the database never
 * refuses an acknowledged event: a refusal answers 503, the platform retries forever, and the
 * good events of the same batch fail with it.
 *
 * What PostgreSQL refuses, and what we do about it:
 * - U+0000 in a string or key (jsonb has no NUL): removed.
 * - A lone UTF-16 surrogate (`"\ud800"` is valid JSON, not valid Unicode; jsonb refuses the
 *   escape): replaced by U+FFFD. Valid pairs (emoji) are kept.
 * - Deep nesting: jsonb input recurses, and fails with "stack depth limit exceeded" past about
 *   10,000 levels at the default `max_stack_depth` of 2 MB; our own JSON.stringify overflows the
 *   JavaScript stack near 5,000. No platform event is more than ten levels deep, so anything
 *   past {@link MAX_EVENT_DEPTH} is refused as `too-deep` instead.
 * - A dedupe key longer than a btree index row allows (a Zalo `user_seen_message` listing 128+
 *   message ids): see {@link boundKey}.
 */
import { createHash } from 'node:crypto';

/** Containers nested deeper than this are refused; far below jsonb's and V8's limits. */
export const MAX_EVENT_DEPTH = 64;
/** Dedupe keys longer than this are stored as their hash (the btree row limit is 2,704 bytes). */
export const MAX_KEY_LENGTH = 200;

export type SanitiseResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: 'too-deep' };

/** A lone high surrogate, or a low surrogate with no high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function needsCleaning(s: string): boolean {
  if (s.includes('\u0000')) return true;
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s);
}

/** `s` without U+0000 and with every lone surrogate replaced by U+FFFD; `s` itself when already fine. */
export function cleanText(s: string): string {
  if (!needsCleaning(s)) return s;
  return s.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

type Container = Record<string, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** What JSON.stringify would write for `v`, before any cleaning (Dates and other toJSON objects). */
function jsonValue(v: unknown, key: string): unknown {
  if (isContainer(v) && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  return v;
}

/**
 * Walks the value without recursion: `null` when nothing needs changing, `'dirty'` when some
 * string or key needs cleaning (or a value is not plain JSON), `'too-deep'` past `maxDepth`.
 */
function inspect(value: unknown, maxDepth: number): null | 'dirty' | 'too-deep' {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  let dirty = false;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (!dirty && needsCleaning(v)) dirty = true;
      continue;
    }
    if (!isContainer(v)) {
      if (v !== null && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) dirty = true;
      continue;
    }
    if (depth >= maxDepth) return 'too-deep';
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') dirty = true;
    if (Array.isArray(v)) {
      for (const item of v) stack.push({ v: item, depth: depth + 1 });
    } else {
      for (const [k, item] of Object.entries(v)) {
        if (!dirty && needsCleaning(k)) dirty = true;
        stack.push({ v: item, depth: depth + 1 });
      }
    }
  }
  return dirty ? 'dirty' : null;
}

/** Sets `parent[key]`; `__proto__` as an own property, the way JSON.parse makes it. */
function put(parent: Container, key: string | number, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(parent, key, { value: v, enumerable: true, writable: true, configurable: true });
  else (parent as Record<string | number, unknown>)[key] = v;
}

const TOO_DEEP = Symbol('too-deep');

/**
 * A cleaned copy, built iteratively, or {@link TOO_DEEP} (a `toJSON` result can nest deeper than
 * what {@link inspect} saw).
 */
function cleanedCopy(value: unknown, maxDepth: number): unknown {
  const root: unknown[] = [null];
  const stack: Array<{ v: unknown; parent: Container; key: string | number; depth: number }> = [
    { v: value, parent: root, key: 0, depth: 0 },
  ];
  while (stack.length > 0) {
    const task = stack.pop()!;
    const { parent, key, depth } = task;
    const v = jsonValue(task.v, String(key));
    if (typeof v === 'string') put(parent, key, cleanText(v));
    else if (typeof v === 'number') put(parent, key, Number.isFinite(v) ? v : null);
    else if (typeof v === 'boolean' || v === null) put(parent, key, v);
    else if (typeof v === 'bigint') put(parent, key, v.toString());
    else if (!isContainer(v)) {
      // undefined, functions, symbols: JSON drops them from objects and writes null in arrays
      if (Array.isArray(parent)) put(parent, key, null);
    } else {
      if (depth >= maxDepth) return TOO_DEEP;
      if (Array.isArray(v)) {
        const out: unknown[] = new Array<unknown>(v.length);
        put(parent, key, out);
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], parent: out, key: i, depth: depth + 1 });
      } else {
        const out: Record<string, unknown> = {};
        put(parent, key, out);
        const entries = Object.entries(v);
        // pushed in reverse so they are taken, and their keys inserted, in the original order
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, item] = entries[i]!;
          stack.push({ v: item, parent: out, key: cleanText(k), depth: depth + 1 });
        }
      }
    }
  }
  return root[0];
}

/**
 * Makes a parsed webhook event storable as jsonb: strips U+0000 from strings and keys, replaces
 * lone surrogates with U+FFFD, and refuses nesting deeper than `maxDepth` containers. Iterative,
 * so no input can overflow the stack. Returns the input itself when nothing needed changing;
 * otherwise a cleaned copy, as JSON would have it (undefined and functions dropped, non-finite
 * numbers as null, Dates as strings).
 *
 * Expects JSON data (from a request body): an in-memory object graph with cycles comes back
 * `too-deep`.
 */
export function sanitiseEventBody(value: unknown, opts: { maxDepth?: number } = {}): SanitiseResult {
  const maxDepth = opts.maxDepth ?? MAX_EVENT_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    throw new TypeError(`sanitiseEventBody: maxDepth must be a positive integer, got ${maxDepth}`);
  }
  const found = inspect(value, maxDepth);
  if (found === 'too-deep') return { ok: false, reason: 'too-deep' };
  if (found === null) return { ok: true, value };
  const copy = cleanedCopy(value, maxDepth);
  return copy === TOO_DEEP ? { ok: false, reason: 'too-deep' } : { ok: true, value: copy };
}

/**
 * A dedupe key the unique index can hold and gives back unchanged: keys up to
 * {@link MAX_KEY_LENGTH} characters of well-formed text without U+0000 are kept as they are, so
 * existing rows still match; others become `sha256:<hex>` of the key's UTF-16 code units, stable
 * across deliveries. Applying it twice changes nothing.
 */
export function boundKey(key: string): string {
  if (key.length <= MAX_KEY_LENGTH && !needsCleaning(key)) return key;
  // utf16le keeps lone surrogates apart, where UTF-8 encoding would fold them all into U+FFFD
  return `sha256:${createHash('sha256').update(key, 'utf16le').digest('hex')}`;
}
