import sharp from 'sharp';
import { DomainError } from '../../../src/domain/shared/errors';
import { fitImageUnderBytes } from '../../../src/media/fit-under-bytes';
import { sniffImage } from '../../../src/media/sniff';
import * as fx from '../../fixtures/images';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err: unknown) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('fitImageUnderBytes (Zalo: JPG/PNG up to 1 MB)', () => {
  it('when a JPEG or PNG is already under the limit, sends it untouched', async () => {
    const jpeg = await fx.jpegWithExif({});
    const png = await fx.png();
    expect(await fitImageUnderBytes(jpeg)).toBe(jpeg);
    expect(await fitImageUnderBytes(png)).toBe(png);
  });

  it('when a 12 MP photo is over 1 MB, re-encodes it as a JPEG under 1 MB', async () => {
    const input = await fx.jpeg12mp();
    expect(input.length).toBeGreaterThan(1_000_000);
    const out = await fitImageUnderBytes(input);
    expect(sniffImage(out)).toBe('jpeg');
    expect(out.length).toBeLessThanOrEqual(1_000_000);
    const meta = await sharp(out).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(4 / 3, 2);
  });

  it('when lower quality is not enough, also makes the picture smaller', async () => {
    const input = await fx.jpeg12mp();
    const out = await fitImageUnderBytes(input, 30_000);
    expect(out.length).toBeLessThanOrEqual(30_000);
    const meta = await sharp(out).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeLessThan(4000);
    expect(meta.width! / meta.height!).toBeCloseTo(4 / 3, 1);
  });

  it('when a WebP, AVIF or GIF is small, still converts it, since Zalo only takes JPG and PNG', async () => {
    for (const make of [fx.webp, fx.avif, fx.animatedGif]) {
      const out = await fitImageUnderBytes(await make());
      expect(sniffImage(out)).toBe('jpeg');
    }
  });

  it('when a rotated photo must be re-encoded, keeps it upright and drops its metadata', async () => {
    const input = await fx.rotatedJpegWithGps();
    const out = await fitImageUnderBytes(input, input.length - 1);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([400, 600]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    const [r, , b] = await fx.pixelAt(out, 200, 20);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
  });

  it('when a transparent PNG must be re-encoded, fills the transparency with white', async () => {
    const input = await fx.noisyPngWithTransparency();
    const out = await fitImageUnderBytes(input, input.length - 1);
    expect(sniffImage(out)).toBe('jpeg');
    expect((await fx.pixelAt(out, 300, 50)).every((v) => v > 240)).toBe(true);
  });

  it('refuses what is not an image, corrupt images and bombs with the pipeline’s codes', async () => {
    expect(await codeOf(fitImageUnderBytes(fx.pdfFile()))).toBe('photo.unsupported');
    expect(await codeOf(fitImageUnderBytes(await fx.truncatedJpeg(), 1000))).toBe('photo.corrupt');
    expect(await codeOf(fitImageUnderBytes(await fx.decompressionBombPng(), 1000))).toBe('photo.too-many-pixels');
  });

  it('when no rendition can fit an absurd limit, says too large instead of looping', async () => {
    expect(await codeOf(fitImageUnderBytes(await fx.webp(), 100))).toBe('photo.too-large');
  });
});
