/**
 * The report desk in a real browser (Debian's chromium through playwright-core) against the app on a
 * loopback port, real PostgreSQL, the fake platforms and a loopback tile server: the IOC triages a
 * report a resident filed through the signed webhook, the agency resolves it with a result photo,
 * and the resident's notification arrives at the fake Graph API; role refusals; the clustered map;
 * a phone. Every page passes axe (no serious or critical violations) and raises no CSP refusal.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { fileReport } from '../support/file-report';
import type { Harness } from '../support/harness';
import { seedCode, seedReports } from '../support/seed-reports';
import { checkA11y, launchBrowser, listen, snap, watchPage, withFailureScreenshot, type BrowserSession } from '../support/browser';
import { consoleHarness, createStaff, type TestClock } from '../integration/console/console-support';

// Four stories in a real browser on a shared 2-core machine: generous time, never a timed assertion.
jest.setTimeout(120_000);

let h: Harness & { clock: TestClock };
let server: { url: string; close(): Promise<void> };
let tiles: http.Server;
let browser: BrowserSession;
const people: Record<'operator' | 'hepco' | 'lights' | 'viewer', { email: string; password: string }> = {} as never;

beforeAll(async () => {
  // Map tiles from loopback (tests never reach the internet): one plain tile for every request.
  const tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#dfe7d4' } }).png().toBuffer();
  tiles = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(tile));
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', () => resolve()));
  const tileUrl = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}/{z}/{x}/{y}.png`;
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000', MAP_TILE_URL: tileUrl } });
  people.operator = await createStaff(h, 'operator', { email: 'dieu.hanh@hue.gov.vn' });
  people.hepco = await createStaff(h, 'agency', { agencies: ['hepco'], email: 'hepco@hue.gov.vn' });
  people.lights = await createStaff(h, 'agency', { agencies: ['chieu-sang'], email: 'chieu.sang@hue.gov.vn' });
  people.viewer = await createStaff(h, 'viewer', { email: 'xem@hue.gov.vn' });
  server = await listen(h.rt.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise<void>((resolve) => (tiles ? tiles.close(() => resolve()) : resolve()));
  await h?.close();
});

/** Signs in as `who` (signing out whoever the shared browser profile still has signed in). */
async function signInAs(page: Page, who: keyof typeof people): Promise<void> {
  await page.goto(`${server.url}/console/login`);
  if ((await page.getByRole('button', { name: 'Đăng xuất' }).count()) > 0) {
    await signOut(page);
    await page.goto(`${server.url}/console/login`);
  }
  await page.getByLabel('Email').fill(people[who].email);
  await page.getByLabel('Mật khẩu').fill(people[who].password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/console`);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/console\/login\?bye=1$/);
}

/** Waits until the report map drew its tiles (proves the tile server passes the page's CSP). */
async function mapDrawn(page: Page): Promise<void> {
  await page.locator('.leaflet-tile-loaded').first().waitFor();
}

it('the IOC triages a report filed through the webhook, the agency resolves it with a result photo, and the resident is told at the fake platform', async () => {
  const psid = `psid-browser-${process.pid}`;
  const { code } = await fileReport(h, 'messenger', psid);
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'reports-triage-resolve', async () => {
    await signInAs(page, 'operator');
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Phản ánh' }).click();
    await page.getByRole('heading', { level: 1, name: 'Phản ánh' }).waitFor();
    await page.getByRole('group', { name: 'Trạng thái' }).getByLabel('Mới tiếp nhận').check();
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/status=received/);
    const row = page.getByRole('row').filter({ hasText: code });
    await row.waitFor();
    expect(await row.textContent()).toContain('Đề xuất: Công ty CP Môi trường và Công trình đô thị Huế');
    await checkA11y(page, 'the report list');
    await snap(page, 'reports-01-list');

    await row.getByRole('link', { name: code }).click();
    await page.getByRole('heading', { level: 1, name: `Phản ánh ${code}` }).waitFor();
    await mapDrawn(page);
    expect(await page.getByLabel('Đơn vị xử lý').inputValue()).toBe('hepco');
    await checkA11y(page, 'the report page (IOC)');
    await snap(page, 'reports-02-report-ioc');
    await page.getByLabel('Ghi chú nội bộ (không gửi người dân, không bắt buộc)').first().fill('Cây chắn đường, ưu tiên');
    await page.getByRole('button', { name: 'Giao việc' }).click();
    await page.getByText('Đã giao việc. Người dân đã được thông báo.').waitFor();
    await page.getByText('Cây chắn đường, ưu tiên').waitFor();
    await signOut(page);

    await signInAs(page, 'hepco');
    await page.goto(`${server.url}/console/reports?status=assigned`);
    await page.getByRole('link', { name: code }).click();
    await page.getByRole('button', { name: 'Bắt đầu xử lý' }).click();
    await page.getByText('Đã chuyển sang đang xử lý.').waitFor();
    await page.getByLabel('Mẫu trả lời').selectOption({ label: 'Đã xử lý cây' });
    const reply = page.getByLabel('Trả lời người dân (bắt buộc)');
    expect(await reply.inputValue()).toContain('Cây xanh tại vị trí bạn phản ánh đã được cắt tỉa');
    await reply.fill(`${await reply.inputValue()} Cảm ơn bạn.`);
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#4a8' } }).jpeg().toBuffer();
    await page.getByLabel('Ảnh kết quả (1–5 ảnh)').setInputFiles({ name: 'ket-qua.jpg', mimeType: 'image/jpeg', buffer: photo });
    await checkA11y(page, 'the report page (agency, resolving)');
    await snap(page, 'reports-03-resolve-form');
    await page.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
    await page.getByText('Đã hoàn thành. Người dân đã nhận trả lời và ảnh kết quả.').waitFor();
    await page.getByRole('img', { name: `Ảnh kết quả 1 của phản ánh ${code}` }).waitFor();
    await checkA11y(page, 'the resolved report');
    await snap(page, 'reports-04-resolved');
    watch.assertClean();
  });
  await page.close();

  // The resident hears it in their thread: the reply text and the result photo.
  const msgs = await h.graph.waitForMessages(psid, 1, 1);
  const deadline = Date.now() + 10_000;
  let all = msgs;
  while (Date.now() < deadline && !JSON.stringify(all).includes('Cảm ơn bạn.')) {
    await new Promise((r) => setTimeout(r, 100));
    all = h.graph.sentMessages(psid);
  }
  const text = all.map((m) => m.message?.text ?? '').find((t) => t.includes('Cảm ơn bạn.'));
  expect(text).toContain(code);
  expect(all.some((m) => m.message?.attachment?.type === 'image')).toBe(true);
  expect(JSON.stringify(all)).not.toContain('Cây chắn đường, ưu tiên');
});

it('refuses by role: a viewer sees no actions and a forged post gets 403; an agency never sees another agency\'s report', async () => {
  const { code } = await fileReport(h, 'messenger', `psid-browser-roles-${process.pid}`);
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'reports-roles', async () => {
    await signInAs(page, 'viewer');
    await page.goto(`${server.url}/console/reports/${code}`);
    await page.getByRole('heading', { level: 1, name: `Phản ánh ${code}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Giao việc' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Xử lý', exact: true }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Ghi chú nội bộ', exact: true }).count()).toBe(0);
    await checkA11y(page, 'the report page (viewer)');
    const forged = await page.evaluate(async (c) => {
      const csrf = JSON.parse(document.body.getAttribute('hx-headers') ?? '{}')['X-CSRF-Token'];
      const res = await fetch(`/console/reports/${c}/transitions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, to: 'assigned', agency: 'hepco' }) });
      return res.status;
    }, code);
    expect(forged).toBe(403);
    await signOut(page);

    await signInAs(page, 'lights');
    const res = await page.goto(`${server.url}/console/reports/${code}`);
    expect(res?.status()).toBe(404);
    await page.getByText('Không tìm thấy phản ánh này, hoặc phản ánh không thuộc phạm vi của bạn.').waitFor();
    await checkA11y(page, 'the not-found page');
    await snap(page, 'reports-05-agency-refused');
    await page.goto(`${server.url}/console/reports`);
    expect(await page.getByRole('link', { name: code }).count()).toBe(0);
    await signOut(page);
    watch.assertClean();
  });
  await page.close();
  expect((await h.t.db.query<{ status: string }>('SELECT status FROM reports WHERE code = $1', [code])).rows[0]!.status).toBe('received');
});

it('shows the filter on a clustered map', async () => {
  const base = h.clock.now().getTime();
  await seedReports(
    h.t.db,
    Array.from({ length: 300 }, (_, i) => ({
      code: seedCode(i, 'M'),
      status: i % 3 === 0 ? 'received' : 'assigned',
      agency: i % 3 === 0 ? null : 'hepco',
      category: 'waste',
      lat: 16.44 + (i % 20) * 0.003,
      lng: 107.56 + Math.floor(i / 20) * 0.004,
      createdAt: new Date(base - i * 60_000),
      dueAt: new Date(base + (i % 2 ? 3_600_000 : -3_600_000)),
    })),
  );
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'reports-map', async () => {
    await signInAs(page, 'operator');
    await page.goto(`${server.url}/console/reports?category=waste`);
    await page.getByRole('link', { name: 'Xem trên bản đồ' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bản đồ phản ánh' }).waitFor();
    await page.locator('#reports-map[data-loaded]').waitFor();
    expect(Number(await page.locator('#reports-map').getAttribute('data-loaded'))).toBeGreaterThanOrEqual(300);
    await page.locator('.marker-cluster').first().waitFor();
    await mapDrawn(page);
    await page.getByText(/Đang hiển thị \d+ phản ánh\./).waitFor();
    await checkA11y(page, 'the map page');
    await snap(page, 'reports-06-map');
    await page.getByRole('link', { name: 'Về danh sách với cùng bộ lọc' }).click();
    await page.getByRole('heading', { level: 1, name: 'Phản ánh' }).waitFor();
    await page.getByLabel('Sắp xếp').selectOption({ label: 'Sắp đến hạn trước' });
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.waitForURL(/sort=due/);
    expect(await page.locator('tr.row-overdue').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Trang sau' }).count()).toBe(1);
    await checkA11y(page, 'a long list with overdue reports');
    await snap(page, 'reports-09-list-busy');
    watch.assertClean();
  });
  await page.close();
});

it('works on a phone: the list and a report fit the screen and pass axe', async () => {
  const { code } = await fileReport(h, 'messenger', `psid-browser-phone-${process.pid}`);
  const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const page = await phone.context.newPage();
    const watch = watchPage(page);
    await withFailureScreenshot(page, 'reports-phone', async () => {
      await signInAs(page, 'operator');
      await page.goto(`${server.url}/console/reports`);
      await checkA11y(page, 'the report list on a phone');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await snap(page, 'reports-07-phone-list');
      await page.goto(`${server.url}/console/reports/${code}`);
      await mapDrawn(page);
      await checkA11y(page, 'the report page on a phone');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await snap(page, 'reports-08-phone-report');
      watch.assertClean();
    });
  } finally {
    await phone.close();
  }
});
