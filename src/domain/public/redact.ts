/**
 * What of a report may be shown to anyone (the public page, Open311, the share card): residents'
 * words without the personal data they often contain, addresses reduced to street and ward, and
 * coordinates at street precision. Pure.
 *
 * Policy (each rule has a test in test/unit/domain/public-redact.test.ts):
 *
 * - Text ({@link redactPublicText}): phone numbers (Vietnamese mobile and landline forms, +84/84,
 *   spaces, dots, dashes, brackets), e-mail addresses, long digit runs (ID cards, bank accounts:
 *   8 digits or more), vehicle plates ("75A-123.45"), the name after "tôi là / tên tôi là / em tên
 *   / họ tên: / my name is…", a capitalised name after a lower-case form of address ("ông Lâm",
 *   "chị Hoa"), and house and alley numbers ("số 12", "nhà 12", "12/3", "kiệt 5", "hẻm 12/4",
 *   "ngõ", "ngách", "12 Lê Lợi") become `***`. Dates ("ngày 12/3") and times stay. What it cannot
 *   recognise, it cannot remove: the public surfaces show the redacted text, never the original.
 * - Addresses ({@link publicAddress}): only the street (or place) and the ward are kept; house
 *   numbers, alleys ("kiệt", "hẻm", "ngõ", "ngách", "K5/12"), postcodes, the city, province and
 *   country are dropped. "12, Lê Lợi, Phường Thuận Hóa, Thành phố Huế, 49000, Việt Nam" →
 *   "Lê Lợi, Phường Thuận Hóa".
 * - Coordinates ({@link publicCoordinate}): three decimals (about 110 m), the precision of "street
 *   and ward"; never the exact point a resident stood on.
 */

export const REDACTED = '***';

const UPPER = 'A-ZÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ';
/** One capitalised word; a name is 1 to 5 of them (`NAME`). */
const WORD = `[${UPPER}][\\p{L}\\p{M}]*`;
const NAME = `${WORD}(?:[ \\t]+${WORD}){0,4}(?![\\p{L}\\p{M}])`;
/** Start of a word (a regex word boundary only knows ASCII letters). */
const START = '(?<![\\p{L}\\p{M}\\p{N}])';

/** A case-insensitive pattern for fixed words, so the name after them can stay case-sensitive. */
function ci(words: string): string {
  return [...words].map((c) => {
    const lo = c.toLocaleLowerCase('vi');
    const up = c.toLocaleUpperCase('vi');
    if (c === ' ') return '\\s+';
    return lo === up ? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${lo}${up}]`;
  }).join('');
}
const alt = (...xs: string[]) => `(?:${xs.map(ci).join('|')})`;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** 0905 123 456, 0905.123.456, +84 905 123 456, 84905123456, (0234) 3822 123, 0234-3822-123. */
const PHONE = /(?<![\p{N}])(?:\+\s?84[\s.-]?|84|\(?0)\d{1,4}\)?(?:[\s.-]?\d){6,10}(?![\p{N}])/gu;
/** 8 or more digits in a row (ID cards, bank accounts, unformatted phones). */
const LONG_DIGITS = /(?<![\p{N}])\d{8,}(?![\p{N}])/gu;
/** Vehicle plates: 75A-123.45, 43C1 234.56, 29A12345. */
const PLATE = /(?<![\p{L}\p{N}])\d{2}[A-Z]{1,2}\d?[\s.-]?\d{3}\.?\d{1,2}(?![\p{N}])/gu;
/** A name introduced by the resident: the capitalised words after the phrase. */
const NAME_AFTER = new RegExp(
  `(${START}${alt('tôi là', 'tôi tên là', 'tôi tên', 'tên tôi là', 'tên tôi', 'em là', 'em tên là', 'em tên', 'tên em là', 'tên em', 'mình là', 'mình tên là', 'mình tên', 'tên mình là', 'cháu là', 'cháu tên', 'tên cháu là', 'con tên', 'tui là', 'tên là', 'my name is', "i'm called")})(\\s+)(${NAME})`,
  'gu',
);
/** `họ tên: nguyễn văn a` and `tên: lan` (a colon: whatever follows, up to 4 words, is the name). */
const NAME_AFTER_COLON = new RegExp(`(${START}${alt('họ và tên', 'họ tên', 'tên', 'name')}\\s*:\\s*)((?:[\\p{L}\\p{M}]+)(?:[ \\t]+[\\p{L}\\p{M}]+){0,3})`, 'gu');
/** A lower-case form of address followed by a capitalised name: "nhà ông Lâm", "chị Nguyễn Thị Hoa". */
const ADDRESSED = new RegExp(`(${START}(?:ông|bà|anh|chị|cô|chú|bác|dì|cậu|mợ|thím)\\s+)(${NAME})`, 'gu');
/** "số nhà 12", "nhà số 12A", "số 12", "nhà 12", "kiệt 5", "kiệt 12/3", "hẻm 4", "ngõ 7", "ngách 2". */
const HOUSE = new RegExp(`(${START}${alt('số nhà', 'nhà số', 'kiệt số', 'hẻm số', 'ngõ số', 'số', 'nhà', 'kiệt', 'hẻm', 'ngõ', 'ngách', 'lô')}\\s+)\\d+[a-zA-Z]?(?:\\/\\d+[a-zA-Z]?)*(?![\\p{N}])`, 'gu');
const K_ALLEY = /(?<![\p{L}\p{N}])[kK]\d+(?:\/\d+)+(?![\p{N}])/gu;
/** 12/3 or 12/3/4 not after a word that makes it a date. */
const SLASHED = /(?<![\p{N}/])(\d{1,4}[a-zA-Z]?(?:\/\d{1,4}[a-zA-Z]?)+)(?![\p{N}/])/gu;
const DATE_WORDS = /(?:ngày|hôm|tháng|từ|đến|tới|lúc|date|on|since|until)\s*$/iu;
/** A house number in front of a capitalised street name: "12 Lê Lợi", "45A Hùng Vương". */
const NUMBER_BEFORE_STREET = new RegExp(`(?<![\\p{L}\\p{N}/.,:])\\d{1,4}[a-zA-Z]?(?=\\s+(?:đường\\s+|phố\\s+)?${WORD})`, 'gu');

/**
 * The resident's text as the public may read it (see the module comment for what is removed).
 * Never throws; empty input gives an empty string.
 */
export function redactPublicText(input: string): string {
  let t = input.normalize('NFC');
  t = t.replace(EMAIL, REDACTED);
  t = t.replace(PLATE, REDACTED);
  t = t.replace(PHONE, (m) => (digitCount(m) >= 9 ? REDACTED : m));
  t = t.replace(LONG_DIGITS, REDACTED);
  t = t.replace(NAME_AFTER_COLON, (_m, lead: string) => `${lead}${REDACTED}`);
  t = t.replace(NAME_AFTER, (_m, lead: string, space: string) => `${lead}${space}${REDACTED}`);
  t = t.replace(ADDRESSED, (m, lead: string, _name: string, offset: number, whole: string) =>
    // "đường Bà Triệu" is a street, not a person: a street word right before keeps it.
    /(?:đường|phố|chợ|cầu|trường|bến)\s*$/iu.test(whole.slice(0, offset)) ? m : `${lead}${REDACTED}`,
  );
  t = t.replace(HOUSE, (_m, lead: string) => `${lead}${REDACTED}`);
  t = t.replace(K_ALLEY, REDACTED);
  t = t.replace(SLASHED, (m, _g: string, offset: number, whole: string) => (DATE_WORDS.test(whole.slice(0, offset)) ? m : REDACTED));
  t = t.replace(NUMBER_BEFORE_STREET, (m, offset: number, whole: string) => (DATE_WORDS.test(whole.slice(0, offset)) ? m : REDACTED));
  return t.replace(/(?:\*\*\*[\s,]*){2,}/g, `${REDACTED} `).replace(/[ \t]{2,}/g, ' ').trim();
}

function digitCount(s: string): number {
  return (s.match(/\d/g) ?? []).length;
}

const WARD_PART = /^(phường|xã|thị\s+trấn|đặc\s+khu|ward|commune)\s+\S/iu;
const DROP_PART = /^(?:việt\s*nam|viet\s*nam|vietnam|thành\s+phố\s|tp\.?\s|tỉnh\s|quận\s|huyện\s|thị\s+xã\s|city\s|province\s|\d[\d\s]*$)/iu;
const LEADING_WORDS = /^(?:gần|cạnh|đối\s+diện|trước|sau|ngay|tại|ở|near|opposite)\s+/iu;
const HOUSE_TOKENS = [
  /^(?:số\s+nhà|nhà\s+số|số|nhà|lô)\s*\d+[a-zA-Z]?(?:\/\d+[a-zA-Z]?)*\s*/iu,
  /^\d+[a-zA-Z]?(?:\/\d+[a-zA-Z]?)*\s*/u,
  /^(?:kiệt|hẻm|ngõ|ngách)(?:\s+số)?\s*\d+[a-zA-Z]?(?:\/\d+[a-zA-Z]?)*\s*/iu,
  /^[kK]\d+(?:\/\d+)*\s*/u,
];

/**
 * The street (or named place) and the ward of an address, as the public may see them; null when
 * nothing public is left. `wardName` (from the report's ward code) replaces a ward found in the text.
 */
export function publicAddress(address: string | null | undefined, wardName?: string | null): string | null {
  const raw = (address ?? '').normalize('NFC').trim();
  let parts = raw.split(/\s*[,;\n]\s*/u).filter(Boolean);
  // A typed address without commas: "số 12 kiệt 5 Lê Lợi phường Thuận Hóa".
  if (parts.length === 1) parts = parts[0]!.split(/\s+(?=(?:phường|xã|thị\s+trấn)\s)/iu);
  let street: string | null = null;
  let ward: string | null = null;
  for (const part of parts) {
    const p = stripHouse(part.replace(LEADING_WORDS, ''));
    if (!p) continue;
    if (WARD_PART.test(p)) {
      ward ??= capitalise(p);
      continue;
    }
    if (DROP_PART.test(p) || /^\d/.test(p)) continue;
    street ??= redactPublicText(p);
  }
  if (street && (street.includes(REDACTED) || street.length < 2)) street = null;
  const w = wardName?.trim() || ward;
  const out = [street, w].filter((x): x is string => Boolean(x));
  return out.length ? out.join(', ') : null;
}

function stripHouse(part: string): string {
  let p = part.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of HOUSE_TOKENS) {
      const next = p.replace(re, '').trim();
      if (next !== p) {
        p = next;
        changed = true;
      }
    }
    const lead = p.replace(LEADING_WORDS, '');
    if (lead !== p) {
      p = lead;
      changed = true;
    }
  }
  return p;
}

function capitalise(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
}

/** A coordinate at street precision (three decimals, about 110 m). */
export function publicCoordinate(x: number): number {
  return Math.round(x * 1000) / 1000;
}
