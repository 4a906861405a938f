import dns from 'node:dns';
import net from 'node:net';
import { type AllowEntry, canonicalHost, isAllowed, parseAllowEntry } from './fetch-allow-list';
import { nonPublicReason } from './ip-ranges';
import { type PinnedAddress, type PinnedGet, pinnedGet } from './pinned-get';
import { SNIFF_BYTES, photoError, requireSupportedImage } from './sniff';

/** Platform attachment URLs expire, so photos are fetched as soon as the webhook arrives. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 15_000;
/** 10 MiB: above what Messenger and Zalo deliver for a phone photo. */
export const DEFAULT_MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** CDNs redirect once or twice; more is a loop or someone probing. */
export const DEFAULT_MAX_REDIRECTS = 3;

/** Resolves a host name to every address it has (like `dns.lookup` with `all: true`). */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export interface DownloadOptions {
  /** Whole-download budget (DNS, connect, redirects, headers and body). Default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Byte cap; the transfer is aborted as soon as it is exceeded. Default {@link DEFAULT_MAX_PHOTO_BYTES}. */
  maxBytes?: number;
  /** Redirects followed at most (each hop is checked like the first URL). Default {@link DEFAULT_MAX_REDIRECTS}. */
  maxRedirects?: number;
  /**
   * `host` or `host:port` entries that may be reached although loopback or private
   * (from `MEDIA_FETCH_ALLOW` via {@link parseFetchAllowList}). An entry matches the URL's host, or,
   * when it is an IP address, the address a host name resolved to. Default: none.
   */
  allow?: readonly string[];
  /** Injected for tests; defaults to `dns.lookup` with `all: true`. */
  resolve?: ResolveHost;
  /** Injected for tests; defaults to {@link pinnedGet} (node http(s), connection pinned to the checked address). */
  get?: PinnedGet;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const systemResolve: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * Parses and checks the URL. Messages name the host only: attachment URLs carry signed tokens
 * in their query strings.
 */
function parseHttpUrl(raw: string | URL, what = 'attachment URL'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err: unknown) {
    throw photoError('photo.download-failed', `${what} is not a valid URL`, err);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw photoError('photo.download-failed', `only http(s) attachment URLs are downloaded, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw photoError('photo.download-failed', `${what} for ${url.hostname} carries credentials; refused`);
  }
  return url;
}

const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/** URL form of an address: IPv6 in brackets, compressed, lower case. */
const urlFormOf = (address: string) => canonicalHost(new URL(`http://${address.includes(':') ? `[${address}]` : address}/`).hostname);

/**
 * Picks the address to connect to for `url`, refusing any host that is (or resolves to) an address
 * that is not public, unless allowed. Every address a name resolves to is checked, not only the
 * first: the connection goes to the first, and a mixed answer is a warning sign in itself.
 */
async function checkedAddress(url: URL, allow: readonly AllowEntry[], resolve: ResolveHost, aborted: Promise<never>): Promise<PinnedAddress> {
  const host = canonicalHost(url.hostname);
  const port = portOf(url);
  const hostAllowed = isAllowed(allow, host, port);
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  const refuse = (address: string, reason: string) =>
    photoError('photo.download-failed', `download from ${url.host} refused: ${address === literal ? '' : `${host} resolves to ${address}, `}${reason}; list it in MEDIA_FETCH_ALLOW if this is intended`);
  const check = (address: string, family: number): PinnedAddress => {
    const reason = nonPublicReason(address);
    if (reason !== null && !hostAllowed && !isAllowed(allow, urlFormOf(address), port)) throw refuse(address, reason);
    return { address, family: family === 6 ? 6 : 4 };
  };

  const family = net.isIP(literal);
  if (family !== 0) return check(literal, family);
  let answers: ReadonlyArray<{ address: string; family: number }>;
  try {
    answers = await Promise.race([resolve(literal), aborted]);
  } catch (err: unknown) {
    throw photoError('photo.download-failed', `download from ${url.host} failed: host name did not resolve`, err);
  }
  if (answers.length === 0) throw photoError('photo.download-failed', `download from ${url.host} failed: host name has no address`);
  const checked = answers.map((a) => check(a.address, a.family));
  return checked[0]!;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`downloadImage: ${name} must be a positive number, got ${value}; check the media config`);
  }
  return value;
}

/**
 * Downloads a photo from a platform attachment URL into memory.
 *
 * - Only http(s). The host must be public unicast: loopback, private, link-local (cloud metadata),
 *   CGNAT, multicast and reserved addresses are refused, in any spelling (decimal, octal,
 *   IPv4-mapped IPv6) and behind host names that resolve to them, unless listed in `allow`.
 * - The connection goes to the address that was checked (no second DNS lookup), so DNS
 *   rebinding cannot bypass the check.
 * - Redirects are followed by hand, at most `maxRedirects`, each hop checked like the first.
 * - One timeout covers the whole transfer, so a server that dribbles bytes cannot hold us.
 * - The byte cap is enforced on the declared Content-Length (before reading) and on the bytes
 *   actually received (aborting mid-stream), so memory stays bounded by `maxBytes` plus one chunk.
 * - The first bytes are sniffed: a non-image is abandoned without downloading the rest.
 *   Content-Type is ignored, as platforms and senders get it wrong.
 *
 * @throws DomainError `photo.download-failed` (bad or refused URL, network, HTTP status, too many
 *   redirects, timeout, empty body), `photo.too-large`, `photo.unsupported`
 */
export async function downloadImage(url: string, opts: DownloadOptions = {}): Promise<Buffer> {
  const first = parseHttpUrl(url);
  const timeoutMs = positive('timeoutMs', opts.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
  const maxBytes = positive('maxBytes', opts.maxBytes ?? DEFAULT_MAX_PHOTO_BYTES);
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) {
    throw new TypeError(`downloadImage: maxRedirects must be a whole number ≥ 0, got ${maxRedirects}`);
  }
  const allow = (opts.allow ?? []).map(parseAllowEntry);
  const resolve = opts.resolve ?? systemResolve;
  const get = opts.get ?? pinnedGet;
  const where = `from ${first.host}`;

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const aborted = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
  });
  aborted.catch(() => undefined); // only raced against, never awaited alone

  const failed = (what: string, cause?: unknown) =>
    photoError('photo.download-failed', timedOut ? `download ${where} timed out after ${timeoutMs} ms` : `download ${where} failed: ${what}`, cause);
  const timeoutOr = (err: unknown) => (timedOut ? failed('', err) : err);

  try {
    let target = first;
    let res: Response;
    for (let hop = 0; ; hop++) {
      let address: PinnedAddress;
      try {
        address = await checkedAddress(target, allow, resolve, aborted);
      } catch (err: unknown) {
        throw timeoutOr(err);
      }
      try {
        res = await get(target, { address, signal: controller.signal, headers: { accept: 'image/*' } });
      } catch (err: unknown) {
        throw failed('network error', err);
      }
      if (!REDIRECTS.has(res.status)) break;
      res.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) throw failed(`more than ${maxRedirects} redirects`);
      const location = res.headers.get('location');
      if (!location) throw failed(`HTTP ${res.status} redirect without a Location`);
      let next: URL;
      try {
        next = new URL(location, target);
      } catch (err: unknown) {
        throw failed('redirect Location is not a valid URL', err);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw failed(`redirect to a ${next.protocol} URL refused`);
      }
      target = parseHttpUrl(next, 'redirect target');
    }

    if (!res.ok) {
      controller.abort(); // drop the error body
      res.body?.cancel().catch(() => undefined);
      throw failed(`HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      res.body?.cancel().catch(() => undefined);
      throw photoError('photo.too-large', `photo ${where} declares ${declared} bytes, over the ${maxBytes}-byte cap`);
    }
    if (!res.body) throw failed('empty body');

    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    let sniffed = false;
    const stop = (err: Error): never => {
      controller.abort();
      reader.cancel().catch(() => undefined);
      throw err;
    };
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (err: unknown) {
        throw failed('connection lost while reading', err);
      }
      if (step.done) break;
      received += step.value.byteLength;
      if (received > maxBytes) {
        stop(photoError('photo.too-large', `photo ${where} exceeds the ${maxBytes}-byte cap`));
      }
      chunks.push(step.value);
      if (!sniffed && received >= SNIFF_BYTES) {
        sniffed = true;
        try {
          requireSupportedImage(Buffer.concat(chunks, received));
        } catch (err: unknown) {
          stop(err as Error);
        }
      }
    }
    if (received === 0) throw failed('empty body');
    const body = Buffer.concat(chunks, received);
    if (!sniffed) requireSupportedImage(body);
    return body;
  } finally {
    clearTimeout(timer);
  }
}
