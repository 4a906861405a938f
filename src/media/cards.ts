/**
 * The cards broadcasts post: a before/after card per case (the resident's photo and the result
 * photo side by side, labelled "Trước"/"Sau", with category, street and ward, dates and "resolved
 * in N days", the city's name and colour) and the weekly digest card. Drawn with sharp; text with
 * the Be Vietnam Pro font shipped in an npm package (never a system font), so Vietnamese
 * diacritics come out right on any machine.
 */
import sharp from 'sharp';
import type { CardRenderer } from '../domain/broadcasts/ports';
import type { Locale } from '../domain/shared/ids';
import { pixels, textPixels as textImage, type Pixels } from './card-text';
import type { ImageStore } from './image-store';

export const CARD_WIDTH = 1200;
const PAD = 32;
const PHOTO_W = (CARD_WIDTH - 3 * PAD) / 2;
const PHOTO_H = Math.round(PHOTO_W * 0.75);
const HEADER_H = 96;
export const CARD_HEIGHT = HEADER_H + PAD + PHOTO_H + PAD + 140;

export interface CardBranding {
  /** The city's name as shown on the card header. */
  readonly cityName: Readonly<Record<Locale, string>>;
  /** Header colour (hex). */
  readonly color: string;
}

const LABELS: Readonly<Record<Locale, { before: string; after: string; resolved: string; filed: string; done: (n: number) => string; head: string }>> = {
  vi: { before: 'Trước', after: 'Sau', resolved: 'Đã xử lý', filed: 'Tiếp nhận', done: (n) => `Xử lý trong ${n} ngày`, head: 'Phản ánh đã được xử lý' },
  en: { before: 'Before', after: 'After', resolved: 'Resolved', filed: 'Received', done: (n) => `Resolved in ${n} day${n === 1 ? '' : 's'}`, head: 'Report resolved' },
};

async function photoTile(store: ImageStore, key: string): Promise<Pixels> {
  const img = await store.get(key);
  if (!img) throw new Error(`photo ${key} is not in the image store`);
  // JPEGs shrink while they load (libjpeg's DCT scaling), so a 1600 px photo is never fully decoded.
  return pixels(sharp(img.data).rotate().resize(PHOTO_W, PHOTO_H, { fit: 'cover' }).removeAlpha());
}

async function label(text: string, color: string): Promise<Pixels> {
  const t = await textImage(text, { size: 26, bold: true, color: '#ffffff', width: 400 });
  const w = t.raw.width + 32;
  const h = t.raw.height + 16;
  return pixels(sharp({ create: { width: w, height: h, channels: 4, background: color } }).composite([{ ...t, left: 16, top: 8 }]));
}

export function createCardRenderer(store: ImageStore, brand: CardBranding): CardRenderer {
  // What every card of a language shares is drawn once.
  const fixed = new Map<Locale, Promise<{ header: Pixels; head: Pixels; city: Pixels; before: Pixels; after: Pixels }>>();
  const fixedParts = (locale: Locale) => {
    let p = fixed.get(locale);
    if (!p) {
      const L = LABELS[locale];
      p = Promise.all([
        pixels(sharp({ create: { width: CARD_WIDTH, height: HEADER_H, channels: 3, background: brand.color } })),
        textImage(L.head, { size: 34, bold: true, color: '#ffffff', width: CARD_WIDTH - 2 * PAD - 360 }),
        textImage(brand.cityName[locale], { size: 22, color: '#ffffff', width: 340 }),
        label(L.before, '#c0392b'),
        label(L.after, '#1e8449'),
      ]).then(([header, head, city, before, after]) => ({ header, head, city, before, after }));
      fixed.set(locale, p);
    }
    return p;
  };
  return {
    async renderCase(c) {
      const L = LABELS[c.locale];
      const [before, after, f, line1, line2, line3] = await Promise.all([
        photoTile(store, c.beforeKey),
        photoTile(store, c.afterKey),
        fixedParts(c.locale),
        textImage(c.category, { size: 30, bold: true, color: '#1b2631', width: CARD_WIDTH - 2 * PAD }),
        textImage(c.place, { size: 26, color: '#34495e', width: CARD_WIDTH - 2 * PAD }),
        textImage(`${L.filed} ${c.filedOn} · ${L.resolved} ${c.resolvedOn} · ${L.done(c.days)} · ${c.code}`, { size: 24, color: '#34495e', width: CARD_WIDTH - 2 * PAD }),
      ]);
      const photosTop = HEADER_H + PAD;
      const textTop = photosTop + PHOTO_H + PAD;
      return sharp({ create: { width: CARD_WIDTH, height: CARD_HEIGHT, channels: 3, background: '#f7f9fb' } })
        .composite([
          { ...f.header, left: 0, top: 0 },
          { ...f.head, left: PAD, top: 26 },
          { ...f.city, left: CARD_WIDTH - PAD - f.city.raw.width, top: 36 },
          { ...before, left: PAD, top: photosTop },
          { ...after, left: 2 * PAD + PHOTO_W, top: photosTop },
          { ...f.before, left: PAD + 12, top: photosTop + 12 },
          { ...f.after, left: 2 * PAD + PHOTO_W + 12, top: photosTop + 12 },
          { ...line1, left: PAD, top: textTop },
          { ...line2, left: PAD, top: textTop + 48 },
          { ...line3, left: PAD, top: textTop + 92 },
        ])
        .jpeg({ quality: 85 })
        .toBuffer();
    },

    async renderDigest(d) {
      const lines = await Promise.all(d.lines.map((l) => textImage(l, { size: 40, color: '#1b2631', width: CARD_WIDTH - 2 * PAD })));
      const title = await textImage(d.title, { size: 40, bold: true, color: '#ffffff', width: CARD_WIDTH - 2 * PAD });
      return sharp({ create: { width: CARD_WIDTH, height: 630, channels: 3, background: '#f7f9fb' } })
        .composite([
          { ...(await pixels(sharp({ create: { width: CARD_WIDTH, height: 140, channels: 3, background: brand.color } }))), left: 0, top: 0 },
          { ...title, left: PAD, top: 40 },
          ...lines.map((line, i) => ({ ...line, left: PAD, top: 190 + i * 90 })),
        ])
        .jpeg({ quality: 85 })
        .toBuffer();
    },
  };
}
