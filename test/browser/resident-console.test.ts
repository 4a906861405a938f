/**
 * The hand-over queue and content editing in a real browser (Debian's chromium), against the app on
 * a loopback port with real PostgreSQL, the fakes and signed webhooks: a resident asks for a person
 * on Zalo and the badge announces it without a reload; an operator reads the transcript, replies
 * (the fake records it in the resident's thread), sees the resident's next message arrive, and
 * returns the conversation to the bot; an admin previews and saves an FAQ answer that the resident
 * then gets, and adds a canned reason that a report's page then offers. Every page passes axe and
 * raises no CSP refusal; the conversation page fits a phone.
 */
import type { Page } from 'playwright-core';
import { createHarness, type Harness } from '../support/harness';
import { checkA11y, launchBrowser, listen, snap, watchPage, withFailureScreenshot, type BrowserSession } from '../support/browser';
import { ADMIN, createStaff } from '../integration/console/console-support';
import { messengerChat, zaloChat } from '../integration/conversation/chat';
import { seedCode, seedReports } from '../support/seed-reports';

let h: Harness;
let server: { url: string; close(): Promise<void> };
let browser: BrowserSession;
let operator: { email: string; password: string };

beforeAll(async () => {
  h = await createHarness({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOGIN_IP_LIMIT: '1000' }, nlu: true });
  operator = await createStaff(h, 'operator');
  server = await listen(h.rt.app);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await h?.close();
});

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.context().clearCookies(); // another test may have signed someone else in
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Mật khẩu').fill(who.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/console`);
}

it('an operator is told within seconds that a Zalo resident asked for a person, replies in their thread, sees their answer arrive, and returns them to the bot', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  const chat = zaloChat(h, '7440000000000000001');
  await withFailureScreenshot(page, 'handover-reply', async () => {
    await signIn(page, operator);
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    await nav.getByRole('link', { name: 'Chuyển cho cán bộ' }).waitFor();

    // The resident asks while the operator is on the home page: the badge appears by itself.
    await chat.say('Cống trước nhà tôi bị tắc');
    await chat.say('gặp cán bộ');
    await nav.getByRole('link', { name: /Chuyển cho cán bộ\s*1 1 đang chờ/ }).waitFor();
    await snap(page, 'resident-01-badge');

    await nav.getByRole('link', { name: /Chuyển cho cán bộ/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Người dân cần gặp cán bộ' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Zalo' });
    await row.getByText('Chờ trả lời').waitFor();
    await checkA11y(page, 'the hand-over queue');
    await snap(page, 'resident-02-queue');

    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: /Trò chuyện qua Zalo/ }).waitFor();
    const transcript = page.locator('#transcript');
    await transcript.getByText('Cống trước nhà tôi bị tắc').waitFor();
    await transcript.getByText(/chuyển cuộc trò chuyện cho cán bộ/).waitFor();
    await checkA11y(page, 'a hand-over conversation');
    await snap(page, 'resident-03-conversation');

    const before = h.zalo.sentMessages(chat.userId).length;
    await page.getByLabel('Tin nhắn').fill('Chào chị, đội thoát nước sẽ đến thông cống trong sáng mai.');
    await page.getByRole('button', { name: 'Gửi trả lời' }).click();
    await page.getByText('Đã gửi trả lời cho người dân.').waitFor();
    await transcript.getByText('Chào chị, đội thoát nước sẽ đến thông cống trong sáng mai.').waitFor();
    expect(h.zalo.sentMessages(chat.userId).slice(before).map((m) => (m.message as { text?: string }).text)).toEqual(['Chào chị, đội thoát nước sẽ đến thông cống trong sáng mai.']);

    // The resident answers; the open page shows it without a reload.
    expect(await chat.say('Dạ cảm ơn anh, mai tôi ở nhà cả ngày')).toEqual([]);
    await transcript.getByText('Dạ cảm ơn anh, mai tôi ở nhà cả ngày').waitFor();
    await checkA11y(page, 'the conversation after a reply');
    await snap(page, 'resident-04-replied');

    await page.getByRole('button', { name: 'Trả lại cho trợ lý' }).click();
    await page.getByText('Đã trả cuộc trò chuyện cho trợ lý tự động.').waitFor();
    await page.getByText('Hiện không có ai đang chờ gặp cán bộ.').waitFor();
    expect((h.zalo.sentMessages(chat.userId).at(-1)!.message as { text?: string }).text).toMatch(/trợ lý tự động đã quay lại/);
    await snap(page, 'resident-05-returned');
    watch.assertClean();
  });
  await page.close();
}, 90_000);

it('the conversation page works on a phone, in English', async () => {
  const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
  try {
    const page = await phone.context.newPage();
    const watch = watchPage(page);
    await withFailureScreenshot(page, 'handover-phone', async () => {
      const chat = messengerChat(h, 'psid-browser-phone');
      await chat.say('tôi muốn nói chuyện với cán bộ');
      await signIn(page, operator);
      await page.goto(`${server.url}/console/handovers?lang=en`);
      await page.getByRole('heading', { level: 1, name: 'Residents asking for a person' }).waitFor();
      await page.getByRole('row').filter({ hasText: 'Messenger' }).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: /Messenger conversation/ }).waitFor();
      await page.getByLabel('Message').waitFor();
      await checkA11y(page, 'a hand-over conversation on a phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await snap(page, 'resident-06-phone-conversation');
      watch.assertClean();
    });
  } finally {
    await phone.close();
  }
}, 60_000);

it('an admin previews an FAQ answer in both languages, saves it, sees it in the history, and the resident gets it', async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'content-edit', async () => {
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Nội dung' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nội dung trả lời' }).waitFor();
    await checkA11y(page, 'the content index');
    await snap(page, 'resident-07-content-index');

    await page.getByRole('link', { name: 'Cấp hộ chiếu phổ thông' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cấp hộ chiếu phổ thông' }).waitFor();
    await checkA11y(page, 'an FAQ edit form');
    const shortVi = page.getByLabel('Tiếng Việt', { exact: true }).first();
    await shortVi.fill('Hộ chiếu làm nhanh nhất trên VNeID; nhận kết quả tại nhà qua bưu điện. Cần hỗ trợ, gọi {{city.hotline}}.');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    const preview = page.getByRole('region', { name: 'Xem trước: người dân sẽ đọc' });
    await preview.getByText(/nhận kết quả tại nhà qua bưu điện\. Cần hỗ trợ, gọi 1022\./).waitFor();
    await preview.locator('[lang="en"]').getByText('Passport', { exact: false }).first().waitFor();
    await checkA11y(page, 'an FAQ preview');
    await snap(page, 'resident-08-content-preview');

    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu. Trợ lý dùng nội dung mới từ tin nhắn tiếp theo.').waitFor();
    const history = page.getByRole('region', { name: 'Lịch sử thay đổi' });
    await history.getByText(/nhận kết quả tại nhà qua bưu điện/).first().waitFor();
    await checkA11y(page, 'the FAQ page after saving');
    await snap(page, 'resident-09-content-saved');

    const chat = messengerChat(h, 'psid-browser-faq');
    await chat.say('xin chào');
    expect((await chat.say('làm hộ chiếu cần giấy tờ gì')).at(-1)!.text).toContain('nhận kết quả tại nhà qua bưu điện. Cần hỗ trợ, gọi 1022.');

    await page.goto(`${server.url}/console/content/city?lang=en`);
    await page.getByRole('heading', { level: 1, name: 'City facts' }).waitFor();
    await checkA11y(page, 'the city facts form in English');
    await snap(page, 'resident-10-city-en');
    watch.assertClean();
  });
  await page.close();
}, 90_000);

it('an admin adds a canned reason for waste reports (a missing title is pointed out first); the report page offers it at once and picking it fills the reason', async () => {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
  const watch = watchPage(page);
  await withFailureScreenshot(page, 'canned-edit', async () => {
    await signIn(page, ADMIN);
    await page.goto(`${server.url}/console/content`);
    await page.getByRole('link', { name: 'Rác thải, vệ sinh môi trường' }).click();
    await page.getByRole('heading', { level: 1, name: 'Câu trả lời mẫu cho phản ánh: Rác thải, vệ sinh môi trường' }).waitFor();
    expect(await page.getByLabel('Câu mẫu 1 – Tiêu đề (Tiếng Việt)').inputValue()).toBe('Đã thu gom rác');
    await checkA11y(page, 'the canned replies form');

    await page.getByLabel('Câu mẫu mới – Dùng khi').selectOption({ label: 'Từ chối phản ánh (lý do)' });
    await page.getByLabel('Câu mẫu mới – Tiêu đề (Tiếng Việt)').fill('Điểm tập kết hợp lệ');
    await page.getByLabel('Câu mẫu mới – Nội dung (Tiếng Việt)').fill('Đây là điểm tập kết rác được phép; rác được thu gom hằng ngày theo lịch.');
    await page.getByLabel('Câu mẫu mới – Nội dung (Tiếng Anh)').fill('This is an authorised collection point; the rubbish is collected daily.');
    await page.getByRole('button', { name: 'Lưu' }).click();
    const problems = page.getByRole('alert');
    await problems.getByRole('link', { name: 'Câu mẫu 2 – Tiêu đề (Tiếng Anh): cần nhập.' }).click();
    const titleEn = page.getByLabel('Câu mẫu 2 – Tiêu đề (Tiếng Anh)');
    expect(await titleEn.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Câu mẫu 2 – Dùng khi').inputValue()).toBe('rejected'); // what was chosen stays
    await checkA11y(page, 'the canned replies form with a problem');
    await snap(page, 'resident-11-canned-problem');
    await titleEn.fill('Authorised collection point');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu. Trợ lý dùng nội dung mới từ tin nhắn tiếp theo.').waitFor();
    await page.getByRole('region', { name: 'Lịch sử thay đổi' }).getByText('Điểm tập kết hợp lệ').first().waitFor();

    const code = seedCode(1, 'B');
    await seedReports(h.t.db, [{ code, status: 'in_progress', category: 'waste', agency: 'hepco', createdAt: new Date() }]);
    await page.goto(`${server.url}/console/reports/${code}`);
    await page.getByText('Từ chối phản ánh', { exact: true }).click();
    await page.getByLabel('Mẫu lý do').selectOption({ label: 'Điểm tập kết hợp lệ' });
    expect(await page.getByLabel('Lý do (gửi người dân, bắt buộc)').inputValue()).toBe('Đây là điểm tập kết rác được phép; rác được thu gom hằng ngày theo lịch.');
    await snap(page, 'resident-12-canned-offered');
    watch.assertClean();
  });
  await page.close();
}, 60_000);
