/**
 * The answer-understanding layer: what residents type at a question, read without the language
 * model. Cases come from the issue and from how people write in Vietnamese chats (no diacritics,
 * teencode, courtesy particles, letters repeated for emphasis).
 */
import { categoryHints, findCategory, looksLikeQuestion, matchChoice, numberAnswer, readCommand, readEdit, reportIntent, typedCoordinates, yesNo, type CategoryNames } from '../../../dialogs/answers';
import { loadContent } from '../../../src/storage/content-loader';

const content = loadContent({ city: 'hue' });
const CATEGORIES: CategoryNames[] = content.categories.map((c) => ({ slug: c.slug, title: c.title, label: content.categoryLabels[c.slug] }));

describe('yesNo', () => {
  it.each([
    'có', 'co', 'ừ', 'u', 'uh', 'uhm', 'ok', 'oke', 'okkk', 'oki nha', 'đúng', 'đúng rồi', 'dung roi', 'chuẩn', 'gửi', 'gửi đi', 'gui di',
    'ok gửi đi', 'ừ gửi đi bạn', 'có, gửi luôn nhé', 'gửi luôn ad ơi', 'dạ vâng', 'vâng ạ', 'được', 'đc', 'chính xác', 'xác nhận', 'đồng ý',
    'yes', 'yep', 'yeah', 'send', 'Yes, send it', 'yes please send it', 'sure', 'correct', '👍',
  ])('"%s" is yes', (text) => expect(yesNo(text)).toBe('yes'));

  it.each(['không', 'khong', 'ko', 'k', 'khongg', 'hông', 'chưa', 'sai', 'sai rồi', 'không phải', 'ko phải', 'chưa đúng', 'không đúng', 'no', 'nope', 'nah', 'not yet', '👎'])(
    '"%s" is no',
    (text) => expect(yesNo(text)).toBe('no'),
  );

  it.each(['cảm ơn', 'dừng', 'xin chào', 'Ổ gà lớn giữa đường', '12 Lê Lợi', 'gửi phản ánh', 'rồi', '', 'có ổ gà ở đây'])('"%s" is neither', (text) => expect(yesNo(text)).toBeNull());
});

describe('readCommand', () => {
  it.each([
    ['menu', 'menu'], ['Menu chính', 'menu'], ['mở menu', 'menu'], ['main menu', 'menu'],
    ['help', 'help'], ['trợ giúp', 'help'], ['hướng dẫn', 'help'], ['?', 'help'],
    ['tiếp tục', 'resume'], ['continue', 'resume'],
    ['bắt đầu lại', 'restart'], ['làm lại từ đầu', 'restart'], ['start over', 'restart'],
    ['hủy', 'cancel'], ['huỷ', 'cancel'], ['huy', 'cancel'], ['thôi', 'cancel'], ['thôi khỏi', 'cancel'], ['không gửi nữa', 'cancel'],
    ['thôi, không gửi nữa đâu', 'cancel'], ['ko cần nữa', 'cancel'], ['dừng lại', 'cancel'], ['dừng', 'cancel'], ['hủy giúp mình nhé', 'cancel'],
    ['cancel', 'cancel'], ['stop', 'cancel'], ['never mind', 'cancel'],
    ['gặp cán bộ', 'human'], ['cho tôi gặp cán bộ', 'human'], ['tôi muốn nói chuyện với người thật', 'human'], ['talk to a person', 'human'], ['human', 'human'],
    ['báo cáo của tôi', 'myReports'], ['phản ánh của tôi', 'myReports'], ['my reports', 'myReports'],
    ['hỏi thủ tục', 'ask'], ['ask a question', 'ask'],
  ])('"%s" is %s', (text, kind) => expect(readCommand(text)?.kind).toBe(kind));

  it.each([
    ['English', 'en'], ['english please', 'en'], ['English please', 'en'], ['tiếng Anh', 'en'], ['đổi sang tiếng Anh', 'en'], ['can you speak English', 'en'],
    ['in English please', 'en'], ['tiếng Việt', 'vi'], ['nói tiếng Việt đi', 'vi'], ['Vietnamese please', 'vi'], ["I don't speak Vietnamese", 'en'], ['tôi không hiểu tiếng Việt', 'en'], ['đổi ngôn ngữ', 'toggle'], ['change language', 'toggle'],
  ])('"%s" switches the language to %s', (text, to) => expect(readCommand(text)).toEqual({ kind: 'language', to }));

  it.each([
    'Ổ gà lớn giữa đường Lê Lợi', 'cán bộ phường làm việc mấy giờ', 'anh ơi', 'thôi không sửa nữa', 'đúng rồi', 'dung lai o day', 'có ổ gà trước nhà anh',
    'rác thải chất đống trước cổng chợ, đề nghị hủy bỏ điểm tập kết rác này',
  ])('"%s" is no command', (text) => expect(readCommand(text)).toBeNull());
});

describe('reportIntent', () => {
  it.each([
    ['tôi muốn phản ánh ổ gà trước số 5 Lê Lợi', 'ổ gà trước số 5 Lê Lợi'],
    ['Tôi muốn phản ánh về việc rác thải ở chợ', 'rác thải ở chợ'],
    ['phản ánh: rác ở chợ Đông Ba', 'rác ở chợ Đông Ba'],
    ['báo cáo sự cố đèn đường tắt', 'đèn đường tắt'],
    ['em muốn báo đèn đường hỏng ở kiệt 5', 'đèn đường hỏng ở kiệt 5'],
    ['I want to report a pothole on Le Loi', 'pothole on Le Loi'],
    ['toi muon phan anh o ga truoc nha', 'o ga truoc nha'],
  ])('"%s" keeps only "%s" as the description', (text, rest) => expect(reportIntent(text)).toEqual({ rest }));

  it.each(['Tôi muốn phản ánh', 'phản ánh', 'gửi phản ánh', 'report', 'Report a problem', 'cho tôi phản ánh', 'phản ánh hiện trường', 'tôi muốn báo cáo sự cố'])(
    '"%s" starts a report with no description',
    (text) => expect(reportIntent(text)).toEqual({ rest: null }),
  );

  it.each(['phản ánh của tôi tới đâu rồi', 'báo động cháy', 'Ổ gà lớn giữa đường', 'đèn đường tắt, tôi muốn phản ánh', 'hôm qua có báo rồi'])('"%s" is not the intent phrase', (text) =>
    expect(reportIntent(text)).toBeNull(),
  );
});

describe('readEdit', () => {
  it.each([
    ['sửa mô tả', { part: 'description', mode: 'replace', rest: null }],
    ['mô tả lại', { part: 'description', mode: 'replace', rest: null }],
    ['edit description', { part: 'description', mode: 'replace', rest: null }],
    ['sửa mô tả: ổ gà rất sâu và rộng', { part: 'description', mode: 'replace', rest: 'ổ gà rất sâu và rộng' }],
    ['thêm thông tin: xe máy bị té', { part: 'description', mode: 'add', rest: 'xe máy bị té' }],
    ['đổi địa chỉ', { part: 'location', mode: 'replace', rest: null }],
    ['sai địa chỉ', { part: 'location', mode: 'replace', rest: null }],
    ['đổi địa chỉ thành 12 Lê Lợi', { part: 'location', mode: 'replace', rest: '12 Lê Lợi' }],
    ['change the address to 12 Le Loi', { part: 'location', mode: 'replace', rest: '12 Le Loi' }],
    ['thêm ảnh', { part: 'photos', mode: 'add', rest: null }],
    ['gửi thêm ảnh', { part: 'photos', mode: 'add', rest: null }],
    ['add more photos', { part: 'photos', mode: 'add', rest: null }],
    ['chụp lại', { part: 'photos', mode: 'replace', rest: null }],
    ['sửa loại thành rác', { part: 'category', mode: 'replace', rest: 'rác' }],
    ['wrong category', { part: 'category', mode: 'replace', rest: null }],
  ])('"%s"', (text, edit) => expect(readEdit(text)).toEqual(edit));

  it.each(['sửa', 'loại khác', 'Đổi đường ống nước bị rò rỉ', 'thay ống nước bị vỡ', 'đường Lê Lợi có ổ gà', 'thêm 1 ổ gà nữa'])('"%s" is no edit', (text) =>
    expect(readEdit(text)).toBeNull(),
  );
});

describe('numbers, titles and categories', () => {
  it.each([['2', 2], ['số 2', 2], ['chọn 3 nhé', 3], ['#1', 1], ['1.', 1], ['thứ hai', 2], ['second', 2]])('"%s" is option %d', (text, n) => expect(numberAnswer(text)).toBe(n));
  it.each(['12 Lê Lợi', '123', 'hai bà trưng'])('"%s" is no option number', (text) => expect(numberAnswer(text)).toBeNull());

  const summary = [
    { title: '✅ Gửi phản ánh', payload: 'REPORT_CONFIRM' },
    { title: '✏️ Sửa', payload: 'REPORT_EDIT' },
    { title: '❌ Hủy', payload: 'REPORT_CANCEL' },
  ];
  it.each([
    ['gửi phản ánh', 'REPORT_CONFIRM'], ['gủi phản ánh', 'REPORT_CONFIRM'], ['submit', 'REPORT_CONFIRM'], ['sửa', 'REPORT_EDIT'], ['chỉnh sửa', 'REPORT_EDIT'],
    ['edit', 'REPORT_EDIT'], ['huy', 'REPORT_CANCEL'],
  ])('at the summary "%s" is %s', (text, payload) => expect(matchChoice(text, summary)?.payload).toBe(payload));

  it('names an option by its distinctive words, and nothing when two options fit', () => {
    const menu = [{ title: '📷 Gửi phản ánh', payload: 'REPORT_START' }, { title: '❓ Hỏi thủ tục', payload: 'ASK_QUESTION' }, { title: '📋 Báo cáo của tôi', payload: 'MY_REPORTS' }];
    expect(matchChoice('thủ tục', menu)?.payload).toBe('ASK_QUESTION');
    expect(matchChoice('làm căn cước mất bao lâu', menu)).toBeNull();
    expect(matchChoice('Đèn', [{ title: 'Đèn chiếu sáng', payload: 'A' }, { title: 'Đèn giao thông', payload: 'B' }])).toBeNull();
  });

  it.each([
    ['đèn đường', 'street-lights'], ['ổ gà', 'road-damage'], ['rác', 'waste'], ['Đèn chiếu sáng', 'street-lights'], ['den chieu sag', 'street-lights'],
    ['chiếu sáng', 'street-lights'], ['cây đổ', 'trees'], ['ngập nước', 'drainage-flooding'], ['karaoke ồn quá', 'noise'], ['xe đậu chiếm vỉa hè', 'encroachment'],
    ['đèn giao thông hỏng', 'traffic-safety'], ['street light', 'street-lights'], ['pothole', 'road-damage'], ['rubbish', 'waste'], ['khác', 'other'],
  ])('"%s" names the category %s', (text, slug) => expect(findCategory(text, CATEGORIES)).toBe(slug));

  it.each(['đúng', 'ok cảm ơn', 'xin chào'])('"%s" names no category', (text) => expect(findCategory(text, CATEGORIES)).toBeNull());

  it('finds the categories a description mentions, the most specific first', () => {
    expect(categoryHints('Đèn giao thông ở ngã tư hỏng, rác vứt đầy', CATEGORIES).slice(0, 2)).toEqual(['traffic-safety', 'waste']);
  });

  it.each([
    ['16.4665, 107.5905', { lat: 16.4665, lng: 107.5905 }],
    ['(16.4665,107.5905)', { lat: 16.4665, lng: 107.5905 }],
    ['https://maps.google.com/?q=16.47,107.59', { lat: 16.47, lng: 107.59 }],
    ['https://www.google.com/maps/@16.4727,107.5883,17z', { lat: 16.4727, lng: 107.5883 }],
    ['hố sâu 1.50, rộng 2.30 mét', null],
    ['12 Lê Lợi', null],
  ])('"%s" gives the coordinates %p', (text, point) => expect(typedCoordinates(text)).toEqual(point));

  it.each([['làm căn cước ở đâu?', true], ['làm lại căn cước mất bao lâu', true], ['how do I get a permit', true], ['Ổ gà lớn giữa đường', false]])('"%s" looks like a question: %s', (text, q) =>
    expect(looksLikeQuestion(text)).toBe(q),
  );
});
