/**
 * A resident who never taps a button, on both channels, through signed webhooks and the trained
 * language model: every turn is typed (or a photo), and every turn is checked for how many
 * messages it produced and that none repeats another.
 */
import { createHarness, type Harness } from '../../support/harness';
import { expectNoRepeats, messengerChat, zaloChat, type Chat, type Seen } from './chat';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ nlu: true });
}, 120_000);
afterAll(async () => h.close());

let serial = 0;
const channels: Array<[string, () => Chat]> = [
  ['Messenger', () => messengerChat(h, `psid-typed-${++serial}`)],
  ['Zalo', () => zaloChat(h, `81200000000000${String(++serial).padStart(5, '0')}`)],
];

/** One reply per turn, no repeats; returns it. */
function one(messages: Seen[]): Seen {
  expectNoRepeats(messages);
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

describe.each(channels)('a resident who types on %s', (name, open) => {
  const zalo = name === 'Zalo';

  it('files a complete report with typed answers only, one message per turn', async () => {
    const chat = open();
    const hello = one(await chat.say('xin chào'));
    expect(hello.text).toMatch(/trợ lý tự động/);
    expect(hello.payloads).toEqual(['REPORT_START', 'ASK_QUESTION', 'MY_REPORTS', 'LANGUAGE']); // the language choice is on the greeting

    const started = one(await chat.say('tôi muốn phản ánh ổ gà rất lớn trước số 12 Lê Lợi'));
    expect(started.text).toMatch(/ảnh/);
    expect((await chat.draft())!.description).toBe('ổ gà rất lớn trước số 12 Lê Lợi'); // the intent phrase is not part of it

    const afterPhoto = one(await chat.photos(1));
    expect(afterPhoto.text).toMatch(/Đã nhận 1 ảnh/);
    expect(afterPhoto.text).toMatch(/Sự việc ở đâu/);
    expect(afterPhoto.links[0]).toMatch(/\/webview\/location\?t=/);

    const place = one(await chat.say('12 Lê Lợi'));
    expect(place.text).toMatch(/Lê Lợi/);
    expect(place.payloads).toEqual(['LOCATION_CONFIRM', 'LOCATION_RETRY']);

    const category = one(await chat.say('đúng rồi'));
    expect(category.text).toMatch(/Đã ghi nhận vị trí/);
    expect(category.payloads[0]).toBe('CATEGORY:road-damage');
    expect(category.payloads.length).toBeLessThanOrEqual(zalo ? 5 : 13);

    const summary = one(await chat.say('ok'));
    expect(summary.text).toMatch(/Bạn kiểm tra lại phản ánh/);
    expect(summary.text).toMatch(/Hư hỏng đường/);
    expect(summary.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);

    const done = one(await chat.say('ok gửi đi'));
    const code = done.text.match(/PA-[2-9A-HJ-NP-Z]{6,10}/)?.[0];
    expect(code).toBeDefined();
    expect(await chat.reports()).toEqual([{ code, category: 'road-damage', description: 'ổ gà rất lớn trước số 12 Lê Lợi', photos: 1, locale: 'vi' }]);
    // With the code comes the question whether the city may publish the result; a typed "không" keeps it private.
    expect(done.payloads).toEqual(['PUBLISH_OK', 'PUBLISH_NO']);
    const kept = one(await chat.say('không'));
    expect(kept.text).toMatch(/sẽ không được đăng công khai/);
    expect((await h.t.db.query('SELECT publish FROM reports WHERE code = $1', [code])).rows[0]).toEqual({ publish: false });
    if (zalo) {
      // Then, on Zalo, the call-back phone question rides in the same message; a typed "không" declines it.
      expect(kept.payloads).toEqual(['PHONE_CONSENT', 'PHONE_DECLINE']);
      expect(one(await chat.say('không')).text).toMatch(/vẫn nhận thông báo/);
    } else {
      expect(kept.payloads).toEqual([]);
    }
  });

  it.each([['có'], ['đồng ý công khai'], ['ok to publish']])('after the code, "%s" lets the city publish the result; no answer leaves the city default', async (answer) => {
    const chat = open();
    await upToSummary(chat);
    const code = one(await chat.say('gửi đi')).text.match(/PA-[2-9A-HJ-NP-Z]{6,10}/)![0];
    expect((await h.t.db.query('SELECT publish FROM reports WHERE code = $1', [code])).rows[0]).toEqual({ publish: null });
    expect(one(await chat.say(answer)).text).toMatch(/có thể được đăng công khai/);
    expect((await h.t.db.query('SELECT publish FROM reports WHERE code = $1', [code])).rows[0]).toEqual({ publish: true });
  });

  it.each([['có'], ['yes'], ['send'], ['gửi đi'], ['uh gửi luôn nhé']])('at the summary, "%s" sends the report', async (answer) => {
    const chat = open();
    await upToSummary(chat);
    const done = one(await chat.say(answer));
    expect(done.text).toMatch(/PA-[2-9A-HJ-NP-Z]{6,10}/);
    expect(await chat.reports()).toHaveLength(1);
  });

  it('at the category question, a number, the name or everyday words pick the category; "loại khác" shows the rest on one more screen', async () => {
    const chat = open();
    await upToCategory(chat, 'Có chuyện cần phản ánh ở khu này lâu rồi');
    const rest = one(await chat.say('loại khác'));
    expect(rest.text).toMatch(/Các loại sự việc khác/);
    if (zalo) {
      // More categories than Zalo buttons: numbered text, one message.
      expect(rest.kind).toBe('text');
      expect(rest.text).toMatch(/\n1\. /);
      const line = rest.text.split('\n').find((l) => /^\d+\. Tiếng ồn$/.test(l))!;
      const n = line.split('.')[0]!;
      const saved = one(await chat.say(n));
      expect(saved.text).toMatch(/Loại sự việc: Tiếng ồn/);
    } else {
      const saved = one(await chat.say('tiếng ồn'));
      expect(saved.text).toMatch(/Loại sự việc: Tiếng ồn/);
    }
    expect((await chat.draft())!.category).toBe('noise');

    // At the summary, typed edits: the category in free words, straight away.
    const changed = one(await chat.say('đổi loại thành đèn đường'));
    expect(changed.text).toMatch(/Đèn chiếu sáng công cộng/);
    expect((await chat.draft())!.category).toBe('street-lights');
  });

  it('editing the description by typing suggests the category again from the new text', async () => {
    const chat = open();
    await upToSummary(chat);
    expect((await chat.draft())!.category).toBe('road-damage');
    const ask = one(await chat.say('sửa mô tả'));
    expect(ask.text).toMatch(/mô tả mới/);
    const again = one(await chat.say('Rác thải chất đống bốc mùi trước cổng chợ'));
    expect(again.text).toMatch(/Đã cập nhật mô tả/);
    expect(again.text).toMatch(/Rác thải/);
    expect(again.payloads[0]).toBe('CATEGORY:waste');
    const summary = one(await chat.say('đúng'));
    expect(summary.text).toMatch(/Rác thải chất đống/);
    expect((await chat.draft())!.category).toBe('waste');
  });

  it('understands "đổi địa chỉ thành …", "thêm ảnh" and extra words at the summary', async () => {
    const chat = open();
    await upToSummary(chat);
    const moved = one(await chat.say('đổi địa chỉ thành chợ Đông Ba'));
    expect(moved.text).toMatch(/Chợ Đông Ba/);
    expect(moved.payloads).toEqual(['LOCATION_CONFIRM', 'LOCATION_RETRY']);
    const summary = one(await chat.say('chuẩn'));
    expect(summary.text).toMatch(/Chợ Đông Ba/);
    const more = one(await chat.say('thêm ảnh'));
    expect(more.text).toMatch(/gửi thêm ảnh/);
    const added = one(await chat.photos(2));
    expect(added.text).toMatch(/Đã nhận 2 ảnh \(tổng 3\/5\)/);
    expect(added.text).toMatch(/Ảnh: 3/);
    const info = one(await chat.say('xe máy đi qua đây bị té mấy lần rồi'));
    expect(info.text).toMatch(/Đã bổ sung vào mô tả/);
    expect((await chat.draft())!.description).toMatch(/xe máy đi qua đây bị té/);
  });

  it('text that answers nothing at the summary gets a short re-ask saying what works, then the offer of a person', async () => {
    const chat = open();
    await upToSummary(chat);
    const first = one(await chat.say('hmm'));
    expect(first.text).toMatch(/"gửi".*"sửa".*"hủy"/);
    expect(first.text).not.toMatch(/Bạn kiểm tra lại phản ánh/); // not the summary again
    expect(first.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);
    const second = one(await chat.say('???'.replace('???', 'blah')));
    expect(second.text).toMatch(/gặp cán bộ|1022/);
  });

  it('switches language by typing, and every reply follows it (also "my reports")', async () => {
    const chat = open();
    await chat.say('xin chào');
    const en = one(await chat.say('English please'));
    expect(en.text).toMatch(/Switched to English/);
    expect(en.payloads).toEqual(['REPORT_START', 'ASK_QUESTION', 'MY_REPORTS', 'LANGUAGE']);
    const mine = one(await chat.say('báo cáo của tôi'));
    expect(mine.text).toMatch(/haven't sent any reports/);
    const report = one(await chat.say('I want to report a broken street light near Dong Ba market'));
    expect(report.text).toMatch(/photos/);
    expect((await chat.draft())!.description).toBe('broken street light near Dong Ba market');
    const vi = one(await chat.say('nói tiếng Việt đi'));
    expect(vi.text).toMatch(/Đã chuyển sang tiếng Việt/);
    expect(vi.text).toMatch(/ảnh/); // the pending question again, in Vietnamese
    const toggled = one(await chat.say('đổi ngôn ngữ'));
    expect(toggled.text).toMatch(/Switched to English/);
  });

  it('cancels mid-report with "thôi khỏi" (not a description), and the menu follows in the same message', async () => {
    const chat = open();
    await chat.say('phản ánh');
    const cancelled = one(await chat.say('thôi khỏi'));
    expect(cancelled.text).toMatch(/Đã hủy phản ánh đang soạn/);
    expect(cancelled.payloads).toContain('REPORT_START');
    expect(await chat.draft()).toBeNull();
    const nothing = one(await chat.say('không gửi nữa'));
    expect(nothing.text).toMatch(/Không có phản ánh nào đang soạn/);
  });

  it('asks for the menu by typing, inside and outside a report, and never stores it as a description', async () => {
    const chat = open();
    const menu = one(await chat.say('menu'));
    expect(menu.payloads).toEqual(['REPORT_START', 'ASK_QUESTION', 'MY_REPORTS', 'LANGUAGE']);
    await chat.say('phản ánh');
    const inside = one(await chat.say('Menu chính'));
    expect(inside.text).toMatch(/vẫn được giữ/);
    expect(inside.payloads.slice(0, 2)).toEqual(['REPORT_START', 'REPORT_CANCEL']);
    expect((await chat.draft())!.description).toBeUndefined();
    const resumed = one(await chat.say('tiếp tục'));
    expect(resumed.text).toMatch(/mô tả/);
    const help = one(await chat.say('help'));
    expect(help.text).toMatch(/Bạn có thể gõ/);
  });

  it('three photos sent together get one acknowledgement and one request for what is missing', async () => {
    const chat = open();
    await chat.say('phản ánh: cây đổ chắn ngang đường Lê Duẩn');
    const reply = await chat.photos(3);
    expectNoRepeats(reply);
    expect(reply).toHaveLength(1);
    expect(reply[0]!.text.match(/Đã nhận 3 ảnh/g)).toHaveLength(1);
    expect(reply[0]!.text.match(/Sự việc ở đâu/g)).toHaveLength(1);
    expect((await chat.draft())!.photos).toHaveLength(3);
  });

  it('photos sent one by one (one event each) ask for the location once', async () => {
    const chat = open();
    await chat.say('phản ánh: cây đổ chắn ngang đường Lê Duẩn');
    const replies = await chat.photosOneByOne(3);
    expectNoRepeats(replies);
    const asks = replies.filter((m) => /Sự việc ở đâu/.test(m.text));
    expect(asks).toHaveLength(1);
    expect((await chat.draft())!.photos).toHaveLength(3);
  });

  it('an emergency typed mid-report gets 113/114/115 at once and the draft stays as it was', async () => {
    const chat = open();
    await chat.say('phản ánh');
    const sos = one(await chat.say('cháy nhà rồi, có người kẹt bên trong cứu với'));
    expect(sos.text).toMatch(/114/);
    expect(sos.phones).toEqual(['114', '113', '115']);
    const draft = await chat.draft();
    expect(draft).not.toBeNull();
    expect(draft!.description).toBeUndefined();
  });

  it('an address in another city is refused as outside the area, not "not found"', async () => {
    const chat = open();
    await chat.say('phản ánh: đèn đường tắt cả tuần nay');
    await chat.photos(1);
    const outside = one(await chat.say('12 Trần Phú, Đà Nẵng'));
    expect(outside.text).toMatch(/ngoài địa bàn Thành phố Huế/);
    expect(outside.text).not.toMatch(/không tìm thấy/);
    const known = one(await chat.say('cầu Trường Tiền'));
    expect(known.text).toMatch(/Cầu Trường Tiền/);
    expect(known.payloads).toEqual(['LOCATION_CONFIRM', 'LOCATION_RETRY']);
    const retry = one(await chat.say('không phải, ở Ngọ Môn'));
    expect(retry.text).toMatch(/Ngọ Môn/);
  });

  it('a question in the middle of a report gets a short answer and the pending question again, in one message', async () => {
    const chat = open();
    await upToSummary(chat);
    const answer = one(await chat.say('làm lại căn cước mất bao lâu?'));
    expect(answer.text).toMatch(/căn cước/i);
    expect(answer.text).toMatch(/vẫn được giữ/);
    expect(answer.text).toMatch(/"gửi".*"sửa".*"hủy"/);
    // Too long for a Zalo card: there the choices are numbered in the text.
    if (zalo) expect(answer.text).toMatch(/\n1\. .*Gửi phản ánh\n2\. .*Sửa\n3\. .*Hủy/);
    else expect(answer.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);
    expect(one(await chat.say('gửi')).text).toMatch(/PA-[2-9A-HJ-NP-Z]{6,10}/);
  });

  it('a resident who writes English sentences without choosing a language gets English', async () => {
    const chat = open();
    const first = one(await chat.say('I want to report a broken street light'));
    expect(first.text).toMatch(/I'll reply in English/);
    expect(first.text).toMatch(/Hello! This is Hue City's channel/); // the welcome, once, in front
    expect(first.text).toMatch(/photos/);
    expect((await chat.draft())!.description).toBe('broken street light');
    const afterPhoto = one(await chat.photos(1));
    expect(afterPhoto.text).toMatch(/Got 1 photo/);
    // One-word English answers by a Vietnamese speaker do not switch anything.
    const vi = open();
    await upToSummary(vi);
    expect(one(await vi.say('yes')).text).toMatch(/Đã gửi phản ánh thành công/);
  });

  it('an emergency at the location question is answered first, and a place it names still counts', async () => {
    const chat = open();
    await chat.say('phản ánh: cây đổ chắn ngang đường Lê Duẩn');
    await chat.photos(1);
    const reply = await chat.say('cháy lớn ở chợ Đông Ba, có người kẹt bên trong');
    expectNoRepeats(reply);
    expect(reply).toHaveLength(2);
    expect(reply[0]!.phones).toEqual(['114', '113', '115']);
    expect(reply[1]!.text).toMatch(/Chợ Đông Ba/);
    expect(reply[1]!.payloads).toEqual(['LOCATION_CONFIRM', 'LOCATION_RETRY']);
  });

  it('a place typed when the description is asked is taken as the location; coordinates from a map app set it', async () => {
    const chat = open();
    await chat.say('phản ánh');
    const place = one(await chat.say('số 12 Lê Lợi'));
    expect(place.payloads).toEqual(['LOCATION_CONFIRM', 'LOCATION_RETRY']);
    expect((await chat.draft())!.description).toBeUndefined();
    const saved = one(await chat.say('đúng'));
    expect(saved.text).toMatch(/Đã ghi nhận vị trí: Lê Lợi/);
    expect(saved.text).toMatch(/mô tả/);
    await chat.say('Ổ gà lớn giữa đường, xe máy dễ té');
    await chat.photos(1);
    await chat.say('ok');
    await chat.say('đổi vị trí');
    const moved = one(await chat.say('https://maps.google.com/?q=16.4727,107.5883'));
    expect(moved.text).toMatch(/Đã ghi nhận vị trí: .*Chợ Đông Ba/);
    expect(moved.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);
    expect((await chat.draft())!.description).toBe('Ổ gà lớn giữa đường, xe máy dễ té');
  });

  it('talks to a person when asked, and "menu" brings the bot back', async () => {
    const chat = open();
    await chat.say('xin chào');
    const handed = one(await chat.say('cho tôi gặp cán bộ'));
    expect(handed.text).toMatch(/chuyển cuộc trò chuyện cho cán bộ/);
    expect(await chat.say('alo có ai không')).toHaveLength(0);
    const back = one(await chat.say('menu'));
    expect(back.text).toMatch(/Trợ lý tự động đã quay lại/);
  });

  /** Description (typed), a photo, a typed address confirmed: the category question is next. */
  async function upToCategory(chat: Chat, description: string): Promise<void> {
    await chat.say('phản ánh');
    await chat.say(description);
    await chat.photos(1);
    await chat.say('12 Lê Lợi');
    await chat.say('đúng');
  }

  async function upToSummary(chat: Chat): Promise<void> {
    await upToCategory(chat, 'Ổ gà rất lớn giữa đường, xe máy dễ té');
    const summary = one(await chat.say('ừ'));
    expect(summary.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);
  }
});
