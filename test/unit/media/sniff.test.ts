import { sniffImage, requireSupportedImage } from '../../../src/media/sniff';
import { DomainError } from '../../../src/domain/shared/errors';
import * as fx from '../../fixtures/images';

/** An ISO-BMFF ftyp box followed by filler, as HEIF-family files start. */
function ftyp(major: string, compatible: string[]): Buffer {
  const brands = Buffer.from([major, '\0\0\0\0', ...compatible].join(''), 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + brands.length);
  return Buffer.concat([size, Buffer.from('ftyp', 'latin1'), brands, Buffer.alloc(32)]);
}

describe('sniffImage', () => {
  it.each([
    ['jpeg', () => fx.jpegWithExif({})],
    ['png', () => fx.png()],
    ['webp', () => fx.webp()],
    ['avif', () => fx.avif()],
    ['gif', () => fx.animatedGif()],
  ] as const)('recognises a real %s file by its first bytes', async (kind, make) => {
    expect(sniffImage(await make())).toBe(kind);
  });

  it('recognises AVIF when "avif" is only a compatible brand', () => {
    expect(sniffImage(ftyp('mif1', ['miaf', 'avif']))).toBe('avif');
    expect(sniffImage(ftyp('avis', ['msf1']))).toBe('avif');
  });

  it('refuses HEIC, which shares the container but not the codec we can decode', () => {
    expect(sniffImage(ftyp('heic', ['mif1', 'heic']))).toBeNull();
  });

  it.each([
    ['a PDF', fx.pdfFile()],
    ['plain text', fx.textFile()],
    ['an SVG, which libvips would happily render', fx.svgFile()],
    ['a RIFF file that is not WebP (WAV)', Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1')],
    ['an empty buffer', Buffer.alloc(0)],
    ['a lone JPEG start-of-image marker', Buffer.from([0xff, 0xd8])],
  ])('when someone sends %s, says it is not an image', (_what, bytes) => {
    expect(sniffImage(bytes)).toBeNull();
  });

  it('when the bytes are not an image, fails with photo.unsupported naming what works', () => {
    let caught: unknown;
    try {
      requireSupportedImage(fx.pdfFile());
    } catch (err: unknown) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('photo.unsupported');
    expect((caught as DomainError).message).toMatch(/jpeg, png, webp, avif, gif/);
  });

  it('reads a Uint8Array view at an offset without looking outside it', () => {
    const backing = Buffer.concat([Buffer.from('junk'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])]);
    expect(sniffImage(new Uint8Array(backing.buffer, backing.byteOffset + 4, 8))).toBe('png');
  });
});
