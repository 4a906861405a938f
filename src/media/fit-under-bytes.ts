import sharp from 'sharp';
import { DEFAULT_MAX_INPUT_PIXELS, fromSharpError } from './photo-pipeline';
import { photoError, requireSupportedImage } from './sniff';

/** Zalo OA accepts JPG/PNG attachments up to 1 MB. */
export const ZALO_MAX_IMAGE_BYTES = 1_000_000;

/** Tried in order at full size; the first that fits wins. */
const QUALITIES = [82, 72, 62, 52, 42] as const;
/** Tried in order at each reduced size: size has already bought most of the saving. */
const REDUCED_QUALITIES = [72, 52] as const;
/** Larger inputs are brought down to this first; no chat client shows more. */
const MAX_START_SIDE = 4096;
/** Below this the image is useless; give up rather than loop. */
const MIN_SIDE = 64;

export interface FitOptions {
  maxInputPixels?: number;
}

type Raw = { data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 };

function encode(raw: Raw, quality: number, width = raw.width, height = raw.height): Promise<Buffer> {
  let image = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  if (width !== raw.width || height !== raw.height) image = image.resize(width, height, { fit: 'fill' });
  return image.jpeg({ quality, mozjpeg: false }).toBuffer();
}

/**
 * Returns an image Zalo will accept: a JPEG of at most `maxBytes`. An input that is already a
 * JPEG or PNG under the limit is returned untouched (same Buffer). Otherwise the image is decoded
 * once (upright, alpha flattened on white, sRGB, no metadata) and re-encoded with decreasing
 * quality, then decreasing size, until it fits.
 *
 * @throws DomainError `photo.unsupported`, `photo.corrupt`, `photo.too-many-pixels`, or
 *   `photo.too-large` if even a tiny rendition does not fit (only with an absurd `maxBytes`)
 */
export async function fitImageUnderBytes(
  input: Buffer,
  maxBytes: number = ZALO_MAX_IMAGE_BYTES,
  opts: FitOptions = {},
): Promise<Buffer> {
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) {
    throw new TypeError(`fitImageUnderBytes: maxBytes must be positive, got ${maxBytes}`);
  }
  const kind = requireSupportedImage(input);
  if ((kind === 'jpeg' || kind === 'png') && input.length <= maxBytes) return input;

  const raw = await decode(input, opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS);
  let smallest = Infinity;
  for (const quality of QUALITIES) {
    const out = await encode(raw, quality);
    if (out.length <= maxBytes) return out;
    smallest = Math.min(smallest, out.length);
    // Dropping quality from 82 to 42 roughly halves the size; beyond that, only fewer pixels help.
    if (out.length > maxBytes * 2) break;
  }

  // JPEG size grows roughly with pixel count: aim a little under the limit in one step, then
  // keep shrinking by at least 20% per attempt.
  let scale = 1;
  let lastSize = smallest;
  for (;;) {
    scale *= Math.min(0.8, Math.sqrt(maxBytes / lastSize) * 0.95);
    const width = Math.max(1, Math.round(raw.width * scale));
    const height = Math.max(1, Math.round(raw.height * scale));
    for (const quality of REDUCED_QUALITIES) {
      const out = await encode(raw, quality, width, height);
      if (out.length <= maxBytes) return out;
      lastSize = out.length;
    }
    if (Math.max(width, height) <= MIN_SIDE) {
      throw photoError('photo.too-large', `image cannot be made smaller than ${maxBytes} bytes`);
    }
  }
}

async function decode(input: Buffer, maxInputPixels: number): Promise<Raw> {
  try {
    const image = sharp(input, { limitInputPixels: maxInputPixels, failOn: 'error' });
    const meta = await image.metadata();
    if (meta.width && meta.height && meta.width * meta.height > maxInputPixels) {
      throw photoError('photo.too-many-pixels', `image declares ${meta.width}×${meta.height} pixels`);
    }
    const { data, info } = await image
      .autoOrient()
      .resize(MAX_START_SIDE, MAX_START_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (err: unknown) {
    throw fromSharpError(err);
  }
}
