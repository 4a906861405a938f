import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainError } from '../domain/shared/errors';
import { DEFAULT_MAX_PHOTO_BYTES } from './download';
import { type GpsPoint, gpsFromExif } from './exif-gps';
import type { ImageStore } from './image-store';
import { Semaphore } from './semaphore';
import { type ImageKind, photoError, requireSupportedImage } from './sniff';

/** 50 megapixels: above any phone camera, far below what would exhaust memory when decoded. */
export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;
export const DEFAULT_LONG_SIDE = 1600;
export const DEFAULT_THUMB_SIDE = 320;
export const JPEG_QUALITY = 82;
/**
 * Full-size decodes running at once in the process. A 50 MP image decodes to ~150 MB of pixels
 * where shrink-on-load cannot help (PNG, WebP, a rotated JPEG); 40 photos decoded together raised
 * memory by half a gigabyte. Decoding two at a time keeps both cores busy and memory flat.
 */
export const DEFAULT_DECODE_CONCURRENCY = 2;

/** Shared by every pipeline in the process unless one is given its own (tests). */
export const sharedDecodeSlots = new Semaphore(DEFAULT_DECODE_CONCURRENCY);

const JPEG = 'image/jpeg';

/** What the pipeline stored for one photo. Keys are `<sha256 of the stored bytes>.jpg`. */
export type ProcessedPhoto = {
  key: string;
  thumbKey: string;
  width: number;
  height: number;
  bytes: number;
  thumbWidth: number;
  thumbHeight: number;
  contentType: 'image/jpeg';
  /** From the original's EXIF, read before stripping; offer it as a location suggestion. */
  gps: { lat: number; lng: number } | null;
};

export interface PhotoPipelineOptions {
  store: ImageStore;
  /** Decompression-bomb guard, checked on the declared size before decoding. */
  maxInputPixels?: number;
  /** Largest input accepted, in bytes (the same cap as the download). */
  maxBytes?: number;
  /** Long side of the stored photo; smaller photos are never upscaled. */
  longSide?: number;
  /** Long side of the thumbnail. */
  thumbSide?: number;
  /** Bounds the full-size decodes running at once; default {@link sharedDecodeSlots}, process-wide. */
  decodeSlots?: Semaphore;
}

/** An inspected input: the format, the declared dimensions and the EXIF position. */
export type InspectedPhoto = { kind: ImageKind; width: number; height: number; hasAlpha: boolean; gps: GpsPoint | null };

/** Encoded outputs before storage. */
export type RenderedPhoto = {
  main: { data: Buffer; width: number; height: number };
  thumb: { data: Buffer; width: number; height: number };
  gps: GpsPoint | null;
};

/**
 * Maps a sharp failure to a photo error. sharp reports every failure as a plain Error; the message
 * is all there is to classify it by. DomainErrors pass through.
 */
export function fromSharpError(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg)) return photoError('photo.too-many-pixels', 'image exceeds the pixel limit', err);
  if (/unsupported image format/i.test(msg)) return photoError('photo.unsupported', 'image format not recognised', err);
  return photoError('photo.corrupt', `image could not be decoded: ${msg}`, err);
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`PhotoPipeline: ${name} must be a positive integer, got ${value}; check the media config`);
  }
  return value;
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Turns a resident's photo into what we keep: upright (EXIF orientation applied), stripped of all
 * metadata (EXIF, GPS, ICC, XMP, comments), sRGB JPEG at most `longSide` px, plus a thumbnail,
 * both stored under their content hash. The GPS position is read from the original first.
 *
 * Cost is one header read and one decode of the original (with JPEG shrink-on-load), plus a
 * cheap decode of the already-resized JPEG for the thumbnail.
 *
 * @throws DomainError `photo.unsupported`, `photo.corrupt`, `photo.too-large`, `photo.too-many-pixels`
 */
export class PhotoPipeline {
  private readonly store: ImageStore;
  private readonly decodeSlots: Semaphore;
  readonly maxInputPixels: number;
  readonly maxBytes: number;
  readonly longSide: number;
  readonly thumbSide: number;

  constructor(opts: PhotoPipelineOptions) {
    this.store = opts.store;
    this.maxInputPixels = positiveInt('maxInputPixels', opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS);
    this.maxBytes = positiveInt('maxBytes', opts.maxBytes ?? DEFAULT_MAX_PHOTO_BYTES);
    this.longSide = positiveInt('longSide', opts.longSide ?? DEFAULT_LONG_SIDE);
    this.thumbSide = positiveInt('thumbSide', opts.thumbSide ?? DEFAULT_THUMB_SIDE);
    this.decodeSlots = opts.decodeSlots ?? sharedDecodeSlots;
  }

  /** Processes and stores one photo. */
  async process(input: Buffer): Promise<ProcessedPhoto> {
    const { image, inspected } = await this.openChecked(input);
    const main = await this.encodeMain(image, inspected.hasAlpha);
    const key = `${sha256Hex(main.data)}.jpg`;
    // The main photo is written while the thumbnail is encoded.
    const [, thumb] = await Promise.all([
      this.store.put(key, main.data, JPEG),
      this.encodeThumb(main.data).then(async (t) => {
        const thumbKey = `${sha256Hex(t.data)}.jpg`;
        await this.store.put(thumbKey, t.data, JPEG);
        return { ...t, key: thumbKey };
      }),
    ]);
    return {
      key,
      thumbKey: thumb.key,
      width: main.width,
      height: main.height,
      bytes: main.data.length,
      thumbWidth: thumb.width,
      thumbHeight: thumb.height,
      contentType: JPEG,
      gps: inspected.gps,
    };
  }

  /** Validates and encodes without storing (building block for `process` and benchmarks). */
  async render(input: Buffer): Promise<RenderedPhoto> {
    const { image, inspected } = await this.openChecked(input);
    const main = await this.encodeMain(image, inspected.hasAlpha);
    const thumb = await this.encodeThumb(main.data);
    return { main, thumb, gps: inspected.gps };
  }

  /** Checks bytes, format and declared pixel count, and reads the GPS position, from the header only. */
  async inspect(input: Buffer): Promise<InspectedPhoto> {
    return (await this.openChecked(input)).inspected;
  }

  /** {@link inspect}, keeping the sharp instance so encoding reuses it. */
  private async openChecked(input: Buffer): Promise<{ image: sharp.Sharp; inspected: InspectedPhoto }> {
    if (input.length > this.maxBytes) {
      throw photoError('photo.too-large', `photo is ${input.length} bytes, over the ${this.maxBytes}-byte cap`);
    }
    // Sniff before sharp sees the bytes: libvips would also parse SVG, PDF, TIFF…
    const kind = requireSupportedImage(input);
    const image = this.open(input);
    let meta: sharp.Metadata;
    try {
      meta = await image.metadata();
    } catch (err: unknown) {
      throw fromSharpError(err);
    }
    const { width, height } = meta;
    if (!width || !height) throw photoError('photo.corrupt', 'image header has no dimensions');
    // Checked here, before any decode, so a bomb costs a header read; sharp's limitInputPixels backs this up.
    if (width * height > this.maxInputPixels) {
      throw photoError(
        'photo.too-many-pixels',
        `image declares ${width}×${height} pixels, over the ${this.maxInputPixels}-pixel limit`,
      );
    }
    return { image, inspected: { kind, width, height, hasAlpha: meta.hasAlpha, gps: gpsFromExif(meta.exif) } };
  }

  private open(input: Buffer): sharp.Sharp {
    // failOn 'error': truncated or broken data fails, mere warnings (common in phone JPEGs) do not.
    // Only the first frame of an animated GIF/WebP is read (sharp's default).
    // sequentialRead: libvips streams the decode top to bottom through the resize instead of holding
    // the whole image, wherever the operations allow it (sharp's default, stated so it stays).
    return sharp(input, { limitInputPixels: this.maxInputPixels, failOn: 'error', sequentialRead: true });
  }

  /** The one full-size decode (and resize) of the original, taken one slot of {@link decodeSlots} at a time. */
  private encodeMain(image: sharp.Sharp, hasAlpha: boolean): Promise<RenderedPhoto['main']> {
    return this.decodeSlots.run(() => this.decodeAndResize(image, hasAlpha));
  }

  private async decodeAndResize(image: sharp.Sharp, hasAlpha: boolean): Promise<RenderedPhoto['main']> {
    let pipeline = image
      .autoOrient()
      .resize(this.longSide, this.longSide, { fit: 'inside', withoutEnlargement: true });
    // JPEG has no alpha; transparent areas would otherwise turn black.
    if (hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
    // No keep*/with* calls: sharp then writes no EXIF, XMP, IPTC, ICC or comments, and converts to sRGB.
    try {
      const { data, info } = await pipeline
        .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    } catch (err: unknown) {
      throw fromSharpError(err);
    }
  }

  /** From the resized JPEG, not the original: shrink-on-load makes this a few milliseconds. */
  private async encodeThumb(main: Buffer): Promise<RenderedPhoto['thumb']> {
    try {
      const { data, info } = await sharp(main)
        .resize(this.thumbSide, this.thumbSide, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    } catch (err: unknown) {
      throw fromSharpError(err);
    }
  }
}
