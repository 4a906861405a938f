/**
 * Recording a photo: downloaded from a platform attachment URL (residents) or received as bytes
 * (staff result photos), run through the photo pipeline (sniffed, pixel limit, oriented, resized,
 * metadata stripped), stored by content key and described in the media table. Every stored photo
 * is then handed to redaction (`redaction.photoStored`: queued for the face detector; not public
 * until it has run).
 */
import type { PhotoStoredListener } from '../domain/photos/ports';
import type { MediaRepo, PhotoIngest, PhotoProcessor, ProcessedPhoto } from '../domain/reports/ports';

/** Runs `ingest` over `urls`: at most `allowed` (+ a margin), a few at a time (src/media/ingest-photos). */
export type BoundedIngest = <T>(urls: readonly string[], allowed: number, ingest: (url: string) => Promise<T>) => Promise<{ results: Array<PromiseSettledResult<T>>; skipped: number }>;

export class RecordPhoto implements PhotoIngest {
  constructor(private readonly d: { download: (url: string) => Promise<Buffer>; processor: PhotoProcessor; media: MediaRepo; bounded: BoundedIngest; redaction: PhotoStoredListener }) {}

  /** Photos of one message: counted before anything is downloaded (a message may carry thousands of URLs). */
  ingestMany(urls: readonly string[], allowed: number) {
    return this.d.bounded(urls, allowed, (url) => this.ingest(url));
  }

  /** A resident's attachment. */
  async ingest(url: string): Promise<ProcessedPhoto> {
    return this.fromBytes(await this.d.download(url));
  }

  /** Bytes already received (an upload). */
  async fromBytes(bytes: Buffer): Promise<ProcessedPhoto> {
    const p = await this.d.processor.process(bytes);
    await this.d.media.save({ key: p.key, thumbKey: p.thumbKey, contentType: p.contentType, bytes: p.bytes, width: p.width, height: p.height });
    await this.d.redaction.photoStored(p.key, { width: p.width, height: p.height });
    return { key: p.key, thumbKey: p.thumbKey, width: p.width, height: p.height, gps: p.gps };
  }
}
