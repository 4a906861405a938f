/**
 * The staff console in a real browser (Debian's chromium through playwright-core), against the app
 * on a loopback port with real PostgreSQL: an admin signs in, creates a user, sees them in the
 * list and signs out; API keys are revoked through htmx (CSRF header from the layout); every page
 * passes axe (no serious or critical violations) and raises no CSP refusal; on a phone too.
 */
import type { Page } from 'playwright-core';
import type { Harness } from '../support/harness';
import { checkA11y, launchBrowser, listen, snap, watchPage, withFailureScreenshot, type BrowserSession } from '../support/browser';
import { ADMIN, consoleHarness, type TestClock } from '../integration/console/console-support';

let h: Harness & { clock: TestClock };
let server: { url: string; close(): Promise<void> };
let browser: BrowserSession;

beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  server = await listen(h.rt.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Mật khẩu').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/console`);
}

it('an admin signs in, creates a user, sees them in the list, and signs out', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'admin-creates-user', async () => {
    await page.goto(`${server.url}/console/login`);
    await checkA11y(page, 'the sign-in page');
    await snap(page, '01-login');

    await signIn(page);
    await page.getByRole('heading', { level: 1, name: 'Trang chính' }).waitFor();
    expect(await page.evaluate(() => typeof (window as unknown as { htmx?: unknown }).htmx)).toBe('object');
    await checkA11y(page, 'the home page');
    await snap(page, '02-home');

    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Người dùng' }).click();
    await page.getByRole('link', { name: 'Thêm người dùng' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thêm người dùng' }).waitFor();
    await checkA11y(page, 'the new user form');
    await page.getByLabel('Email').fill('tran.thi.b@hue.gov.vn');
    await page.getByLabel('Họ tên').fill('Trần Thị B');
    await page.getByRole('radio', { name: /^Đơn vị xử lý/ }).check();
    await page.getByLabel('Công ty CP Môi trường và Công trình đô thị Huế').check();
    await page.getByLabel('Mã phường/xã').fill('19774');
    await snap(page, '03-new-user-form');
    await page.getByRole('button', { name: 'Tạo người dùng' }).click();

    await page.getByRole('heading', { level: 1, name: 'Trần Thị B' }).waitFor();
    const link = await page.locator('#one-time-link').inputValue();
    expect(link).toMatch(/\/console\/password\/[A-Za-z0-9_-]{43}$/);
    await checkA11y(page, 'the user page with the one-time link');
    await snap(page, '04-user-created');

    await page.getByRole('link', { name: 'Về danh sách' }).click();
    const row = page.getByRole('row').filter({ hasText: 'tran.thi.b@hue.gov.vn' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Trần Thị B');
    expect(await row.textContent()).toContain('Đơn vị xử lý');
    expect(await row.textContent()).toContain('Chưa đặt mật khẩu');
    await checkA11y(page, 'the users list');
    await snap(page, '05-users-list');

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(`${server.url}/console/login?bye=1`);
    await page.getByText('Bạn đã đăng xuất.').waitFor();
    await page.goto(`${server.url}/console/users`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await snap(page, '06-signed-out');
    watch.assertClean();
  });
  await page.close();
});

it('revokes an API key through htmx (the CSRF header comes from the layout), in English', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'revoke-key', async () => {
    await signIn(page);
    await page.goto(`${server.url}/console/api-keys?lang=en`);
    await page.getByLabel('Key name').fill('IOC dashboard');
    await page.getByRole('radio', { name: /^Viewer/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.locator('#new-key').inputValue();
    expect(key).toMatch(/^pak_\d+_/);
    await checkA11y(page, 'the API keys page');
    await snap(page, '07-api-key-created');

    page.once('dialog', (d) => void d.accept());
    const row = page.getByRole('row').filter({ hasText: 'IOC dashboard' });
    await row.getByRole('button', { name: /Revoke/ }).click();
    await row.getByText(/^Revoked/).waitFor();
    await snap(page, '08-api-key-revoked');

    const status = await page.evaluate(async (k) => (await fetch('/api/staff/v1/me', { headers: { authorization: `Bearer ${k}` } })).status, key);
    expect(status).toBe(401);
    watch.assertClean();
  });
  await page.close();
});

it('works on a phone: the sign-in page and the users list fit and pass axe', async () => {
  const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const page = await phone.context.newPage();
    const watch = watchPage(page);
    await withFailureScreenshot(page, 'phone', async () => {
      await page.goto(`${server.url}/console/login`);
      await checkA11y(page, 'the sign-in page on a phone');
      await snap(page, '09-phone-login');
      await signIn(page);
      await page.goto(`${server.url}/console/users`);
      await checkA11y(page, 'the users list on a phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await snap(page, '10-phone-users');
      watch.assertClean();
    });
  } finally {
    await phone.close();
  }
});
