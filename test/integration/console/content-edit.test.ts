/**
 * Content without a developer, against real PostgreSQL and signed webhooks: an admin previews an
 * FAQ answer in both languages (nothing stored), saves it (history with who, before and after;
 * audited) and residents get it from the next message; the hotline and one-stop facts reach every
 * answer that quotes them; canned replies (transition, title, text) are stored per category and the
 * report page of that category offers the edit at once; new example questions retrain
 * the language model in the background; invalid edits get a clear 422 and change nothing; "back to
 * the shipped text" undoes an edit; another process sees edits; only admins may edit.
 */
import { LiveContentStore } from '../../../src/app/content-store';
import { silentLogger } from '../../../src/logger';
import { PgContentOverridesRepo } from '../../../src/storage/content-overrides-repo';
import { createHarness, type Harness } from '../../support/harness';
import { seedCode, seedReports } from '../../support/seed-reports';
import { messengerChat } from '../conversation/chat';
import { ADMIN, auditRows, createStaff, signIn, type SignedIn } from './console-support';

let h: Harness;
let admin: SignedIn;
beforeAll(async () => {
  h = await createHarness({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOGIN_IP_LIMIT: '1000' }, nlu: true });
  admin = await signIn(h, ADMIN.email, ADMIN.password);
}, 120_000);
afterAll(async () => h.close());

/** The form fields of an FAQ topic as the edit page sends them, from the topic now in use. */
function faqForm(slug: string, change: (f: Record<string, string>) => void = () => undefined): Record<string, string> {
  const topic = h.rt.liveContent.current().kb.bySlug.get(slug)!;
  const f: Record<string, string> = { _csrf: admin.csrf, short_vi: topic.short.vi, short_en: topic.short.en, examples_vi: topic.examples.vi.join('\n'), examples_en: topic.examples.en.join('\n') };
  for (const [k, d] of Object.entries(topic.details)) {
    f[`details_${k}_vi`] = d!.vi;
    f[`details_${k}_en`] = d!.en;
  }
  change(f);
  return f;
}

const NEW_SHORT_VI = 'Hộ chiếu: từ tháng này nộp hồ sơ trực tuyến trên VNeID là nhanh nhất; kết quả trả qua bưu điện. Gọi {{city.hotline}} nếu cần hỗ trợ.';

describe('an FAQ answer', () => {
  it('is previewed in both languages without being stored, then saved with its history; the resident gets the new text at once', async () => {
    const chat = messengerChat(h, 'psid-content-1');
    const before = await chat.say('làm hộ chiếu cần giấy tờ gì');
    expect(before.at(-1)!.text).toMatch(/Cấp hộ chiếu phổ thông\nHộ chiếu phổ thông/);
    expect(before.at(-1)!.text).not.toContain('kết quả trả qua bưu điện');

    const preview = await admin.agent.post('/console/content/faq/ho-chieu').type('form').send(faqForm('ho-chieu', (f) => {
      f.short_vi = NEW_SHORT_VI;
      f.action = 'preview';
    }));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Xem trước: người dân sẽ đọc');
    expect(preview.text).toContain('kết quả trả qua bưu điện. Gọi 1022 nếu cần hỗ trợ.'); // placeholder filled
    expect(preview.text).toContain('<div lang="en">');
    expect((await h.t.db.query('SELECT count(*)::int AS n FROM content_overrides')).rows[0]!.n).toBe(0);

    const saved = await admin.agent.post('/console/content/faq/ho-chieu').type('form').send(faqForm('ho-chieu', (f) => {
      f.short_vi = NEW_SHORT_VI;
      f.action = 'save';
    }));
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/console/content/faq/ho-chieu?saved=1');

    const after = await chat.say('làm hộ chiếu cần giấy tờ gì');
    expect(after.at(-1)!.text).toContain('kết quả trả qua bưu điện. Gọi 1022 nếu cần hỗ trợ.');

    const page = await admin.agent.get('/console/content/faq/ho-chieu?saved=1');
    expect(page.text).toContain('Đã lưu.');
    expect(page.text).toContain('Lịch sử thay đổi');
    const adminName = (await h.t.db.query<{ display_name: string }>('SELECT display_name FROM staff_users WHERE lower(email) = lower($1)', [ADMIN.email])).rows[0]!.display_name;
    expect(page.text).toContain(`<td data-label="Người sửa">${adminName}</td>`);
    expect(page.text).toContain('<del>Hộ chiếu phổ thông');
    expect(page.text).toContain(`<ins>${NEW_SHORT_VI.replace(/'/g, '&#39;')}</ins>`);
    const history = await h.t.db.query<{ before: { short: { vi: string } }; after: { short: { vi: string } }; actor_kind: string }>("SELECT before, after, actor_kind FROM content_history WHERE key = 'faq:ho-chieu'");
    expect(history.rows).toHaveLength(1);
    expect(history.rows[0]!.before.short.vi).toMatch(/^Hộ chiếu phổ thông/);
    expect(history.rows[0]!.after.short.vi).toBe(NEW_SHORT_VI);
    expect((await auditRows(h, 'content.update')).at(-1)).toMatchObject({ target_kind: 'content', target_id: 'faq:ho-chieu', details: { examplesChanged: false } });

    // Back to the shipped text: the resident reads the original again.
    const reverted = await admin.agent.post('/console/content/faq/ho-chieu/revert').type('form').send({ _csrf: admin.csrf });
    expect(reverted.status).toBe(303);
    expect((await chat.say('làm hộ chiếu cần giấy tờ gì')).at(-1)!.text).not.toContain('kết quả trả qua bưu điện');
    expect((await h.t.db.query("SELECT reverted FROM content_history WHERE key = 'faq:ho-chieu' ORDER BY id DESC LIMIT 1")).rows[0]).toEqual({ reverted: true });
    expect((await auditRows(h, 'content.revert')).at(-1)).toMatchObject({ target_id: 'faq:ho-chieu' });
  });

  it('refuses an answer that is too short or names a fact the city does not have, with a 422 naming the fields; nothing is stored', async () => {
    const res = await admin.agent.post('/console/content/faq/ho-chieu').type('form').send(faqForm('ho-chieu', (f) => {
      f.short_vi = 'Ngắn quá.';
      f.short_en = 'Passports: call {{city.nowhere}} for help with your application.';
      f.examples_en = 'passport';
      f.action = 'save';
    }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Câu trả lời ngắn (Tiếng Việt): quá ngắn (ít nhất 20 ký tự).');
    expect(res.text).toContain('Câu trả lời ngắn (Tiếng Anh): chỗ chèn không hợp lệ');
    expect(res.text).toContain('Câu hỏi mẫu (để trợ lý nhận ra chủ đề) (Tiếng Anh): cần ít nhất 3 câu.');
    expect(res.text).toContain('href="#field-short-vi"');
    expect(res.text).toMatch(/id="field-short-vi"[^>]*aria-invalid="true"/);
    expect(res.text).toContain('Ngắn quá.'); // what was typed is kept
    expect((await h.t.db.query("SELECT count(*)::int AS n FROM content_overrides WHERE key = 'faq:ho-chieu'")).rows[0]!.n).toBe(0);
    expect((await admin.agent.get('/console/content/faq/no-such-topic')).status).toBe(404);
  });

  it('new example questions retrain the language model in the background; residents asking that way get the topic', async () => {
    const model = h.rt.languageModel!;
    const phrase = 'xin dấu mộc đỏ cho sổ thông hành đi nước ngoài';
    expect(model.classify(phrase).topic).not.toBe('ho-chieu');
    const generation = model.generation;
    const saved = await admin.agent.post('/console/content/faq/ho-chieu').type('form').send(faqForm('ho-chieu', (f) => {
      f.examples_vi = `${f.examples_vi}\n${phrase}\ncần mộc đỏ sổ thông hành\nsổ thông hành đi nước ngoài làm ở đâu`;
      f.action = 'save';
    }));
    expect(saved.status).toBe(303);
    expect((await auditRows(h, 'content.update')).at(-1)).toMatchObject({ details: { examplesChanged: true } });
    await model.idle();
    expect(model.generation).toBe(generation + 1);
    expect(model.classify(phrase)).toMatchObject({ intent: 'faq', topic: 'ho-chieu' });
    const chat = messengerChat(h, 'psid-content-2');
    await chat.say('xin chào');
    expect((await chat.say(phrase)).at(-1)!.text).toMatch(/^Cấp hộ chiếu phổ thông/);
    await admin.agent.post('/console/content/faq/ho-chieu/revert').type('form').send({ _csrf: admin.csrf });
  });
});

describe('city facts', () => {
  it('a new hotline reaches every answer that quotes it; the preview shows such answers in both languages; a bad number is refused', async () => {
    const city = h.rt.liveContent.current().city;
    const form: Record<string, string> = { _csrf: admin.csrf, hotline: '0234 3 822 111' };
    for (const f of ['name', 'address', 'hours'] as const) {
      form[`oneStop_${f}_vi`] = city.oneStop[f].vi;
      form[`oneStop_${f}_en`] = city.oneStop[f].en;
    }
    for (const [k, v] of Object.entries(city.facts)) {
      form[`facts_${k}_vi`] = v.vi;
      form[`facts_${k}_en`] = v.en;
    }
    const bad = await admin.agent.post('/console/content/city').type('form').send({ ...form, hotline: 'gọi 1022', action: 'save' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Đường dây nóng: không hợp lệ.');

    const preview = await admin.agent.post('/console/content/city').type('form').send({ ...form, action: 'preview' });
    expect(preview.status).toBe(200);
    // An answer that quotes the hotline, as residents would read it in each language.
    expect(preview.text).toMatch(/<div lang="vi">[\s\S]*class="preview-bubble">[^<]*<strong>[^<]+<\/strong>[^<]*0234 3 822 111/);
    expect(preview.text).toMatch(/<div lang="en">[\s\S]*class="preview-bubble">[^<]*<strong>[^<]+<\/strong>[^<]*0234 3 822 111/);

    const saved = await admin.agent.post('/console/content/city').type('form').send({ ...form, action: 'save' });
    expect(saved.status).toBe(303);
    const chat = messengerChat(h, 'psid-content-3');
    await chat.say('xin chào');
    expect((await chat.say('Số tổng đài của thành phố là bao nhiêu?')).at(-1)!.text).toContain('0234 3 822 111');
    expect((await auditRows(h, 'content.update')).at(-1)).toMatchObject({ target_id: 'city', details: { hotlineChanged: true } });

    // Another process (its own store on the same database) sees the edit.
    const other = new LiveContentStore({ base: { city: h.rt.content.city, kb: h.rt.content.kb }, repo: new PgContentOverridesRepo(h.t.db), logger: silentLogger });
    expect(other.current().city.hotline).toBe('1022');
    expect(await other.refreshIfChanged()).toBe(true);
    expect(other.current().city.hotline).toBe('0234 3 822 111');

    await admin.agent.post('/console/content/city/revert').type('form').send({ _csrf: admin.csrf });
    expect(h.rt.liveContent.current().city.hotline).toBe('1022');
  });
});

describe('canned replies', () => {
  /** The form of a category's list as the page sends it, from the list now in use (and its empty new row). */
  function cannedForm(category: string, change: (f: Record<string, string>) => void = () => undefined): Record<string, string> {
    const list = h.rt.liveContent.current().city.cannedReplies[category] ?? [];
    const f: Record<string, string> = { _csrf: admin.csrf, action: 'save' };
    [...list, { id: '', for: 'resolved', title: { vi: '', en: '' }, text: { vi: '', en: '' } }].forEach((r, i) => {
      Object.assign(f, { [`reply_${i}_id`]: r.id, [`reply_${i}_for`]: r.for, [`reply_${i}_title_vi`]: r.title.vi, [`reply_${i}_title_en`]: r.title.en, [`reply_${i}_text_vi`]: r.text.vi, [`reply_${i}_text_en`]: r.text.en });
    });
    change(f);
    return f;
  }

  it('are edited per category in the desk\'s shape (a changed text, a cleared reply dropped, a new one with its own id) with their history, and the report page offers the edit at once', async () => {
    const shipped = h.rt.liveContent.current().city.cannedReplies.waste!;
    expect(shipped.map((r) => r.id)).toEqual(['waste-collected']);
    const editor = await admin.agent.get('/console/content/canned/waste');
    expect(editor.status).toBe(200);
    expect(editor.text).toContain('<input type="hidden" name="reply_0_id" value="waste-collected">');
    expect(editor.text).toMatch(/<select id="field-replies-0-for" name="reply_0_for">\s*<option value="resolved" selected>Hoàn thành xử lý \(trả lời người dân\)<\/option><option value="rejected">Từ chối phản ánh \(lý do\)<\/option>/);
    expect(editor.text).toContain('value="Đã thu gom rác"');

    const res = await admin.agent.post('/console/content/canned/waste').type('form').send(cannedForm('waste', (f) => {
      f.reply_0_text_vi = 'Rác đã được thu gom và điểm tập kết đã được phun khử mùi.';
      f.reply_1_for = 'rejected';
      f.reply_1_title_vi = 'Điểm tập kết hợp lệ';
      f.reply_1_title_en = 'Authorised collection point';
      f.reply_1_text_vi = 'Đây là điểm tập kết rác được phép; rác được thu gom hằng ngày theo lịch.';
      f.reply_1_text_en = 'This is an authorised collection point; the rubbish is collected daily.';
    }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/console/content/canned/waste?saved=1');
    expect(h.rt.liveContent.current().city.cannedReplies.waste).toEqual([
      { ...shipped[0], text: { ...shipped[0]!.text, vi: 'Rác đã được thu gom và điểm tập kết đã được phun khử mùi.' } },
      { id: 'authorised-collection-point', for: 'rejected', title: { vi: 'Điểm tập kết hợp lệ', en: 'Authorised collection point' }, text: { vi: 'Đây là điểm tập kết rác được phép; rác được thu gom hằng ngày theo lịch.', en: 'This is an authorised collection point; the rubbish is collected daily.' } },
    ]);
    const page = await admin.agent.get('/console/content/canned/waste');
    expect(page.text).toContain('Rác đã được thu gom và điểm tập kết đã được phun khử mùi.');
    expect(page.text).toContain('<del>');
    expect(page.text).toContain('Câu mẫu 1 – Nội dung (Tiếng Việt)'); // the history names the field

    // The report desk reads the live content: a waste report's page offers the edited reply and the new reason, no restart.
    const code = seedCode(1, 'C');
    await seedReports(h.t.db, [{ code, status: 'in_progress', category: 'waste', agency: 'hepco', createdAt: new Date() }]);
    const report = await admin.agent.get(`/console/reports/${code}`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('<option value="waste-collected" data-text="Rác đã được thu gom và điểm tập kết đã được phun khử mùi.">Đã thu gom rác</option>');
    expect(report.text).toContain('<option value="authorised-collection-point" data-text="Đây là điểm tập kết rác được phép; rác được thu gom hằng ngày theo lịch.">Điểm tập kết hợp lệ</option>');
    expect(report.text).toContain('Không thuộc phạm vi'); // every category's reasons follow

    // Dropping a reply (clear its title and text) takes it off the report page too.
    expect((await admin.agent.post('/console/content/canned/waste').type('form').send(cannedForm('waste', (f) => {
      for (const k of ['title_vi', 'title_en', 'text_vi', 'text_en']) f[`reply_1_${k}`] = '';
    }))).status).toBe(303);
    expect(h.rt.liveContent.current().city.cannedReplies.waste!.map((r) => r.id)).toEqual(['waste-collected']);
    expect((await admin.agent.get(`/console/reports/${code}`)).text).not.toContain('authorised-collection-point');

    await admin.agent.post('/console/content/canned/waste/revert').type('form').send({ _csrf: admin.csrf });
    expect(h.rt.liveContent.current().city.cannedReplies.waste).toEqual(shipped);
  });

  it('refuses a list with problems (422, the fields marked, nothing stored); every category\'s list is edited the same way; unknown categories are 404', async () => {
    const missing = await admin.agent.post('/console/content/canned/waste').type('form').send(cannedForm('waste', (f) => {
      f.reply_0_text_en = '';
      f.reply_1_title_vi = 'Chỉ có tiêu đề tiếng Việt';
    }));
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Câu mẫu 1 – Nội dung (Tiếng Anh): cần nhập.');
    expect(missing.text).toContain('Câu mẫu 2 – Tiêu đề (Tiếng Anh): cần nhập.');
    expect(missing.text).toContain('href="#field-replies-0-text-en"');
    expect(missing.text).toMatch(/id="field-replies-0-text-en"[^>]*aria-invalid="true"/);
    expect(missing.text).toMatch(/id="field-replies-1-title-en"[^>]*aria-invalid="true"/);
    expect(missing.text).toContain('value="Chỉ có tiêu đề tiếng Việt"'); // what was typed stays
    const tooLong = await admin.agent.post('/console/content/canned/waste').type('form').send(cannedForm('waste', (f) => {
      f.reply_0_title_en = 'x'.repeat(81);
    }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Câu mẫu 1 – Tiêu đề (Tiếng Anh): quá dài (tối đa 80 ký tự).');
    expect((await h.t.db.query("SELECT count(*)::int AS n FROM content_overrides WHERE key LIKE 'canned:%'")).rows[0]!.n).toBe(0);

    const every = await admin.agent.get('/console/content/canned/*');
    expect(every.status).toBe(200);
    expect(every.text).toContain('Mọi loại sự việc');
    expect(every.text).toContain('name="reply_2_id" value="not-found"');
    const saved = await admin.agent.post('/console/content/canned/*').type('form').send(cannedForm('*', (f) => {
      f.reply_0_title_vi = 'Đã xử lý xong sự việc';
    }));
    expect(saved.status).toBe(303);
    expect(h.rt.liveContent.current().city.cannedReplies['*']![0]!.title.vi).toBe('Đã xử lý xong sự việc');
    await admin.agent.post('/console/content/canned/*/revert').type('form').send({ _csrf: admin.csrf });

    expect((await admin.agent.get('/console/content/canned/not-a-category')).status).toBe(404);
  });
});

describe('who may edit', () => {
  it('operators and agency users get 403 and see no link; the index lists every topic and category for admins', async () => {
    for (const role of ['operator', 'agency'] as const) {
      const u = await createStaff(h, role);
      const s = await signIn(h, u.email, u.password);
      expect((await s.agent.get('/console/content')).status).toBe(403);
      expect((await s.agent.post('/console/content/faq/ho-chieu').type('form').send({ _csrf: s.csrf, short_vi: 'x', action: 'save' })).status).toBe(403);
      expect((await s.agent.get('/console')).text).not.toContain('/console/content');
    }
    const index = await admin.agent.get('/console/content');
    expect(index.status).toBe(200);
    expect(index.text).toContain('/console/content/faq/ho-chieu');
    expect(index.text).toContain('/console/content/canned/waste');
    expect(index.text).toContain('<a href="/console/content/canned/*">Mọi loại sự việc</a>');
    expect(index.text).toContain('/console/content/city');
  });
});
