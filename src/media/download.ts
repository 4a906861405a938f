import { SNIFF_BYTES, photoError, requireSupportedImage } from './sniff';

/** Platform attachment URLs expire, so photos are fetched as soon as the webhook arrives. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 15_000;
/** 10 MiB: above what Messenger and Zalo deliver for a phone photo. */
export const DEFAULT_MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface DownloadOptions {
  /** Whole-download budget (connect, headers and body). Default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Byte cap; the transfer is aborted as soon as it is exceeded. Default {@link DEFAULT_MAX_PHOTO_BYTES}. */
  maxBytes?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Parses and checks the URL. Messages name the host only: attachment URLs carry signed tokens
 * in their query strings.
 */
function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err: unknown) {
    throw photoError('photo.download-failed', 'attachment URL is not a valid URL', err);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw photoError('photo.download-failed', `only http(s) attachment URLs are downloaded, got ${url.protocol}`);
  }
  return url;
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
 * - Only http(s); redirects are followed (fetch refuses non-http targets).
 * - One timeout covers the whole transfer, so a server that dribbles bytes cannot hold us.
 * - The byte cap is enforced on the declared Content-Length (before reading) and on the bytes
 *   actually received (aborting mid-stream), so memory stays bounded by `maxBytes` plus one chunk.
 * - The first bytes are sniffed: a non-image is abandoned without downloading the rest.
 *   Content-Type is ignored, as platforms and senders get it wrong.
 *
 * @throws DomainError `photo.download-failed` (bad URL, network, HTTP status, timeout, empty body),
 *   `photo.too-large`, `photo.unsupported`
 */
export async function downloadImage(url: string, opts: DownloadOptions = {}): Promise<Buffer> {
  const target = parseHttpUrl(url);
  const timeoutMs = positive('timeoutMs', opts.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
  const maxBytes = positive('maxBytes', opts.maxBytes ?? DEFAULT_MAX_PHOTO_BYTES);
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const where = `from ${target.host}`;

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);

  const failed = (what: string, cause?: unknown) =>
    photoError('photo.download-failed', timedOut ? `download ${where} timed out after ${timeoutMs} ms` : `download ${where} failed: ${what}`, cause);

  try {
    let res: Response;
    try {
      res = await fetchImpl(target, { signal: controller.signal, redirect: 'follow', headers: { accept: 'image/*' } });
    } catch (err: unknown) {
      throw failed('network error', err);
    }

    if (!res.ok) {
      controller.abort(); // drop the error body
      throw failed(`HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
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
