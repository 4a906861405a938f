/**
 * Vietnamese/English text normalisation for the NLU.
 *
 * Every message becomes a list of tokens, each in two forms:
 * - `accented`: lower case, NFC, with the tone moved to a letter suffix (`hóa` and `hoá` both become
 *   `hoas`), so the old and new tone placements meet and diacritics still carry meaning;
 * - `folded`: every mark removed and `đ` → `d`, which is what people type without a Vietnamese keyboard.
 *
 * Teencode, abbreviations and Huế/central words are expanded before features are built ("ko dc" →
 * "không được", "răng rứa" → "sao vậy", "kiệt" → "hẻm"). Words whose folded form is ambiguous
 * (`chi` vs `chị`/`chi phí`, `hong` vs `hỏng`) expand only in the contexts where the meaning is clear.
 */

export type Lang = 'vi' | 'en';

export interface Token {
  /** NFC lower-case surface form after expansion (for display and debugging). */
  readonly surface: string;
  /** Canonical accented form: vowel marks kept, tone as a trailing letter (s f r x j). */
  readonly accented: string;
  /** No marks at all, `đ` → `d`. */
  readonly folded: string;
  /** Whether the surface form carries any Vietnamese mark (tone, vowel mark or đ). */
  readonly marked: boolean;
}

export interface Normalised {
  /** The input, NFC, trimmed. */
  readonly original: string;
  readonly tokens: readonly Token[];
  /** Folded tokens joined by single spaces: the string rule patterns and char n-grams run on. */
  readonly folded: string;
  /** Surface tokens joined by single spaces (accented, expanded). */
  readonly surface: string;
  readonly lang: Lang;
  readonly hasQuestionMark: boolean;
  readonly hasExclamation: boolean;
  /** The input contained Vietnamese marks anywhere. */
  readonly hadDiacritics: boolean;
}

const TONE_MARKS: Record<string, string> = {
  '\u0300': 'f', // huyền
  '\u0301': 's', // sắc
  '\u0309': 'r', // hỏi
  '\u0303': 'x', // ngã
  '\u0323': 'j', // nặng
};
const COMBINING = /[\u0300-\u036f]/g;

/** Every precomposed Vietnamese letter (lower case), so fold/accentKey can use tables instead of NFD. */
const VIETNAMESE_LETTERS =
  'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';
const FOLD_TABLE = new Map<string, string>();
const TONE_TABLE = new Map<string, [string, string]>();
for (const ch of VIETNAMESE_LETTERS) {
  FOLD_TABLE.set(ch, slowFold(ch));
  TONE_TABLE.set(ch, slowSplitTone(ch));
}

function slowFold(s: string): string {
  return s.normalize('NFD').replace(COMBINING, '').replace(/đ/g, 'd');
}
function slowSplitTone(ch: string): [string, string] {
  let tone = '';
  let base = '';
  for (const c of ch.normalize('NFD')) {
    const t = TONE_MARKS[c];
    if (t !== undefined) tone = t;
    else base += c;
  }
  return [base.normalize('NFC'), tone];
}

/** Removes every mark: "đường" → "duong". Input should be lower case (upper case goes the slow way). */
export function fold(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i]!;
    if (ch.charCodeAt(0) < 128) out += ch;
    else {
      const f = FOLD_TABLE.get(ch);
      if (f === undefined) return slowFold(s);
      out += f;
    }
  }
  return out;
}

/** Canonical accented key of one lower-case token: tone marks removed and appended as a letter. */
export function accentKey(token: string): string {
  let base = '';
  let tone = '';
  for (let i = 0; i < token.length; i += 1) {
    const ch = token[i]!;
    if (ch.charCodeAt(0) < 128) {
      base += ch;
      continue;
    }
    const split = TONE_TABLE.get(ch);
    if (split === undefined) return slowAccentKey(token);
    base += split[0];
    if (split[1] !== '') tone = split[1];
  }
  return base + tone;
}

function slowAccentKey(token: string): string {
  const nfd = token.normalize('NFD');
  let tone = '';
  let base = '';
  for (const ch of nfd) {
    const t = TONE_MARKS[ch];
    if (t !== undefined) tone = t;
    else base += ch;
  }
  return base.normalize('NFC') + tone;
}

function makeToken(surface: string): Token {
  const folded = fold(surface);
  return { surface, accented: accentKey(surface), folded, marked: folded !== surface };
}

// ---------------------------------------------------------------------------------------------
// Emoji and symbols

/** Emoji that carry meaning for us; every other pictograph is dropped. */
const EMOJI_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/[\u{1F44D}\u{1F44C}]/gu, ' ok '],
  [/\u{1F64F}/gu, ' cảm ơn '],
  [/[\u{1F602}\u{1F923}\u{1F606}\u{1F604}\u{1F601}\u{1F605}]/gu, ' haha '],
  [/\u{1F44B}/gu, ' chào '],
  [/\u{1F198}/gu, ' cứu '],
  [/\u{1F691}/gu, ' cấp cứu '],
  [/\u{1F692}/gu, ' cứu hỏa '],
  [/\u{1F525}/gu, ' lửa '],
];
/** Cheap pre-check: anything outside the Latin/Vietnamese/punctuation planes. */
// The classes name joiners, variation selectors and lone surrogate halves on purpose (emoji detection).
// eslint-disable-next-line no-misleading-character-class
const MAYBE_EMOJI = /[\u2190-\u2BFF\uFE0F\u200D]|[\uD83C-\uDBFF]/;
// eslint-disable-next-line no-misleading-character-class
const PICTOGRAPH = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}]/gu;

// ---------------------------------------------------------------------------------------------
// Placeholders for things whose exact value does not matter but whose presence does

// `\b` is ASCII-only in JS, so word ends are spelt out for Vietnamese letters.
const END = '(?![\\p{L}\\p{N}])';
const START = '(?<![\\p{L}\\p{N}])';
const SPECIAL_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/https?:\/\/\S+|www\.\S+/gu, ' zzurl '],
  [/[\w.+-]+@[\w-]+\.[\w.]+/gu, ' zzemail '],
  // Report codes look like PA-7K3M9Q: six letters/digits with at least one digit.
  [new RegExp(`${START}pa[-\\s]?(?=[a-z0-9]*\\d)[a-z0-9]{6}${END}`, 'gu'), ' zzcode '],
  [new RegExp(`${START}(?=[a-z]*\\d)(?=\\d*[a-z])[a-z0-9]{6}${END}`, 'gu'), ' zzcode '],
  [new RegExp(`(?:\\+84|${START}0)(?:[\\s.-]?\\d){8,10}${END}`, 'gu'), ' zzphone '],
  [new RegExp(`${START}\\d{1,2}[/-]\\d{1,2}(?:[/-]\\d{2,4})?${END}`, 'gu'), ' zzdate '],
  [new RegExp(`${START}\\d{1,2}\\s?(?:h|giờ|gio|g)(?:\\s?\\d{1,2})?(?:p|phút|phut)?${END}`, 'gu'), ' zztime '],
  [new RegExp(`${START}\\d+(?:[.,]\\d+)?\\s?(?:k|tr|triệu|trieu|nghìn|nghin|ngàn|ngan|đ|vnd|vnđ|đồng|dong)${END}`, 'gu'), ' zzmoney '],
];
/** Numbers that mean something on their own (emergency lines, the city hotline). */
const KEPT_NUMBERS = new Set(['113', '114', '115', '112', '111', '1022', '1900']);

// ---------------------------------------------------------------------------------------------
// Teencode, abbreviations and regional words

/** Applied to tokens typed without any mark (đ allowed), by folded form. */
const ABBREVIATIONS: Record<string, string> = {
  ko: 'không', k: 'không', kh: 'không', khg: 'không', hok: 'không', khum: 'không',
  kg: 'không', k0: 'không',
  dc: 'được', dk: 'đăng ký', dky: 'đăng ký', dki: 'đăng ký',
  j: 'gì', z: 'vậy', v: 'vậy', zay: 'vậy', dzay: 'vậy', r: 'rồi', oy: 'rồi', ui: 'ơi',
  sdt: 'số điện thoại', dthoai: 'điện thoại',
  cccd: 'căn cước công dân', cmnd: 'chứng minh nhân dân', cmt: 'chứng minh thư',
  gplx: 'giấy phép lái xe', blx: 'bằng lái xe', bhyt: 'bảo hiểm y tế', bhxh: 'bảo hiểm xã hội',
  ntn: 'như thế nào', ntnao: 'như thế nào', bn: 'bao nhiêu', bnhieu: 'bao nhiêu', bh: 'bao giờ', bjo: 'bây giờ', bgio: 'bây giờ',
  mik: 'mình', mk: 'mình', mh: 'mình', mjk: 'mình', t: 'tôi', tui: 'tôi', b: 'bạn', e: 'em', cj: 'chị',
  ad: 'admin', ng: 'người', ngta: 'người ta', mn: 'mọi người', mng: 'mọi người',
  vs: 'với', wa: 'qua', qa: 'quá', lm: 'làm', ms: 'mới', nx: 'nữa', ns: 'nói', bik: 'biết', bjt: 'biết',
  cx: 'cũng', cg: 'cũng', trc: 'trước', dag: 'đang', ak: 'à', ah: 'à', vd: 'ví dụ',
  tks: 'cảm ơn', thks: 'cảm ơn', thanks: 'cảm ơn', thank: 'cảm ơn', thx: 'cảm ơn', camon: 'cảm ơn',
  tk: 'tài khoản', stk: 'số tài khoản', ubnd: 'ủy ban nhân dân', ub: 'ủy ban', tthc: 'thủ tục hành chính',
  dvc: 'dịch vụ công', hs: 'hồ sơ', gks: 'giấy khai sinh', gcn: 'giấy chứng nhận', qsdd: 'quyền sử dụng đất',
  lltp: 'lý lịch tư pháp', pccc: 'phòng cháy chữa cháy', atgt: 'an toàn giao thông', csgt: 'cảnh sát giao thông',
  vsattp: 'vệ sinh an toàn thực phẩm', attp: 'an toàn thực phẩm', tp: 'thành phố', bv: 'bệnh viện',
  hnay: 'hôm nay', hqua: 'hôm qua', bthg: 'bình thường', bt: 'bình thường', nhiu: 'nhiêu', hoy: 'thôi', thui: 'thôi',
  iu: 'yêu', oke: 'ok', okela: 'ok', okie: 'ok', oki: 'ok', okay: 'ok',
  uh: 'ừ', uhm: 'ừ', um: 'ừ', uk: 'ừ', ukm: 'ừ', lun: 'luôn', pa: 'phản ánh',
  ktra: 'kiểm tra', kt: 'kiểm tra', tgian: 'thời gian', tg: 'thời gian', zo: 'vô',
  hkd: 'hộ kinh doanh', dkkd: 'đăng ký kinh doanh', gpkd: 'giấy phép kinh doanh', kd: 'kinh doanh', cty: 'công ty',
  gpxd: 'giấy phép xây dựng', gcnqsdd: 'giấy chứng nhận quyền sử dụng đất', bhtn: 'bảo hiểm thất nghiệp',
  tcxh: 'trợ cấp xã hội', xkld: 'xuất khẩu lao động', qd: 'quyết định', lp: 'lệ phí',
  ttpvhcc: 'trung tâm phục vụ hành chính công', hcc: 'hành chính công', ks: 'khai sinh',
  nc: 'nước', vk: 'vợ', ck: 'chồng', ny: 'người yêu', onl: 'online', sv: 'sinh viên', tctn: 'trợ cấp thất nghiệp', cf: 'cà phê',
  nhg: 'những', h: 'giờ', ctv: 'cộng tác viên', nvqs: 'nghĩa vụ quân sự', thpt: 'trung học phổ thông', dh: 'đại học',
};

/** Applied by canonical accented key, whatever marks the token carries (regional Huế/central words). */
const REGIONAL: Record<string, string> = {
  [accentKey('răng')]: 'sao',
  [accentKey('rứa')]: 'vậy',
  [accentKey('mô')]: 'đâu',
  [accentKey('hông')]: 'không',
  [accentKey('kiệt')]: 'hẻm',
  [accentKey('ri')]: 'này',
  [accentKey('ni')]: 'này',
  [accentKey('tê')]: 'kia',
  [accentKey('chừ')]: 'giờ',
  [accentKey('mần')]: 'làm',
  [accentKey('bựa')]: 'bữa',
  [accentKey('nỏ')]: 'không',
  [accentKey('đc')]: 'được',
  [accentKey('đk')]: 'đăng ký',
  [accentKey('đky')]: 'đăng ký',
  [accentKey('sđt')]: 'số điện thoại',
  [accentKey('đt')]: 'điện thoại',
  [accentKey('đthoai')]: 'điện thoại',
  [accentKey('qsdđ')]: 'quyền sử dụng đất',
  [accentKey('dzậy')]: 'vậy',
  [accentKey('zậy')]: 'vậy',
  [accentKey('hok')]: 'không',
  [accentKey('đag')]: 'đang',
  [accentKey('nhìu')]: 'nhiều',
  [accentKey('wá')]: 'quá',
  [accentKey('bít')]: 'biết',
  [accentKey('hổng')]: 'không',
  [accentKey('kô')]: 'không',
  [accentKey('thik')]: 'thích',
  [accentKey('khôg')]: 'không',
  [accentKey('k0')]: 'không',
};

/** Words after which `hk` means hộ khẩu (otherwise it is teencode for không). */
const HK_HOUSEHOLD_BEFORE = new Set(['so', 'nhap', 'chuyen', 'cat', 'tach', 'xoa', 'dang', 'ky', 'dk', 'trong', 'co', 'theo']);
/** Around `bh`: bảo hiểm ("rút bh 1 lần", "thẻ bh y tế"), otherwise teencode for bao giờ. */
const BH_INSURANCE_BEFORE = new Set(['rut', 'dong', 'the', 'mua', 'nop', 'huong', 'so', 'muc', 'tien', 'cap', 'gia', 'han']);
const BH_INSURANCE_AFTER = new Set(['xh', 'yt', 'tn', 'xa', 'y', 'that', 'zznum', 'mot', 'nhan', 'cua', 'hoc']);
/** Before `cc`: căn cước ("thẻ cc", "làm cc"). */
const CC_CARD_BEFORE = new Set(['the', 'lam', 'cap', 'doi', 'mat', 'so', 'can', 'co']);
/** Words that follow `chi` when it is part of a word (chi phí, chi tiết) rather than Huế "gì". */
const CHI_COMPOUND_AFTER = new Set(['phi', 'tiet', 'tra', 'nhanh', 'cuc', 'bo', 'tieu', 'doan', 'hoi', 'ho', 'em', 'anh', 'gai', 'dau', 'la', 'can']);
/** Words before `chi` that make it Huế "gì" (làm chi, cái chi, chi rứa). */
const CHI_QUESTION_BEFORE = new Set(['lam', 'cai', 'la', 'gi', 'mat', 'thu', 'viec', 'noi', 'can', 'de', 'hoi', 'bi', 'toi', 'to', 'may']);

function expandToken(tokens: readonly string[], foldedTokens: readonly string[], i: number): string | null {
  const tok = tokens[i] ?? '';
  const f = foldedTokens[i] ?? '';
  const prev = i > 0 ? foldedTokens[i - 1] ?? '' : '';
  const next = foldedTokens[i + 1] ?? '';
  const unmarked = f === tok || f === tok.replace(/đ/g, 'd');

  // Ambiguous folded forms first: only where the context decides.
  if (tok === 'hk') return HK_HOUSEHOLD_BEFORE.has(prev) ? 'hộ khẩu' : 'không';
  if (tok === 'bh') return BH_INSURANCE_BEFORE.has(prev) || BH_INSURANCE_AFTER.has(next) ? 'bảo hiểm' : 'bao giờ';
  if (tok === 'cc') return CC_CARD_BEFORE.has(prev) ? 'căn cước' : null;
  if (tok === 'chi') {
    if (CHI_COMPOUND_AFTER.has(next)) return null;
    if (next === '' || CHI_QUESTION_BEFORE.has(prev) || next === 'rua' || next === 'he' || next === 'ri') return 'gì';
    return null;
  }
  if (tok === 'rang' && (prev === 'lam' || prev === 'la' || next === 'rua' || next === 'ri' || next === 'roi')) return 'sao';
  if (tok === 'rua' && (prev === 'rang' || prev === 'nhu' || prev === 'the' || prev === 'chi' || prev === 'sao')) return 'vậy';
  if (tok === 'mo' && (prev === 'o' || prev === 'di' || prev === 'chỗ' || prev === 'cho' || prev === 'noi') && next === '') return 'đâu';
  if (tok === 'kiet' && (next === 'zznum' || /^\d/.test(next))) return 'hẻm';
  if (tok === 'mô' && (next === 'ta' || next === 'hinh' || next === 'phong')) return null;
  if (tok === 'kiệt' && (next === 'suc' || next === 'que')) return null;
  if (tok === 'ni' || tok === 'ri') return 'này';
  // "hum nay" is hôm nay; "hum" alone is không. ("hem" is left alone: it is hẻm typed without marks.)
  if (tok === 'hum') return next === 'nay' || next === 'qua' || next === 'truoc' || next === 'kia' ? 'hôm' : 'không';
  if (tok === 'tê' && (next === 'tay' || next === 'chan' || next === 'liet' || next === 'buot')) return null;

  const regional = REGIONAL[accentKey(tok)];
  if (regional !== undefined) {
    // "tê" and "ri" are too short to trust without marks; the marked forms are unambiguous.
    return regional;
  }
  if (unmarked) {
    const ab = ABBREVIATIONS[f];
    if (ab !== undefined && ab !== '') return ab;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Language

/** English function words and common words of our domain; enough to tell English from unaccented Vietnamese. */
const EN_WORDS = new Set(
  ('the a an is are was were be been am i you he she it we they my your our their me him her us them this that these those ' +
    'there here what where when why how who which whose can could would should will shall do does did done have has had ' +
    'not no yes and or but if of to in on at for from by with about into over under near after before up down out off ' +
    'please thanks thank hello hi hey bye good morning evening night ok okay help want need get got make know tell ' +
    'street road light lights broken tree fallen trash rubbish garbage flood flooded water power card id passport ' +
    'report reports status fire police ambulance someone somebody people house my mine apply renew lost register ' +
    'registration birth death marriage certificate licence license driving fee fees office hours open phone number ' +
    'again just still now today yesterday since very too much many some any all is isnt dont doesnt cant im ive its ' +
    'hotline call talk person human check application school tax online portal insurance benefit unemployment')
    .split(' '),
);
/** Unaccented Vietnamese syllables that are frequent and never English words. */
const VI_WORDS = new Set(
  ('toi minh ban anh chi em khong duoc gi sao vay roi nha duong cho o la co cua va voi nhu the nao bao nhieu ' +
    'o dau lam muon hoi can giay to thu tuc dang ky cap doi lai mat cay rac den nuoc dien xe hem kiet phuong ' +
    'quan huyen thanh pho hue phan anh ho so bi hu hong ngap chay nguoi cuu dang oi a nhe nha ha ha cam on xin chao ' +
    'tai sao vi khi nao may thi hay nua cung da se van chua biet giup voi ve tren duoi trong ngoai truoc sau')
    .split(' '),
);

/** Words both languages use (brands, loanwords): they say nothing about the language. */
const LOANWORDS = new Set(['ok', 'okay', 'alo', 'bot', 'ad', 'admin', 'vneid', 'vssid', 'zalo', 'facebook', 'karaoke', 'online', 'app', 'hotline', 'wifi', 'internet', 'email', 'taxi', 'pet', 'homestay', 'shopee', 'grab']);

/** A folded token shaped like a Vietnamese syllable (onset, vowels, coda): "nghieng", "duong", "khong". */
const VI_SYLLABLE = /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?(?:[aeiouy]{1,3})(?:ch|ng|nh|[cmnpt])?$/;
const VI_MARK = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/;

/**
 * 'vi' unless the message reads as English. Words with Vietnamese marks count for Vietnamese (two of
 * them decide at once; one alone does not, "fiancée"); then known English and Vietnamese words are
 * counted, and the remaining words by their shape: "building permit" cannot be Vietnamese syllables,
 * "thue nha tro" can. Teencode ("ko", "dc", "ntn") counts as Vietnamese.
 */
export function detectLanguage(nfcLower: string, foldedWords: readonly string[], rawWords: readonly string[] = []): Lang {
  if (rawWords.length === 0) {
    if (VI_MARK.test(nfcLower)) return 'vi';
  } else {
    const marked = rawWords.filter((w) => VI_MARK.test(w)).length;
    if (marked >= 2 || (marked === 1 && rawWords.length <= 2)) return 'vi';
  }
  let en = 0;
  let vi = 0;
  for (let i = 0; i < foldedWords.length; i += 1) {
    const w = foldedWords[i] ?? '';
    if (rawWords.length > 0 && VI_MARK.test(rawWords[i] ?? '')) vi += 1;
    else if (LOANWORDS.has(w)) continue;
    else if (w === 'on' && foldedWords[i - 1] === 'cam') vi += 1;
    else if (EN_WORDS.has(w)) en += w.length === 1 ? 0.5 : 1;
    else if (VI_WORDS.has(w) || ABBREVIATIONS[w] !== undefined) vi += 1;
    else if (!/^[a-z]{3,}$/.test(w) || w.startsWith('zz') || !/[aeiouy]/.test(w) || /[^aeiouy]{5}/.test(w)) continue;
    else if (VI_SYLLABLE.test(w)) vi += 0.5;
    else en += 0.75;
  }
  return en > vi && en >= 0.75 ? 'en' : 'vi';
}

// ---------------------------------------------------------------------------------------------

/** Splits on anything that is not a letter, digit or one of our placeholder underscores. */
function splitWords(s: string): string[] {
  return s.split(/[^\p{L}\p{N}_]+/u).filter((w) => w.length > 0);
}

/**
 * Normalises one message. Pure and deterministic; NFC and NFD input give identical results.
 */
export function normalise(input: string): Normalised {
  const original = input.normalize('NFC').trim();
  let s = original.toLowerCase();
  if (MAYBE_EMOJI.test(s)) {
    for (const [re, word] of EMOJI_WORDS) s = s.replace(re, word);
    s = s.replace(PICTOGRAPH, ' ');
  }
  const hasQuestionMark = /[?？]/.test(s);
  const hasExclamation = /!/.test(s);
  // eslint-disable-next-line no-control-regex -- "anything outside ASCII" starts at U+0000 on purpose
  const hadDiacritics = /[^\x00-\x7f]/.test(s) && fold(s) !== s;
  // Every placeholder pattern needs a digit, an @ or a URL: most messages skip them all.
  if (/[\d@]|http|www\./.test(s)) for (const [re, word] of SPECIAL_PATTERNS) s = s.replace(re, word);
  // Letters glued to digits ("hem12", "3giờ") split; kept numbers stay, other numbers become one token.
  s = s.replace(/(\p{L})(\d)/gu, '$1 $2').replace(/(\d)(\p{L})/gu, '$1 $2');
  const raw = splitWords(s).map((w) => (/^\d+$/.test(w) ? (KEPT_NUMBERS.has(w) ? w : 'zznum') : w));

  const rawFolded = raw.map(fold);
  const lang = detectLanguage(s, rawFolded, raw);
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i += 1) {
    const tok = raw[i] ?? '';
    const expansion = lang === 'vi' ? expandToken(raw, rawFolded, i) : null;
    if (expansion === null) {
      out.push(makeToken(tok));
    } else {
      for (const w of expansion.split(' ')) out.push(makeToken(w));
    }
  }
  return {
    original,
    tokens: out,
    folded: out.map((t) => t.folded).join(' '),
    surface: out.map((t) => t.surface).join(' '),
    lang,
    hasQuestionMark,
    hasExclamation,
    hadDiacritics,
  };
}
