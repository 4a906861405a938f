/**
 * The before/after card of a report (1200×630 PNG, the Open Graph image size Zalo and Facebook
 * show in link previews): the resident's photo and the result photo side by side, labelled
 * "Trước" / "Sau", then the category, street and ward, and how long the fix took.
 *
 * Text is drawn by `card-text.ts` (Be Vietnam Pro from its npm package, as on the broadcast cards
 * of `cards.ts`, which are taller: they carry the city's header and are posted, not previewed).
 * Photos must already be public (redacted): this module only lays them out.
 */
import sharp from 'sharp';
import { textPixels, type Pixels } from './card-text';

export const CASE_CARD_WIDTH = 1200;
export const CASE_CARD_HEIGHT = 630;

export { CARD_FONTS } from './card-text';

export interface CaseCard {
  /** The resident's photo (already redacted), or null for a placeholder. */
  readonly before: Buffer | null;
  /** The result photo (already redacted), or null for a placeholder. */
  readonly after: Buffer | null;
  /** "Trước", "Sau", and the placeholder's text ("Chưa có ảnh công khai"). */
  readonly labels: { readonly before: string; readonly after: string; readonly noPhoto: string };
  /** First line, bold: the category. */
  readonly title: string;
  /** Second line: street and ward (null: left out). */
  readonly place: string | null;
  /** Third line: "Đã xử lý trong 3 ngày" (null: left out). */
  readonly footnote: string | null;
  /** Bottom right, small: the city and the report code. */
  readonly brand: string;
}

const PAD = 32;
const GAP = 16;
const PHOTO_W = (CASE_CARD_WIDTH - 2 * PAD - GAP) / 2;
const PHOTO_H = 380;
const INK = '#1b1f24';
const BRAND = '#0b4f9c';

/** One line (or a few wrapped lines) of text, at most `width` px wide and `maxHeight` px high. */
async function textImage(text: string, o: { bold?: boolean; size: number; color: string; width: number; maxHeight: number }): Promise<Pixels & { width: number; height: number }> {
  const p = await textPixels(text, { ...o, wrap: 'word' });
  return { ...p, width: p.raw.width, height: p.raw.height };
}

async function photoTile(bytes: Buffer | null, noPhoto: string): Promise<Buffer> {
  if (bytes) {
    try {
      return await sharp(bytes).rotate().resize(PHOTO_W, PHOTO_H, { fit: 'cover', position: 'attention' }).png().toBuffer();
    } catch {
      // An unreadable photo gets the placeholder, not a broken card.
    }
  }
  const label = await textImage(noPhoto, { size: 26, color: '#4a5561', width: PHOTO_W - 40, maxHeight: 120 });
  return sharp({ create: { width: PHOTO_W, height: PHOTO_H, channels: 4, background: '#e4e8ee' } })
    .composite([{ input: label.input, raw: label.raw, left: Math.round((PHOTO_W - label.width) / 2), top: Math.round((PHOTO_H - label.height) / 2) }])
    .png()
    .toBuffer();
}

async function badge(text: string): Promise<{ input: Buffer; width: number; height: number }> {
  const t = await textImage(text, { bold: true, size: 28, color: '#ffffff', width: 300, maxHeight: 48 });
  const w = t.width + 32;
  const h = t.height + 14;
  const input = await sharp({ create: { width: w, height: h, channels: 4, background: { r: 11, g: 79, b: 156, alpha: 0.92 } } })
    .composite([{ input: t.input, raw: t.raw, left: 16, top: 7 }])
    .png()
    .toBuffer();
  return { input, width: w, height: h };
}

/** Renders the card as a PNG of {@link CASE_CARD_WIDTH}×{@link CASE_CARD_HEIGHT}. */
export async function renderCaseCard(card: CaseCard): Promise<Buffer> {
  const [left, right, b1, b2] = await Promise.all([
    photoTile(card.before, card.labels.noPhoto),
    photoTile(card.after, card.labels.noPhoto),
    badge(card.labels.before),
    badge(card.labels.after),
  ]);
  const textWidth = CASE_CARD_WIDTH - 2 * PAD;
  const title = await textImage(card.title, { bold: true, size: 40, color: INK, width: textWidth, maxHeight: 56 });
  const place = card.place ? await textImage(card.place, { size: 28, color: INK, width: textWidth, maxHeight: 40 }) : null;
  const foot = card.footnote ? await textImage(card.footnote, { bold: true, size: 28, color: '#146c2e', width: textWidth - 360, maxHeight: 40 }) : null;
  const brand = await textImage(card.brand, { size: 22, color: '#4a5561', width: 420, maxHeight: 32 });

  const top = PAD;
  const textTop = top + PHOTO_H + 18;
  const layers: sharp.OverlayOptions[] = [
    { input: left, left: PAD, top },
    { input: right, left: PAD + PHOTO_W + GAP, top },
    { input: b1.input, left: PAD + 14, top: top + 14 },
    { input: b2.input, left: PAD + PHOTO_W + GAP + 14, top: top + 14 },
    { input: title.input, raw: title.raw, left: PAD, top: textTop },
  ];
  let y = textTop + title.height + 6;
  if (place) {
    layers.push({ input: place.input, raw: place.raw, left: PAD, top: y });
    y += place.height + 6;
  }
  if (foot) layers.push({ input: foot.input, raw: foot.raw, left: PAD, top: Math.min(y, CASE_CARD_HEIGHT - PAD - foot.height) });
  layers.push({ input: brand.input, raw: brand.raw, left: CASE_CARD_WIDTH - PAD - brand.width, top: CASE_CARD_HEIGHT - PAD - brand.height + 6 });
  const band = await sharp({ create: { width: CASE_CARD_WIDTH, height: 8, channels: 4, background: BRAND } }).png().toBuffer();
  layers.push({ input: band, left: 0, top: CASE_CARD_HEIGHT - 8 });

  return sharp({ create: { width: CASE_CARD_WIDTH, height: CASE_CARD_HEIGHT, channels: 4, background: '#ffffff' } })
    .composite(layers)
    .flatten({ background: '#ffffff' })
    .png({ compressionLevel: 9, palette: false })
    .toBuffer();
}
