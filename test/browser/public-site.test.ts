/**
 * The public page in a real browser (Debian's chromium): on a phone, the first page is readable
 * and filterable, its bytes before map tiles stay under 200 KB, the map draws its points when it
 * scrolls into view (tiles come from a local tile server), a report's page shows its card, axe finds
 * no serious or critical problem, no CSP refusal; with JavaScript off, everything but the map works.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { checkA11y, launchBrowser, listen, snap, watchPage, withFailureScreenshot, type BrowserSession } from '../support/browser';
import { fileAs, move, publicHarness, resolve, type PublicHarness } from '../support/public-support';

let h: PublicHarness;
let server: { url: string; close(): Promise<void> };
let tiles: http.Server;
let phone: BrowserSession;
let answered: string;

beforeAll(async () => {
  // A tile server on loopback: every tile is a plain grey PNG.
  const tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#dfe6ee' } }).png().toBuffer();
  tiles = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(tile);
  });
  await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', () => r()));
  const tileUrl = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}/{z}/{x}/{y}.png`;
  h = await publicHarness({ env: { MAP_TILE_URL: tileUrl } });
  answered = (await fileAs(h, 'psid-br-a', { description: 'Ổ gà sâu giữa đường, tôi là Trần Văn Bình 0905111222' })).code;
  h.clock.advance(86_400_000);
  await resolve(h, answered, 'Đã vá ổ gà.');
  await h.t.db.query("UPDATE reports SET ward = '19789', rating = 4 WHERE code = $1", [answered]);
  const lights = (await fileAs(h, 'psid-br-b', { category: 'street-lights', description: 'Đèn đường không sáng', lat: 16.4712, lng: 107.588, address: 'Trần Hưng Đạo, Phường Phú Xuân, Thành phố Huế' })).code;
  await move(h, lights, { to: 'assigned', agency: 'chieu-sang' });
  await fileAs(h, 'psid-br-c', { category: 'waste', description: 'Rác tồn đọng ở góc chợ', lat: 16.4605, lng: 107.5985 });
  server = await listen(h.rt.app);
  phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
});
afterAll(async () => {
  await phone?.close();
  await server?.close();
  await new Promise<void>((r) => (tiles ? tiles.close(() => r()) : r()));
  await h?.close();
});

/** Bytes received by the page for everything but map tiles. */
function weigh(page: Page): { total(): number; urls: string[] } {
  let total = 0;
  const urls: string[] = [];
  page.on('requestfinished', (req) => {
    if (/\/\d+\/\d+\/\d+\.png$/.test(req.url())) return;
    void req.sizes().then((s) => {
      total += s.responseBodySize + s.responseHeadersSize;
      urls.push(req.url());
    });
  });
  return { total: () => total, urls };
}

it('on a phone: reads, filters, opens a report; light, accessible, map drawn when scrolled to', async () => {
  const page = await phone.context.newPage();
  const watch = watchPage(page);
  const weight = weigh(page);
  await withFailureScreenshot(page, 'public-phone', async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.getByRole('heading', { level: 1, name: /Phản ánh hiện trường/ }).waitFor();
    await page.getByRole('link', { name: 'Mở Zalo OA' }).waitFor();
    await checkA11y(page, 'the public page on a phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap(page, 'public-01-phone');
    await page.waitForTimeout(300);
    expect(weight.total()).toBeLessThan(200 * 1024);

    await page.locator('#map').scrollIntoViewIfNeeded();
    await page.locator('.leaflet-marker-icon, .marker-cluster').first().waitFor();
    await snap(page, 'public-02-map');

    await page.getByLabel('Lĩnh vực').selectOption('road-damage');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/category=road-damage/);
    expect(await page.locator('ol.reports > li').count()).toBe(1);
    expect(await page.locator('body').innerText()).not.toMatch(/Trần Văn Bình|0905111222/);
    await checkA11y(page, 'the filtered list');

    await page.getByRole('link', { name: 'Hư hỏng đường, vỉa hè, cầu' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hư hỏng đường, vỉa hè, cầu' }).waitFor();
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toContain(`/reports/${answered}/card.png`);
    await page.locator('#map').scrollIntoViewIfNeeded();
    await page.locator('.leaflet-marker-icon').first().waitFor();
    await checkA11y(page, "a report's page");
    await snap(page, 'public-03-report');
    watch.assertClean();
  });
  await page.close();
});

it('without JavaScript everything but the map works, in English too', async () => {
  const page = await phone.context.newPage();
  // No script runs: the page's only script (the map's) is refused.
  await page.route(/\.js(\?|$)/, (route) => route.abort());
  await withFailureScreenshot(page, 'public-nojs', async () => {
    await page.goto(`${server.url}/?lang=en`);
    await page.getByText('The map needs JavaScript; the list below is complete.').waitFor();
    await page.getByLabel('Kind of problem').selectOption('street-lights');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/category=street-lights/);
    expect(await page.locator('ol.reports > li').count()).toBe(1);
    expect(await page.locator('ol.reports').innerText()).toContain('Assigned to an agency');
    await checkA11y(page, 'the English page without JavaScript');
    await snap(page, 'public-04-nojs-en');
  });
  await page.close();
});

it('the before/after card looks right', async () => {
  const page = await phone.context.newPage();
  await page.goto(`${server.url}/reports/${answered}/card.png`);
  await snap(page, 'public-05-card');
  await page.close();
});
