import { accentKey, detectLanguage, fold, normalise } from '../../../src/nlu/normalise';

const surface = (text: string): string => normalise(text).surface;
const folded = (text: string): string => normalise(text).folded;

describe('Vietnamese normalisation', () => {
  it('folds diacritics and đ so that "Đường Lê Lợi" and "duong le loi" meet', () => {
    expect(fold('đường lê lợi')).toBe('duong le loi');
    expect(folded('Đường Lê Lợi')).toBe(folded('duong le loi'));
  });

  it('gives identical results for NFC and NFD input (macOS and some Android keyboards send NFD)', () => {
    const nfc = 'Đèn đường ở kiệt 12 Nguyễn Trãi hỏng rồi, làm răng đây?'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(normalise(nfd)).toEqual(normalise(nfc));
  });

  it('keeps the diacritics as a separate accented key, with old and new tone placement treated alike', () => {
    expect(accentKey('hóa')).toBe(accentKey('hoá'));
    const tokens = normalise('Hỏng đèn').tokens;
    expect(tokens.map((t) => t.folded)).toEqual(['hong', 'den']);
    expect(tokens.every((t) => t.marked)).toBe(true);
    expect(tokens[0]?.accented).not.toBe(tokens[0]?.folded);
  });

  it('expands teencode: "ko dc" means "không được", "j" means "gì", "sdt" means "số điện thoại"', () => {
    expect(surface('ko dc')).toBe('không được');
    expect(surface('lam j')).toBe('lam gì');
    expect(surface('k bik sdt')).toBe('không biết số điện thoại');
    expect(surface('mik hok bik ntn')).toBe('mình không biết như thế nào');
    expect(surface('phí bn z')).toBe('phí bao nhiêu vậy');
    expect(surface('nc lên tới mái r')).toBe('nước lên tới mái rồi');
    expect(surface('vk ck e')).toBe('vợ chồng em');
  });

  it('expands administrative abbreviations: cccd, gplx, bhyt, bhxh, hk after sổ', () => {
    expect(surface('làm cccd')).toBe('làm căn cước công dân');
    expect(surface('đổi gplx')).toBe('đổi giấy phép lái xe');
    expect(surface('thẻ bhyt')).toBe('thẻ bảo hiểm y tế');
    expect(surface('rút bhxh')).toBe('rút bảo hiểm xã hội');
    expect(surface('mất sổ hk')).toBe('mất sổ hộ khẩu');
    expect(surface('hk biết')).toBe('không biết');
  });

  it('understands Huế words: răng, rứa, mô, hông, kiệt, and chi only where it means gì', () => {
    expect(surface('làm răng rứa')).toBe('làm sao vậy');
    expect(surface('ở mô')).toBe('ở đâu');
    expect(surface('hông biết')).toBe('không biết');
    expect(surface('kiệt 12 Lê Lợi')).toBe('hẻm zznum lê lợi');
    expect(surface('cần giấy tờ chi')).toBe('cần giấy tờ gì');
    expect(surface('chi phí làm hộ chiếu')).toBe('chi phí làm hộ chiếu');
  });

  it('never turns "hỏng" (broken) into "không" even when typed without marks', () => {
    expect(surface('đèn hỏng')).toBe('đèn hỏng');
    expect(folded('den hong')).toBe('den hong');
  });

  it('replaces report codes, phone numbers and numbers with placeholders but keeps 113/114/115', () => {
    expect(surface('PA-7K3M9Q sao rồi')).toBe('zzcode sao rồi');
    expect(surface('gọi 0905 123 456')).toBe('gọi zzphone');
    expect(surface('gọi 114 hay 115')).toBe('gọi 114 hay 115');
  });

  it('drops emoji and punctuation but remembers question and exclamation marks', () => {
    const n = normalise('Cháy!!! 😱😱 cứu với???');
    expect(n.surface).toBe('cháy cứu với');
    expect(n.hasExclamation).toBe(true);
    expect(n.hasQuestionMark).toBe(true);
    expect(normalise('👍').surface).toBe('ok');
  });

  it('tells English from Vietnamese typed without diacritics', () => {
    expect(normalise('The street light is broken').lang).toBe('en');
    expect(normalise('den duong bi hu roi').lang).toBe('vi');
    expect(normalise('Đèn đường hỏng').lang).toBe('vi');
    expect(detectLanguage('', [])).toBe('vi');
  });

  it('tells terse English queries and English with a borrowed accent from unaccented Vietnamese by the shape of the words', () => {
    expect(normalise('building permit').lang).toBe('en');
    expect(normalise('cheap flights').lang).toBe('en');
    expect(normalise('My fiancée is Vietnamese and lives in Hue').lang).toBe('en');
    expect(normalise('thue nha tro').lang).toBe('vi');
    expect(normalise('vneid muc 2').lang).toBe('vi');
    expect(normalise('ok cam on').lang).toBe('vi');
    expect(normalise('ko dc ntn').lang).toBe('vi');
  });

  it('does not expand Vietnamese teencode inside English messages ("a", "k")', () => {
    expect(normalise('I need a passport').surface).toBe('i need a passport');
  });
});

describe('ambiguous short forms', () => {
  it('reads "hem" as hẻm (alley), "hum nay" as hôm nay and "hum" alone as không', () => {
    expect(surface('den hem 5 hu')).toBe('den hem zznum hu');
    expect(surface('hum nay')).toBe('hôm nay');
    expect(surface('hum biết')).toBe('không biết');
  });

  it('reads "bh" as bảo hiểm next to insurance words and as bao giờ otherwise', () => {
    expect(surface('rút bh 1 lần')).toBe('rút bảo hiểm zznum lần');
    expect(surface('bh có kết quả')).toBe('bao giờ có kết quả');
  });
});
