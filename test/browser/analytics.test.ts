/**
 * The console's analytics in a real browser: a viewer reads the dashboard (charts drawn, no CSP
 * refusal, axe clean), on a phone too; the weekly report prints as A4 (a PDF is made with the print
 * stylesheet) and its toolbar's print button appears only with JavaScript.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createStaff } from '../integration/console/console-support';
import { checkA11y, launchBrowser, listen, SCREENSHOTS, snap, watchPage, withFailureScreenshot, type BrowserSession } from '../support/browser';
import { fileAs, move, publicHarness, resolve, type PublicHarness } from '../support/public-support';

let h: PublicHarness;
let server: { url: string; close(): Promise<void> };
let browser: BrowserSession;
let viewer: { email: string; password: string };

beforeAll(async () => {
  h = await publicHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  const cats = ['road-damage', 'waste', 'trees', 'street-lights', 'drainage-flooding'];
  for (let week = 0; week < 3; week++) {
    for (let i = 0; i < 3 + week; i++) {
      const r = await fileAs(h, `psid-br-an-${week}-${i}`, { category: cats[(i + week) % cats.length]! });
      h.clock.advance(3 * 3_600_000);
      if (i % 2 === 0) await resolve(h, r.code, 'Đã xử lý.', false);
      else await move(h, r.code, { to: 'assigned', agency: 'hepco' });
    }
    h.clock.advance(7 * 86_400_000);
  }
  await h.t.db.query("UPDATE reports SET ward = CASE WHEN id % 2 = 0 THEN '19789' ELSE '19753' END");
  viewer = await createStaff(h, 'viewer');
  server = await listen(h.rt.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

/** Signs in unless the browser's session already is (the tests share one profile). */
async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${server.url}/console`);
  if (!page.url().includes('/console/login')) return;
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Mật khẩu').fill(who.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/console`);
}

it('a viewer reads the dashboard: charts, figures, accessible', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'analytics-dashboard', async () => {
    await signIn(page, viewer);
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thống kê' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thống kê phản ánh' }).waitFor();
    await page.getByRole('img', { name: 'Tiếp nhận, đã xử lý và quá hạn theo tuần' }).waitFor();
    expect(await page.locator('svg.chart rect.bar').count()).toBeGreaterThan(10);
    await page.getByText('Số liệu chi tiết').first().click();
    await page.getByRole('table', { name: 'Tiếp nhận, đã xử lý và quá hạn theo tuần' }).waitFor();
    await checkA11y(page, 'the analytics dashboard');
    await snap(page, 'analytics-01-dashboard');
    await page.getByLabel('Số tuần').selectOption('4');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(/weeks=4/);
    watch.assertClean();
  });
  await page.close();
});

it('the weekly report prints on A4', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'analytics-weekly', async () => {
    await signIn(page, viewer);
    await page.goto(`${server.url}/console/analytics/weekly?week=2026-03-09`);
    await page.getByRole('heading', { level: 1, name: /BÁO CÁO/ }).waitFor();
    await page.getByRole('button', { name: 'In báo cáo' }).waitFor();
    await checkA11y(page, 'the weekly report');
    await snap(page, 'analytics-02-weekly');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.toolbar').isVisible()).toBe(false);
    await snap(page, 'analytics-03-weekly-print');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.writeFileSync(path.join(SCREENSHOTS, 'analytics-weekly-report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 is 595 × 842 points.
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
    expect(Math.round(Number(box![1]))).toBe(595);
    expect(Math.round(Number(box![2]))).toBe(842);
    watch.assertClean();
  });
  await page.close();
});

it('on a phone the dashboard fits the screen', async () => {
  const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const page = await phone.context.newPage();
    await withFailureScreenshot(page, 'analytics-phone', async () => {
      await signIn(page, viewer);
      await page.goto(`${server.url}/console/analytics`);
      await page.getByRole('img', { name: 'Tiếp nhận, đã xử lý và quá hạn theo tuần' }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await checkA11y(page, 'the dashboard on a phone');
      await snap(page, 'analytics-04-phone');
    });
  } finally {
    await phone.close();
  }
});
