/**
 * The redaction page in a real browser (Debian's chromium through playwright-core) against the app
 * on a loopback port, with real PostgreSQL and the real face detector: an operator sees the faces
 * found automatically, draws a box over a number plate with the mouse, previews, saves, and the
 * public copy served to anyone has that region pixelated. On a phone a finger moves a box; the
 * keyboard moves and deletes boxes. Every page passes axe and raises no CSP refusal.
 */
import request from 'supertest';
import type { Page } from 'playwright-core';
import { composeScene, covered, flatness, rgb, type Scene } from '../fixtures/face-scenes';
import type { Harness } from '../support/harness';
import { checkA11y, launchBrowser, listen, snap, watchPage, withFailureScreenshot, type BrowserSession } from '../support/browser';
import { fileReportWithPhoto, waitForDetection } from '../support/redaction';
import { ADMIN, consoleHarness, createStaff, type TestClock } from '../integration/console/console-support';

jest.setTimeout(180_000);

let h: Harness & { clock: TestClock };
let server: { url: string; close(): Promise<void> };
let browser: BrowserSession;
let scene: Scene;
let report: { code: string; key: string };
let operator: { email: string; password: string };

beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  server = await listen(h.rt.app);
  browser = await launchBrowser();
  scene = await composeScene({ width: 1200, height: 900, placements: [{ sample: 6, width: 640, left: 40, top: 40 }], plate: { x: 820, y: 700, w: 240, h: 60 }, seed: 21 });
  report = await fileReportWithPhoto(h, 'psid-redact-browser', scene.jpeg);
  await waitForDetection(h, report.key);
  operator = await createStaff(h, 'operator');
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Mật khẩu').fill(who.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/console`);
}

const pagePath = () => `/console/reports/${report.code}/photos/${report.key}/redact`;

/** Where a point of the stored photo is in the viewport (the photo scrolled into view first). */
async function screenPoint(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  await page.locator('#redact-layer').scrollIntoViewIfNeeded();
  const r = (await page.locator('#redact-layer').boundingBox())!;
  return { x: r.x + (x * r.width) / scene.width, y: r.y + (y * r.height) / scene.height };
}

async function boxCount(page: Page): Promise<number> {
  return page.locator('#redact-list > li').count();
}

async function staffBoxes(): Promise<Array<{ x: number; y: number; w: number; h: number }>> {
  const r = await h.t.db.query<{ staff_boxes: Array<{ x: number; y: number; w: number; h: number }> }>('SELECT staff_boxes FROM photo_redactions WHERE media_key = $1', [report.key]);
  return r.rows[0]!.staff_boxes;
}

async function publicCopy(): Promise<Awaited<ReturnType<typeof rgb>>> {
  const status = await request(h.rt.app).get(`/api/reports/${report.code}`);
  expect(status.body.photos).toHaveLength(1);
  const url = new URL(status.body.photos[0].url as string);
  expect(url.pathname).not.toContain(report.key);
  const img = await request(h.rt.app).get(url.pathname);
  expect(img.status).toBe(200);
  return rgb(img.body as Buffer);
}

it('an operator draws a box over the number plate with the mouse, previews, saves, and the public image has it pixelated', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'redaction-draw', async () => {
    await signIn(page, operator);
    await page.goto(`${server.url}${pagePath()}`);
    await page.getByRole('heading', { level: 1, name: `Che thông tin trên ảnh · ${report.code}` }).waitFor();
    await page.locator('#redact-photo').evaluate((img: HTMLImageElement) => (img.complete ? null : new Promise((r) => img.addEventListener('load', r, { once: true }))));
    // The faces found automatically are there (sample 6 has four), as dashed boxes.
    const autoBoxes = await page.locator('.rbox-auto').count();
    expect(autoBoxes).toBeGreaterThanOrEqual(4);
    expect(await boxCount(page)).toBe(autoBoxes);
    await checkA11y(page, 'the redaction page');
    await snap(page, 'redact-01-automatic-faces');

    // The plate is not pixelated in the public copy yet.
    const plate = scene.plate!;
    expect(flatness(await publicCopy(), plate, 4)).toBeLessThan(0.6);

    // Draw from just outside the plate's top-left corner to just outside its bottom-right.
    const from = await screenPoint(page, plate.x - 4, plate.y - 4);
    const to = await screenPoint(page, plate.x + plate.w + 4, plate.y + plate.h + 4);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    expect(await boxCount(page)).toBe(autoBoxes + 1);
    await page.getByText('Có thay đổi chưa lưu.').waitFor();
    await snap(page, 'redact-02-plate-drawn');

    // Preview: the canvas shows the plate pixelated (computed in the page like the server does).
    await page.getByRole('button', { name: 'Xem trước bản công khai' }).click();
    await page.locator('#redact-preview-canvas').waitFor({ state: 'visible' });
    const previewFlat = await page.evaluate(
      ([x, y, w, hh]) => {
        const c = document.getElementById('redact-preview-canvas') as HTMLCanvasElement;
        const d = c.getContext('2d')!.getImageData(x!, y!, w!, hh!).data;
        let same = 0;
        for (let i = 4; i < d.length; i += 4) if (d[i] === d[i - 4] && d[i + 1] === d[i - 3] && d[i + 2] === d[i - 2]) same++;
        return same / (d.length / 4 - 1);
      },
      [plate.x, plate.y, plate.w, plate.h],
    );
    expect(previewFlat).toBeGreaterThan(0.9);
    await checkA11y(page, 'the redaction page in preview');
    await snap(page, 'redact-03-preview');
    await page.getByRole('button', { name: 'Quay lại chỉnh sửa' }).click();

    await page.getByRole('button', { name: 'Lưu và tạo ảnh công khai' }).click();
    await page.waitForURL(/\?saved=1$/);
    await page.getByText('Đã lưu. Ảnh công khai đã được tạo lại').waitFor();
    await snap(page, 'redact-04-saved');

    // The box drawn covers the plate; the public copy has the plate pixelated.
    const saved = await staffBoxes();
    expect(saved).toHaveLength(autoBoxes + 1);
    expect(saved.some((b) => covered(plate, b) >= 0.95)).toBe(true);
    expect(flatness(await publicCopy(), plate, 4)).toBeGreaterThan(0.9);
    // The page shows the new public copy (same origin, through /media).
    const shown = await page.locator('#redact-public').getAttribute('src');
    const status = await request(h.rt.app).get(`/api/reports/${report.code}`);
    expect(`http://bot.test${shown}`).toBe(status.body.photos[0].url);
    await checkA11y(page, 'the redaction page after saving');
    watch.assertClean();
  });
  await page.close();
});

it('the keyboard moves and deletes a box, in English', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'redaction-keyboard', async () => {
    await signIn(page, { email: ADMIN.email, password: ADMIN.password });
    await page.goto(`${server.url}${pagePath()}?lang=en`);
    await page.getByRole('heading', { level: 1, name: `Redact a photo · ${report.code}` }).waitFor();
    const before = await boxCount(page);
    const first = page.locator('.rbox').first();
    await first.focus();
    const label = (await first.getAttribute('aria-label'))!;
    const x0 = Number(/· x (\d+)/.exec(label)![1]);
    await page.keyboard.press('ArrowRight');
    const moved = (await page.locator('.rbox').first().getAttribute('aria-label'))!;
    expect(Number(/· x (\d+)/.exec(moved)![1])).toBe(x0 + 12); // 1% of the photo's longer side
    await page.keyboard.press('Delete');
    expect(await boxCount(page)).toBe(before - 1);
    await page.getByRole('button', { name: 'Add a box' }).click();
    expect(await boxCount(page)).toBe(before);
    await checkA11y(page, 'the redaction page in English');
    await snap(page, 'redact-05-keyboard-en');
    // Leave without saving (nothing changes on the server).
    page.once('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/console?lang=vi`);
    watch.assertClean();
  });
  await page.close();
});

it('on a phone: the page fits, a finger moves a box, and the save is what the public gets', async () => {
  const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const page = await phone.context.newPage();
    const watch = watchPage(page);
    await withFailureScreenshot(page, 'redaction-phone', async () => {
      await signIn(page, operator);
      await page.goto(`${server.url}${pagePath()}`);
      await page.locator('#redact-photo').evaluate((img: HTMLImageElement) => (img.complete ? null : new Promise((r) => img.addEventListener('load', r, { once: true }))));
      await checkA11y(page, 'the redaction page on a phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await snap(page, 'redact-06-phone');

      // Move the plate's box 60 px (photo pixels) to the left with a finger.
      const plate = scene.plate!;
      const before = await staffBoxes();
      const index = before.findIndex((b) => covered(plate, b) >= 0.95);
      const box = before[index]!;
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
      const start = await screenPoint(page, box.x + box.w / 2, box.y + box.h / 2);
      const end = await screenPoint(page, box.x + box.w / 2 - 60, box.y + box.h / 2);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: start.x, y: start.y }] });
      for (let i = 1; i <= 6; i++) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: start.x + ((end.x - start.x) * i) / 6, y: start.y }] });
      }
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.getByText('Có thay đổi chưa lưu.').waitFor();
      await snap(page, 'redact-07-phone-moved');
      await page.getByRole('button', { name: 'Lưu và tạo ảnh công khai' }).click();
      await page.waitForURL(/\?saved=1$/);

      const after = await staffBoxes();
      const movedBox = after[index]!;
      // A finger on a 350 px wide photo of 1200 px: the move is 60 px within a few pixels of rounding.
      expect(Math.abs(movedBox.x - (box.x - 60))).toBeLessThanOrEqual(8);
      expect(movedBox.y).toBe(box.y);
      expect({ w: movedBox.w, h: movedBox.h }).toEqual({ w: box.w, h: box.h });
      // The region now covered is pixelated in the public copy.
      const copy = await publicCopy();
      expect(flatness(copy, { x: movedBox.x, y: movedBox.y, w: movedBox.w, h: movedBox.h }, 4)).toBeGreaterThan(0.9);
      watch.assertClean();
    });
  } finally {
    await phone.close();
  }
});
