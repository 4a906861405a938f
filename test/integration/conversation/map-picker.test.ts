/**
 * The map picker without the map: its address search goes through the app's geocoder (the real
 * node-geocoder adapter against the offline gazetteer), and when tiles cannot load the page says so
 * and the typed-address route still works. The page is driven in Debian's chromium.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import sharp from 'sharp';
import { createApp, type AppDeps } from '../../../src/server/app';
import { WebviewTokens } from '../../../src/server/webview-token';
import { createGeocoder } from '../../../src/clients/geocoder/node-geocoder-adapter';
import { loadContent } from '../../../src/storage/content-loader';
import { silentLogger } from '../../../src/logger';
import { FakeNominatim } from '../../../dev/fakes/fake-nominatim';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the map picker', () => {
  const content = loadContent({ city: 'hue' });
  const tokens = new WebviewTokens('test-webview-secret');
  const token = tokens.sign('messenger', 'psid-map');
  const accepted: Array<{ userId: string; lat: number; lng: number }> = [];
  let nominatim: FakeNominatim;
  let browser: Browser;
  const servers: http.Server[] = [];

  /** The express app as main.ts builds it, with only what the web view uses. */
  function app(opts: { tileUrl: (base: string) => string; search: boolean }): Promise<{ base: string; app: express.Express }> {
    const geocoder = createGeocoder({ provider: 'openstreetmap', url: nominatim.url, countryCode: 'vn', suffix: content.city.geocoder.suffix, language: 'vi', logger: silentLogger });
    let base = '';
    const deps = {
      logger: silentLogger,
      db: { query: async () => ({ rows: [], rowCount: 0 }) },
      inbox: { accept: async (events: Array<{ userId: string; lat: number; lng: number }>) => void accepted.push(...events) },
      queries: { publicStatus: async () => null },
      images: { get: async () => null },
      city: content.city,
      publicUrl: 'http://bot.test',
      webviewTokens: tokens,
      webviewTokenUses: { spend: async () => true },
      trustProxy: 'loopback',
      get mapTileUrl() {
        return opts.tileUrl(base);
      },
      ...(opts.search ? { geocode: (q: string) => geocoder.search(q) } : {}),
      syntheticLocation: { messenger: (userId: string, lat: number, lng: number) => ({ userId, lat, lng }) },
      webhooks: {},
      extraRoutes: (a: express.Express) => {
        let png: Promise<Buffer> | undefined;
        a.get('/test-tiles/:z/:x/:y.png', async (_req, res) => {
          png ??= sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 230, g: 230, b: 220 } } }).png().toBuffer();
          res.type('image/png').send(await png);
        });
      },
    } as unknown as AppDeps;
    const a = createApp(deps);
    return new Promise((resolve) => {
      const server = a.listen(0, '127.0.0.1', () => {
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        resolve({ base, app: a });
      });
      servers.push(server);
    });
  }

  beforeAll(async () => {
    nominatim = new FakeNominatim();
    await nominatim.start();
    // Only loopback: any other host name resolves to nothing.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await nominatim?.stop();
  });

  it('searches an address through the app geocoder, only with the resident\'s signed link', async () => {
    const { app: a } = await app({ tileUrl: (b) => `${b}/test-tiles/{z}/{x}/{y}.png`, search: true });
    expect((await request(a).get('/webview/location/config')).body.search).toBe(true);
    expect((await request(a).get('/webview/location/search').query({ q: 'chợ Đông Ba' })).status).toBe(403);
    expect((await request(a).get('/webview/location/search').query({ q: 'x', t: token })).status).toBe(400);
    const market = await request(a).get('/webview/location/search').query({ q: 'chợ Đông Ba', t: token });
    expect(market.body).toMatchObject({ found: true, inside: true, address: expect.stringMatching(/Chợ Đông Ba/) });
    const gate = await request(a).get('/webview/location/search').query({ q: 'cửa Thượng Tứ', t: token });
    expect(gate.body).toMatchObject({ found: true, inside: true, address: expect.stringMatching(/Thượng Tứ/) });
    const elsewhere = await request(a).get('/webview/location/search').query({ q: '12 Trần Phú, Đà Nẵng', t: token });
    expect(elsewhere.body).toMatchObject({ found: true, inside: false });
    const nowhere = await request(a).get('/webview/location/search').query({ q: 'xyz không có thật', t: token });
    expect(nowhere.body).toEqual({ found: false });
  });

  it('when tiles cannot load, says so and the address search still picks and sends the place', async () => {
    const { base } = await app({ tileUrl: () => 'http://127.0.0.1:9/{z}/{x}/{y}.png', search: true });
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/webview/location?t=${encodeURIComponent(token)}&lang=vi`);
      await page.locator('#offline').waitFor({ state: 'visible' });
      expect(await page.locator('#offline').textContent()).toMatch(/Không tải được bản đồ.*gõ địa chỉ/);
      expect(await page.locator('#send').isDisabled()).toBe(true); // nothing chosen yet

      await page.fill('#q', 'Đà Nẵng');
      await page.click('#go');
      await page.locator('#found', { hasText: 'ngoài địa bàn' }).waitFor();
      expect(await page.locator('#send').isDisabled()).toBe(true);

      await page.fill('#q', 'chợ Đông Ba');
      await page.press('#q', 'Enter');
      await page.locator('#found', { hasText: 'Chợ Đông Ba' }).waitFor();
      await page.click('#send');
      await page.locator('#done').waitFor({ state: 'visible' });
      expect(accepted.at(-1)).toEqual({ userId: 'psid-map', lat: 16.4727, lng: 107.5883 });
    } finally {
      await page.close();
    }
  });

  it('with tiles, shows the map and no offline notice; without a geocoder, hides the search box', async () => {
    const { base } = await app({ tileUrl: (b) => `${b}/test-tiles/{z}/{x}/{y}.png`, search: false });
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/webview/location?t=${encodeURIComponent(token)}&lang=en`);
      await page.locator('.leaflet-tile-loaded').first().waitFor();
      expect(await page.locator('#offline').isVisible()).toBe(false);
      expect(await page.locator('#search').isVisible()).toBe(false);
      await page.click('#map', { position: { x: 120, y: 120 } });
      expect(await page.locator('#send').isDisabled()).toBe(false);
      expect(await page.locator('#hint').textContent()).toMatch(/drag the pin/);
    } finally {
      await page.close();
    }
  });
});
