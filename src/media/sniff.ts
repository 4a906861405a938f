import { DomainError } from '../domain/shared/errors';

/** Image formats residents may send. Anything else is refused before libvips parses it. */
export type ImageKind = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

/** In the order a polite "we accept …" message should name them. */
export const SUPPORTED_IMAGE_KINDS: readonly ImageKind[] = ['jpeg', 'png', 'webp', 'avif', 'gif'];

/**
 * Stable codes the photo pipeline fails with; dialogs map each to an i18n key.
 * They live here, next to the definition of what is accepted, so every media module shares them.
 */
export type PhotoErrorCode =
  | 'photo.unsupported'
  | 'photo.corrupt'
  | 'photo.too-large'
  | 'photo.too-many-pixels'
  | 'photo.download-failed';

/** Builds a {@link DomainError} with one of the {@link PhotoErrorCode}s, keeping the low-level cause for logs. */
export function photoError(code: PhotoErrorCode, message: string, cause?: unknown): DomainError {
  const err = new DomainError(code, message);
  if (cause !== undefined) err.cause = cause;
  return err;
}

/** How many leading bytes {@link sniffImage} may look at; enough for an AVIF `ftyp` box. */
export const SNIFF_BYTES = 64;

const AVIF_BRANDS = new Set(['avif', 'avis']);

function ascii(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
}

function startsWith(buf: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  return bytes.every((b, i) => buf[offset + i] === b);
}

/** ISO-BMFF `ftyp` box whose major or a compatible brand is AVIF. HEIC and other HEIF flavours are not. */
function isAvif(buf: Uint8Array): boolean {
  if (buf.length < 16 || ascii(buf, 4, 8) !== 'ftyp') return false;
  const boxSize = Buffer.from(buf.buffer, buf.byteOffset, 4).readUInt32BE(0);
  if (boxSize < 16) return false; // 0 ("to end of file") and 1 (64-bit size) never occur for ftyp in practice
  if (AVIF_BRANDS.has(ascii(buf, 8, 12))) return true;
  // offset 12 is minor_version; compatible brands follow, four bytes each
  const end = Math.min(boxSize, buf.length);
  for (let at = 16; at + 4 <= end; at += 4) {
    if (AVIF_BRANDS.has(ascii(buf, at, at + 4))) return true;
  }
  return false;
}

/**
 * Identifies an image by its magic numbers, never by file name or Content-Type (both are
 * attacker-controlled). Returns null for anything not in {@link SUPPORTED_IMAGE_KINDS}, including
 * formats libvips could read (SVG, PDF, TIFF, HEIC) but that we do not want it to parse.
 */
export function sniffImage(buf: Uint8Array): ImageKind | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (buf.length >= 6) {
    const gif = ascii(buf, 0, 6);
    if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  }
  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';
  if (isAvif(buf)) return 'avif';
  return null;
}

/** Throws `photo.unsupported` unless {@link sniffImage} recognises the bytes. */
export function requireSupportedImage(buf: Uint8Array): ImageKind {
  const kind = sniffImage(buf);
  if (kind === null) {
    throw photoError(
      'photo.unsupported',
      `not a supported image (accepted: ${SUPPORTED_IMAGE_KINDS.join(', ')})`,
    );
  }
  return kind;
}
