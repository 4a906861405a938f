/**
 * A communications officer in a real browser: picks a resolved case and a Zalo group, sees the
 * draft exactly as it will be posted (with what was removed from the resident's words), approves
 * it, and the group gets the post. A viewer cannot open the page. axe checks every page.
 */
import { waitForDetection } from '../support/redaction';
import express from 'express';
import sharp from 'sharp';
import { mountSimulator } from '../../dev/simulator/simulator-routes';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/domain/staff/actor';
import { fileReport } from '../support/file-report';
import { checkA11y, launchBrowser, listen, snap, watchPage, withFailureScreenshot, type BrowserSession } from '../support/browser';
import { consoleHarness, createStaff } from '../integration/console/console-support';
import type { Harness } from '../support/harness';

const OPERATOR: Actor = { kind: 'staff', id: '901', role: 'operator', agencies: [], wards: [] };

let h: Harness;
let browser: BrowserSession;
let server: { url: string; close(): Promise<void> };
let code: string;

beforeAll(async () => {
  h = await consoleHarness();
  h.zalo.addGroup({ groupId: 'g-thuan-hoa', name: 'Phản ánh đã xử lý – Phường Thuận Hóa', members: 120 });
  ({ code } = await fileReport(h, 'zalo', '7500000000000000001'));
  await h.t.db.query("UPDATE reports SET description = 'Tôi là Trần Thị Bích, 0935 888 777: đèn đường tắt trước số 8 Lê Lợi' WHERE code = $1", [code]);
  const uc = h.rt.useCases;
  await uc.changeStatus.execute(code, { to: 'assigned', agency: 'chieu-sang' }, OPERATOR);
  await uc.changeStatus.execute(code, { to: 'in_progress' }, OPERATOR);
  const photo = await uc.recordPhoto.fromBytes(await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#f5c518' } }).jpeg().toBuffer());
  await uc.changeStatus.execute(code, { to: 'resolved', note: 'Đã thay bóng đèn LED mới.', photoIds: [photo.key] }, OPERATOR);
  // Only redacted copies are broadcast: wait for the face detector's job on every photo.
  for (const k of (await h.t.db.query<{ media_key: string }>('SELECT p.media_key FROM report_photos p JOIN reports r ON r.id = p.report_id WHERE r.code = $1', [code])).rows) await waitForDetection(h, k.media_key);
  await uc.broadcasts.syncTargets();
  server = await listen(h.rt.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/console`);
}

it('a communications officer composes, previews and approves a broadcast; the group gets one post', async () => {
  const officer = await createStaff(h, 'communications');
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'broadcast-compose', async () => {
    await signIn(page, officer.email, officer.password);
    await page.goto(`${server.url}/console/broadcasts/new`);
    await checkA11y(page, 'the new broadcast page');
    await page.getByLabel(new RegExp(code)).check();
    await page.getByLabel(/Phường Thuận Hóa/).check();
    await snap(page, '20-broadcast-new');
    await page.getByRole('button', { name: 'Tạo bản nháp và xem trước' }).click();
    await page.getByRole('heading', { name: /Xem trước/ }).waitFor();
    const preview = await page.locator('.caption-preview').textContent();
    expect(preview).toContain(code);
    expect(preview).not.toMatch(/Trần Thị Bích|0935|số 8/);
    await page.locator('.cards img').first().waitFor();
    expect(await page.locator('.cards img').first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await checkA11y(page, 'the draft page');
    await snap(page, '21-broadcast-draft');
    await page.getByRole('button', { name: 'Duyệt và gửi' }).click();
    await page.waitForLoadState('load');
    for (let i = 0; i < 60 && h.zalo.groupMessages('g-thuan-hoa').length === 0; i++) await page.waitForTimeout(250);
    await page.reload();
    await page.getByText('Đã đăng').first().waitFor();
    await snap(page, '22-broadcast-sent');
    watch.assertClean();
  });
  expect(h.zalo.groupMessages('g-thuan-hoa')).toHaveLength(1);
  await page.close();

  // The simulator shows the group as its members see it: the caption and the card.
  const simApp = express();
  mountSimulator(simApp, { appBaseUrl: () => server.url, graph: h.graph, zalo: h.zalo });
  const sim = await listen(simApp);
  const simPage = await browser.context.newPage();
  try {
    await withFailureScreenshot(simPage, 'broadcast-simulator', async () => {
      await simPage.goto(`${sim.url}/simulator`);
      await simPage.getByRole('tab', { name: 'Groups & Page' }).click();
      const post = simPage.locator('article.post.zalo-group');
      await post.waitFor();
      expect(await post.locator('header').textContent()).toContain('Phường Thuận Hóa');
      expect(await post.locator('p').textContent()).toContain(code);
      await post.locator('img').waitFor();
      await simPage.waitForFunction(() => {
        const img = document.querySelector('article.post img') as HTMLImageElement | null;
        return !!img && img.complete && img.naturalWidth > 0;
      });
      await snap(simPage, '23-simulator-group-post');
    });
  } finally {
    await simPage.close();
    await sim.close();
  }
}, 120_000);

it('a viewer is refused the broadcast pages', async () => {
  const viewer = await createStaff(h, 'viewer');
  await browser.context.clearCookies(); // the officer's session ends here
  const page = await browser.context.newPage();
  await withFailureScreenshot(page, 'broadcast-viewer', async () => {
    await signIn(page, viewer.email, viewer.password);
    const res = await page.goto(`${server.url}/console/broadcasts/new`);
    expect(res?.status()).toBe(403);
  });
  await page.close();
});
