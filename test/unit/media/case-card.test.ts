import sharp from 'sharp';
import { CARD_FONTS, CASE_CARD_HEIGHT, CASE_CARD_WIDTH, renderCaseCard } from '../../../src/media/case-card';

const card = (before: Buffer | null, after: Buffer | null) => ({
  before,
  after,
  labels: { before: 'Trước', after: 'Sau', noPhoto: 'Chưa có ảnh công khai' },
  title: 'Hư hỏng đường, vỉa hè, cầu',
  place: 'Lê Lợi, Phường Thuận Hóa',
  footnote: 'Đã xử lý trong 3 ngày',
  brand: 'Thành phố Huế · PA-7K3M9QX',
});

const jpeg = (color: string) => sharp({ create: { width: 900, height: 500, channels: 3, background: color } }).jpeg().toBuffer();

it('is a 1200×630 PNG with both photos side by side', async () => {
  const png = await renderCaseCard(card(await jpeg('#ff0000'), await jpeg('#00aa00')));
  const meta = await sharp(png).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['png', CASE_CARD_WIDTH, CASE_CARD_HEIGHT]);
  const pixel = async (x: number, y: number) => Array.from((await sharp(png).extract({ left: x, top: y, width: 1, height: 1 }).raw().toBuffer()).subarray(0, 3));
  const [r1, g1] = await pixel(300, 300);
  const [r2, g2] = await pixel(900, 300);
  expect(r1).toBeGreaterThan(200);
  expect(g1).toBeLessThan(60);
  expect(g2).toBeGreaterThan(120);
  expect(r2).toBeLessThan(60);
});

it('draws a placeholder instead of a missing or unreadable photo', async () => {
  const png = await renderCaseCard(card(null, Buffer.from('not an image')));
  const [r, g, b] = Array.from((await sharp(png).extract({ left: 300, top: 300, width: 1, height: 1 }).raw().toBuffer()).subarray(0, 3));
  expect([r, g, b]).toEqual([0xe4, 0xe8, 0xee]);
});

it('sets its text in Be Vietnam Pro from the package, not a system font', async () => {
  expect(CARD_FONTS.bold).toMatch(/@expo-google-fonts[\\/]be-vietnam-pro[\\/]700Bold[\\/]BeVietnamPro_700Bold\.ttf$/);
  const width = async (o: { fontfile?: string; font: string }) =>
    (await sharp({ text: { text: 'Đường Lê Lợi, phường Thuận Hóa', dpi: 72, rgba: true, ...o } }).png().toBuffer({ resolveWithObject: true })).info.width;
  const ours = await width({ fontfile: CARD_FONTS.bold, font: 'Be Vietnam Pro Bold 32' });
  const system = await width({ font: 'DejaVu Sans Bold 32' });
  expect(ours).not.toBe(system);
});
