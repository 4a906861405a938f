/**
 * What a broadcast may say about a case: never the resident's name, phone, e-mail or house number.
 * Resident text quoted by a caption is scrubbed (and the officer is shown what was removed); an
 * address is reduced to street and ward; Zalo group mentions (`[@…]`) in quoted text are defused.
 */

export type RemovedKind = 'phone' | 'email' | 'name' | 'house-number' | 'mention' | 'link';

export interface Scrubbed {
  readonly text: string;
  readonly removed: ReadonlyArray<{ readonly kind: RemovedKind; readonly value: string }>;
}

const PLACEHOLDER: Record<RemovedKind, string> = {
  phone: '[số điện thoại]',
  email: '[email]',
  name: '[tên]',
  'house-number': '[số nhà]',
  mention: '',
  link: '[liên kết]',
};

// Vietnamese and international phone numbers, with spaces, dots or dashes between groups.
const PHONE = /(?<![\p{L}\p{N}])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\p{L}\p{N}])/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const LINK = /\bhttps?:\/\/\S+/giu;
// A capitalised word of a Vietnamese name (Nguyễn, Thị, Hoa...).
const NAME_WORD = "\\p{Lu}[\\p{Ll}\\p{M}]*";
const NAME = `${NAME_WORD}(?:\\s+${NAME_WORD}){0,3}`;
// "tôi là Nguyễn Văn A", "tên Hoa", "anh Tuấn", "chị Lan", "cô Mai", "ông Ba"... (the name is what follows).
// The lead words in any case; the name itself must be capitalised.
const LEAD = /(?<![\p{L}])(?:tôi là|tôi tên|em là|em tên|mình là|mình tên|tên là|tên tôi là|tên|my name is|i am|i'm|anh|chị|cô|chú|bác|ông|bà|em|cháu|mr\.?|mrs\.?|ms\.?)\s+/giu;
const NAME_AT = new RegExp(`^${NAME}`, 'u');
// House and alley numbers: "số 12", "nhà số 12", "số nhà 12A", "12/3", "kiệt 5/2", "hẻm 41", "ngõ 7", "12 Lê Lợi".
const HOUSE = [
  /\b(?:nhà\s+)?số(?:\s+nhà)?\s+\d+[\p{L}]?(?:\/\d+[\p{L}]?)*/giu,
  /\b(?:kiệt|kiet|hẻm|hem|ngõ|ngo|ngách|ngach|hẻm số|alley|lane)\s+\d+[\p{L}]?(?:\/\d+[\p{L}]?)*/giu,
  /(?<![\p{L}\p{N}/])\d+[\p{L}]?(?:\/\d+[\p{L}]?)+(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}])\d{1,4}[A-Z]?(?=\s+(?:đường\s+)?\p{Lu})/gu,
];

/** Removes personal data from resident text (phones, e-mails, names, house numbers, links, mentions). */
export function scrubResidentText(text: string): Scrubbed {
  const removed: Array<{ kind: RemovedKind; value: string }> = [];
  const take = (kind: RemovedKind) => (m: string) => {
    removed.push({ kind, value: m });
    return PLACEHOLDER[kind];
  };
  let s = text.normalize('NFC');
  s = s.replace(EMAIL, take('email'));
  s = s.replace(LINK, take('link'));
  s = s.replace(PHONE, take('phone'));
  s = replaceNames(s, (name) => {
    removed.push({ kind: 'name', value: name });
    return PLACEHOLDER.name;
  });
  for (const re of HOUSE) s = s.replace(re, take('house-number'));
  const defused = escapeMentions(s);
  if (defused !== s) removed.push({ kind: 'mention', value: '[@' });
  return { text: defused.replace(/[ \t]{2,}/g, ' ').trim(), removed };
}

function replaceNames(text: string, replace: (name: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LEAD)) {
    const start = m.index + m[0].length;
    if (start < last) continue;
    const name = NAME_AT.exec(text.slice(start))?.[0];
    if (!name) continue;
    out += text.slice(last, start) + replace(name);
    last = start + name.length;
  }
  return out + text.slice(last);
}

/** `[@123]` mentions a member (or everyone) in a Zalo group: quoted text must never do that. */
export function escapeMentions(text: string): string {
  return text.replace(/\[\s*@/g, '[ @').replace(/＠/g, '@');
}

/**
 * The public form of an address: its street and ward, without house or alley numbers
 * ("12/3 kiệt 5 Lê Lợi, phường Vỹ Dạ, Huế" → "Lê Lợi, phường Vỹ Dạ").
 */
export function streetAndWard(address: string | null, wardName: string | null): string {
  const parts = (address ?? '')
    .normalize('NFC')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const ward = wardName ?? parts.find((p) => /^(phường|xã|ward|commune)\b/iu.test(p)) ?? null;
  let street = parts.find((p) => !/^(phường|xã|ward|commune|thành phố|tp\.?|tỉnh|việt nam|vietnam|huế|hue)\b/iu.test(p)) ?? '';
  for (const re of HOUSE) street = street.replace(re, ' ');
  street = street.replace(/\b(đường|duong|street|st\.?)\b/giu, (m) => m).replace(/\s{2,}/g, ' ').replace(/^[\s,.-]+|[\s,.-]+$/g, '');
  if (/^\d/.test(street)) street = street.replace(/^\d+\S*\s*/, '');
  return [street, ward].filter((x) => x && x.length > 0).join(', ');
}
