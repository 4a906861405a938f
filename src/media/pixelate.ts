/**
 * Pixelation of regions of a photo, and the public copy of a stored photo built with it.
 *
 * Each box is widened by its margin ({@link pixelationRegion}) and replaced by square blocks of the
 * average colour ({@link blockSize}: at most six blocks across the region's longer side). Averages
 * leave nothing of the detail behind, unlike a blur that a model could partly invert, and a JPEG
 * re-encode cannot bring it back. Pixels outside the regions are not touched before the encode.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { blockSize, pixelationRegion, type ImageSize, type RedactionBox } from '../domain/photos/redaction';
import type { PublicPhoto, RedactionRenderer } from '../domain/photos/ports';
import type { ImageStore } from './image-store';
import { DEFAULT_THUMB_SIDE, JPEG_QUALITY, fromSharpError, sharedDecodeSlots } from './photo-pipeline';
import type { Semaphore } from './semaphore';

/** Decoded pixels, row by row, `channels` bytes per pixel. */
export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/**
 * Pixelates the region of every box in `raw.data`, in place. Overlapping regions are pixelated one
 * after the other, which only coarsens the overlap further.
 */
export function pixelateRaw(raw: RawImage, boxes: readonly RedactionBox[]): void {
  const size: ImageSize = { width: raw.width, height: raw.height };
  const { data, width, channels } = raw;
  const sums = new Float64Array(channels);
  for (const box of boxes) {
    const region = pixelationRegion(box, size);
    if (region.w <= 0 || region.h <= 0) continue;
    const block = blockSize(region);
    const x1 = region.x + region.w;
    const y1 = region.y + region.h;
    for (let by = region.y; by < y1; by += block) {
      const bh = Math.min(block, y1 - by);
      for (let bx = region.x; bx < x1; bx += block) {
        const bw = Math.min(block, x1 - bx);
        sums.fill(0);
        for (let y = by; y < by + bh; y++) {
          let i = (y * width + bx) * channels;
          for (let x = 0; x < bw; x++) {
            for (let c = 0; c < channels; c++) sums[c]! += data[i + c]!;
            i += channels;
          }
        }
        const n = bw * bh;
        for (let y = by; y < by + bh; y++) {
          let i = (y * width + bx) * channels;
          for (let x = 0; x < bw; x++) {
            for (let c = 0; c < channels; c++) data[i + c] = Math.round(sums[c]! / n);
            i += channels;
          }
        }
      }
    }
  }
}

const JPEG = 'image/jpeg';
const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Decodes a stored photo, pixelates the boxes and encodes a metadata-free JPEG (quality as the
 * pipeline's). The input is a photo the pipeline stored: upright sRGB JPEG, no orientation to apply.
 */
export async function pixelateJpeg(jpeg: Buffer, boxes: readonly RedactionBox[]): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await sharp(jpeg, { failOn: 'error' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    pixelateRaw({ data, width: info.width, height: info.height, channels: info.channels }, boxes);
    const out = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: false })
      .toBuffer();
    return { data: out, width: info.width, height: info.height };
  } catch (err: unknown) {
    throw fromSharpError(err);
  }
}

/**
 * {@link RedactionRenderer} on an {@link ImageStore}: the public copy of a stored photo and its
 * thumbnail (made from the pixelated copy, never from the original), both content-addressed. The
 * decode takes one of the process's decode slots like the photo pipeline.
 */
export class SharpRedactionRenderer implements RedactionRenderer {
  private readonly slots: Semaphore;
  private readonly thumbSide: number;

  constructor(private readonly d: { store: ImageStore; decodeSlots?: Semaphore; thumbSide?: number }) {
    this.slots = d.decodeSlots ?? sharedDecodeSlots;
    this.thumbSide = d.thumbSide ?? DEFAULT_THUMB_SIDE;
  }

  async render(originalKey: string, boxes: readonly RedactionBox[]): Promise<PublicPhoto> {
    const original = await this.d.store.get(originalKey);
    if (!original) throw new Error(`stored photo ${originalKey.slice(0, 12)}… is missing from the image store; the public copy cannot be made`);
    const main = await this.slots.run(() => pixelateJpeg(original.data, boxes));
    let thumb: Buffer;
    try {
      thumb = await sharp(main.data).resize(this.thumbSide, this.thumbSide, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: JPEG_QUALITY, mozjpeg: false }).toBuffer();
    } catch (err: unknown) {
      throw fromSharpError(err);
    }
    const key = `${sha256Hex(main.data)}.jpg`;
    const thumbKey = `${sha256Hex(thumb)}.jpg`;
    await Promise.all([this.d.store.put(key, main.data, JPEG), this.d.store.put(thumbKey, thumb, JPEG)]);
    return { key, thumbKey };
  }
}
