/**
 * Taking the photos of one message: count before downloading. A signed event may carry any number
 * of attachment URLs (10,000 was tried); only as many as the draft can still take are fetched, a
 * few at a time, so one message cannot make thousands of downloads or hold thousands of images.
 */

/** How many URLs beyond `allowed` are still fetched: a photo that fails or turns out a duplicate can be replaced. */
export const DEFAULT_INGEST_MARGIN = 2;
/** Downloads (and pipeline runs) of one message at once. */
export const DEFAULT_INGEST_CONCURRENCY = 2;

export interface IngestPhotosOptions<T> {
  /** Photos the draft can still take (e.g. MAX_PHOTOS minus those it has); 0 or less fetches nothing. */
  readonly allowed: number;
  /** Extra URLs fetched beyond `allowed`. Default {@link DEFAULT_INGEST_MARGIN}. */
  readonly margin?: number;
  /** Ingests running at once. Default {@link DEFAULT_INGEST_CONCURRENCY}. */
  readonly concurrency?: number;
  /** Downloads and processes one URL (the use case's `PhotoIngest.ingest`). */
  readonly ingest: (url: string) => Promise<T>;
}

export interface IngestPhotosResult<T> {
  /** One per URL taken, in input order (after removing repeated URLs), shaped like `Promise.allSettled`. */
  readonly results: Array<PromiseSettledResult<T> & { readonly url: string }>;
  /** Distinct URLs not fetched because they were over `allowed + margin`. */
  readonly skipped: number;
  /** URLs dropped because the same URL came earlier in the list. */
  readonly repeated: number;
}

function wholeAtLeast(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`ingestPhotos: ${name} must be a whole number ≥ ${min}, got ${value}`);
  }
  return value;
}

/**
 * Fetches at most `allowed + margin` distinct URLs, `concurrency` at a time, and returns what each
 * gave in input order. Never rejects: each URL's failure is in its result.
 */
export async function ingestPhotos<T>(urls: readonly string[], opts: IngestPhotosOptions<T>): Promise<IngestPhotosResult<T>> {
  const margin = wholeAtLeast('margin', opts.margin ?? DEFAULT_INGEST_MARGIN, 0);
  const concurrency = wholeAtLeast('concurrency', opts.concurrency ?? DEFAULT_INGEST_CONCURRENCY, 1);
  if (!Number.isFinite(opts.allowed)) throw new TypeError(`ingestPhotos: allowed must be a number, got ${opts.allowed}`);
  const cap = Math.max(0, Math.floor(opts.allowed)) + margin;

  const distinct = [...new Set(urls)];
  const taken = opts.allowed > 0 ? distinct.slice(0, cap) : [];
  const results: IngestPhotosResult<T>['results'] = new Array(taken.length);
  let next = 0;
  const worker = async () => {
    while (next < taken.length) {
      const i = next++;
      const url = taken[i]!;
      try {
        results[i] = { status: 'fulfilled', value: await opts.ingest(url), url };
      } catch (reason: unknown) {
        results[i] = { status: 'rejected', reason, url };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, taken.length) }, worker));
  return { results, skipped: distinct.length - taken.length, repeated: urls.length - distinct.length };
}
