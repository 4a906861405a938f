/**
 * Text on the cards the city publishes (broadcast cards in `cards.ts`, the public page's Open Graph
 * card in `case-card.ts`): Be Vietnam Pro from `@expo-google-fonts/be-vietnam-pro` through sharp's
 * `fontfile` (never a system font, so every server draws the same glyphs and Vietnamese diacritics
 * come out right), handed on as raw pixels so no step encodes an image only for the next to decode it.
 */
import sharp from 'sharp';

/** The fonts, from the package (resolved once). */
export const CARD_FONTS = {
  regular: require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf'),
} as const;

/** An image handed between steps undecoded: raw pixels with their shape (a sharp composite input). */
export interface Pixels {
  readonly input: Buffer;
  readonly raw: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

export async function pixels(img: sharp.Sharp): Promise<Pixels> {
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  return { input: data, raw: { width: info.width, height: info.height, channels: info.channels } };
}

/** Pango markup needs these escaped. */
export function escapeMarkup(s: string): string {
  return s.replace(/[&<>'"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' })[c]!);
}

/**
 * Text as transparent pixels, wrapped at `width`; with `maxHeight`, text that would be taller is
 * shortened by whole words and ends with "…" (never a line cut through: Vietnamese accents stack
 * above the line they belong to).
 */
export async function textPixels(text: string, o: { size: number; bold?: boolean; color: string; width: number; maxHeight?: number; wrap?: 'word' | 'word-char' }): Promise<Pixels> {
  const full = await render(text, o);
  if (o.maxHeight === undefined || full.raw.height <= o.maxHeight) return full;
  const words = text.split(/\s+/).filter(Boolean);
  // The most words that fit with the ellipsis (binary search; one word at least).
  let lo = 1;
  let hi = words.length - 1;
  let best: Pixels | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = await render(`${words.slice(0, mid).join(' ')}…`, o);
    if (p.raw.height <= o.maxHeight) {
      best = p;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best ?? render(`${words[0] ?? ''}…`, { ...o, wrap: 'word-char' });
}

function render(text: string, o: { size: number; bold?: boolean; color: string; width: number; wrap?: 'word' | 'word-char' }): Promise<Pixels> {
  return pixels(sharp({
    text: {
      text: `<span foreground="${o.color}">${escapeMarkup(text)}</span>`,
      font: `Be Vietnam Pro ${o.bold ? 'Bold ' : ''}${o.size}`,
      fontfile: o.bold ? CARD_FONTS.bold : CARD_FONTS.regular,
      dpi: 72,
      rgba: true,
      width: o.width,
      wrap: o.wrap ?? 'word-char',
    },
  }));
}
