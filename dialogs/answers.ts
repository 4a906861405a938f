/**
 * Answer understanding: what a resident *typed* at a point where the bot offered choices or asked a
 * question. Pure functions over the text (no I/O, no model): yes/no in Vietnamese and English with
 * or without diacritics and teencode, global commands (menu, help, start over, cancel, language, a
 * person, my reports), an option by number, title or a close paraphrase (typos tolerated), a
 * report category named in free words, edits of a report ("sửa mô tả", "đổi địa chỉ thành …",
 * "thêm ảnh"), and the "tôi muốn phản ánh …" intent phrase with what follows it.
 *
 * Full language understanding (FAQ topics, emergencies, report categories of long descriptions)
 * lives in src/nlu; this layer only reads short answers, where a fixed vocabulary is more reliable.
 */
import { keywordCategorySuggester } from '../src/domain/reports/keyword-suggester';
import { fold } from '../src/domain/shared/text';
import type { Locale } from '../src/domain/shared/ids';
import type { Choice } from './types';

// ---------------------------------------------------------------------------------------------
// Reading a text

/** A typed text split into folded words, with each word's span in the original text. */
export interface Words {
  readonly text: string;
  /** Folded words (lower case, no diacritics, no punctuation), long letter runs squeezed. */
  readonly words: readonly string[];
  /** End offset in `text` of each word, so "what follows" can be cut from the original. */
  readonly ends: readonly number[];
  /** The text carries Vietnamese diacritics (so "dung" is not "dừng" or "đúng" by accident). */
  readonly accented: boolean;
}

const EMOJI_YES = /[👍👌✅🆗🙆]/u;
const EMOJI_NO = /[👎🙅]/u;

/** Splits `text` into folded words (see {@link Words}). */
export function words(text: string): Words {
  const out: string[] = [];
  const ends: number[] = [];
  const src = text.normalize('NFC');
  for (const m of src.matchAll(/[^\s,.;:!?()[\]{}"“”'‘’/\\|…–—-]+/gu)) {
    const w = squeeze(fold(m[0]));
    if (w === '') continue;
    for (const part of w.split(' ')) {
      out.push(part);
      ends.push(m.index + m[0].length);
    }
  }
  const accented = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i.test(src);
  return { text: src, words: out, ends, accented };
}

/** "okkkk" → "ok", "yesss" → "yes": letters repeated three times or more for emphasis. */
function squeeze(w: string): string {
  return w.replace(/(\p{L})\1{2,}/gu, '$1');
}

/** "okk" → "ok", "khongg" → "khong": a doubled letter dropped when that makes a known word. */
function undouble(ws: readonly string[], known: (w: string) => boolean): string[] {
  return ws.map((x) => (known(x) ? x : ((y) => (known(y) ? y : x))(x.replace(/(\p{L})\1/gu, '$1'))));
}

/** Particles, pronouns and courtesy words that carry no answer of their own. */
const FILLERS = new Set([
  'a', 'ah', 'ha', 'nhe', 'nha', 'nhen', 'ne', 'di', 'luon', 'roi', 'ban', 'ad', 'admin', 'oi', 'anh', 'chi', 'em', 'minh',
  'toi', 'tui', 'chau', 'con', 'please', 'pls', 'plz', 'thanks', 'thank', 'you', 'thx', 'it', 'do', 'vay', 'the', 'ma', 'nhi', 'nao',
  'la', 'day', 'ay', 'giup', 'ho', 'voi', 'oh', 'well', 'just', 'that', 's', 'is', 'this', 'one', 'bot', 'cam', 'on', 'camon', 'xin',
  'loi', 'sir', 'madam', 'hi', 'hello', 'chao', 'vang', 'ok', 'dau',
]);
/** Fillers that can never be an answer on their own (so "ok" alone is still "yes"). */
const PURE_FILLERS = new Set([...FILLERS].filter((w) => w !== 'ok' && w !== 'vang'));

function isFiller(w: string): boolean {
  return FILLERS.has(w);
}

/** The words that matter: fillers dropped. */
function core(ws: readonly string[]): string[] {
  return ws.filter((w) => !PURE_FILLERS.has(w));
}

/** Greedy longest-phrase cover: true when every word is part of one of `phrases` or a filler. */
function coveredBy(ws: readonly string[], phrases: ReadonlySet<string>, maxLen = 4): { covered: boolean; hits: number } {
  let i = 0;
  let hits = 0;
  outer: while (i < ws.length) {
    for (let n = Math.min(maxLen, ws.length - i); n >= 1; n--) {
      const p = ws.slice(i, i + n).join(' ');
      if (phrases.has(p)) {
        hits++;
        i += n;
        continue outer;
      }
    }
    if (isFiller(ws[i]!)) {
      i++;
      continue;
    }
    return { covered: false, hits };
  }
  return { covered: true, hits };
}

// ---------------------------------------------------------------------------------------------
// Yes / no

const YES = new Set([
  'co', 'u', 'uh', 'uhm', 'um', 'umm', 'uk', 'uki', 'uh huh', 'uhuh', 'ok', 'oke', 'okie', 'oki', 'okay', 'okey', 'oce', 'okela', 'ok la', 'o ke', 'dc', 'duoc',
  'vang', 'da', 'da vang', 'dung', 'dung vay', 'chuan', 'chuan roi', 'chinh xac', 'xac nhan', 'dong y', 'phai', 'co chu', 'tat nhien', 'gui', 'gui di',
  'gui luon', 'gui nhe', 'nop', 'yes', 'yep', 'yeah', 'yup', 'ya', 'yea', 'y', 'sure', 'send', 'submit', 'confirm', 'correct', 'right', 'go ahead',
  'of course', 'absolutely', 'exactly', 'alright', 'all right', 'fine', 'good', 'great', 'perfect', 'duoc roi', 'ngon', 'chot', 'chot don', 'xong',
  'do it', 'go', 'lets go', 'yes please', 'thats right', 'that right', 'sounds good', 'looks good', 'ok roi', 'hop ly',
]);
const NO = new Set([
  'khong', 'ko', 'k', 'kg', 'kh', 'khg', 'hong', 'hok', 'hem', 'hem phai', 'khum', 'chua', 'chua dung', 'sai', 'sai roi', 'no', 'nope', 'nah', 'not',
  'wrong', 'incorrect', 'khong dung', 'ko dung', 'k dung', 'khong phai', 'ko phai', 'k phai', 'hong phai', 'khong chinh xac', 'chua chinh xac',
  'khong duoc', 'ko duoc', 'chua duoc', 'not right', 'not correct', 'no thanks', 'no thank', 'not yet', 'negative', 'khong co', 'ko co',
  'chua phai', 'khong dong y', 'ko dong y', 'khong can', 'ko can', 'sai cho', 'sai vi tri', 'sai loai', 'khong chuan', 'ko chuan', 'not really',
]);

/**
 * "có", "ok gửi đi", "đúng rồi", "yes send it" → 'yes'; "không", "ko", "sai rồi", "nope" → 'no';
 * anything else (including a mix, or extra words that carry meaning) → null.
 */
export function yesNo(text: string): 'yes' | 'no' | null {
  const t = text.trim();
  const w = words(t);
  if (w.words.length === 0) {
    if (EMOJI_YES.test(t)) return 'yes';
    if (EMOJI_NO.test(t)) return 'no';
    return null;
  }
  if (w.words.length > 8) return null;
  // "dừng" is not "đúng": with diacritics, only the accented yes-words count as yes.
  if (w.accented && /(^|\s)dừng(\s|$)/u.test(t.toLowerCase())) return null;
  const ws = undouble(w.words, (x) => YES.has(x) || NO.has(x) || FILLERS.has(x));
  const no = coveredBy(ws, NO);
  if (no.covered && no.hits > 0) return 'no';
  const yes = coveredBy(ws, YES);
  if (yes.covered && yes.hits > 0) return 'yes';
  if (core(ws).length === 0 && ws.includes('ok')) return 'yes';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Global commands

export type Command =
  | { readonly kind: 'menu' }
  | { readonly kind: 'help' }
  | { readonly kind: 'restart' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'language'; readonly to: Locale | 'toggle' }
  | { readonly kind: 'human' }
  | { readonly kind: 'myReports' }
  | { readonly kind: 'ask' };

const MENU = new Set([
  'menu', 'menu chinh', 'main menu', 'mo menu', 'xem menu', 'hien menu', 'show menu', 'open menu', 'the menu', 'menu please', 'trang chu', 'home',
  'quay lai menu', 've menu', 'tro ve menu', 'quay ve menu', 'back to menu', 'back to the menu', 'go to menu', 'chuc nang', 'cac chuc nang',
  'options', 'show options', 'tro ly', 'quay lai tro ly', 'gap tro ly', 'tro ly tu dong', 'bat dau', 'start', 'get started', 'menu di', 'danh muc chinh',
]);
const HELP = new Set([
  'help', 'tro giup', 'huong dan', 'huong dan su dung', 'giup', 'giup do', 'can giup', 'can giup do', 'can tro giup', 'what can you do',
  'how does this work', 'how does it work', 'how to use', 'ban lam duoc gi', 'lam duoc gi', 'co the lam gi', 'ban giup duoc gi', 'dung the nao',
  'su dung the nao', 'lam sao de dung', 'i need help', 'need help', 'hd', 'sos help',
]);
const RESTART = new Set([
  'bat dau lai', 'bat dau lai tu dau', 'lam lai', 'lam lai tu dau', 'lam lai tu dau di', 'start over', 'start again', 'restart', 'reset', 'begin again',
  'lam moi', 'tu dau', 'again from the start', 'from the beginning', 'lai tu dau', 'gui lai tu dau',
]);
const RESUME = new Set(['tiep tuc', 'tiep', 'tiep di', 'lam tiep', 'tiep tuc phan anh', 'quay lai phan anh', 'continue', 'go on', 'resume', 'carry on', 'continue report']);
const CANCEL = new Set([
  'huy', 'huy bo', 'huy phan anh', 'huy bao cao', 'huy gui', 'huy het', 'huy di', 'thoi', 'thoi khoi', 'khoi', 'khoi gui', 'thoi khoi gui', 'thoi bo',
  'bo', 'bo di', 'thoi bo di', 'khong gui nua', 'khong gui', 'ko gui nua', 'k gui nua', 'ko gui', 'khong muon gui', 'khong muon gui nua',
  'khong can nua', 'ko can nua', 'thoi khong can', 'thoi ko can', 'khong phan anh nua', 'ko phan anh nua', 'thoi khong gui', 'thoi ko gui',
  'thoi khong gui nua', 'thoi ko gui nua', 'dung lai', 'ngung', 'ngung lai', 'cancel', 'cancel it', 'cancel report', 'cancel the report',
  'cancel this', 'cancel this report', 'stop', 'stop it', 'quit', 'exit', 'never mind', 'nevermind', 'forget it', 'abort', 'xoa', 'xoa phan anh',
  'xoa bao cao', 'thoi khong phan anh nua', 'khong muon phan anh nua', 'dont send', 'do not send', 'dont send it', 'i changed my mind',
  'changed my mind', 'doi y', 'toi doi y', 'thoi khong lam nua', 'khong lam nua', 'thoi huy', 'thoi huy di', 'huy giup', 'bo qua phan anh',
]);
const MY_REPORTS = new Set([
  'bao cao cua toi', 'phan anh cua toi', 'cac phan anh cua toi', 'my report', 'my reports', 'xem bao cao', 'xem phan anh cua toi',
  'danh sach phan anh', 'phan anh da gui', 'cac phan anh da gui', 'xem phan anh da gui', 'bao cao da gui', 'check my reports', 'show my reports',
  'see my reports', 'my cases', 'reports i sent', 'phan anh cua minh', 'bao cao cua minh', 'lich su phan anh', 'lich su bao cao',
]);
const ASK = new Set([
  'hoi thu tuc', 'hoi dap', 'dat cau hoi', 'toi muon hoi', 'muon hoi', 'cho hoi', 'hoi', 'ask', 'ask a question', 'i have a question', 'question',
  'cau hoi', 'hoi dap thu tuc', 'hoi ve thu tuc', 'thu tuc', 'thu tuc hanh chinh',
]);
/** Words that may surround a language request: verbs of switching, courtesy, "the language", negation. */
const LANGUAGE_FRAME = new Set([
  'doi', 'chuyen', 'sang', 'qua', 'thanh', 'dung', 'noi', 'bang', 'viet', 'tra', 'loi', 'please', 'in', 'to', 'switch', 'change', 'use', 'speak',
  'talk', 'can', 'you', 'do', 'we', 'i', 'want', 'would', 'like', 'prefer', 'language', 'ngon', 'ngu', 'tieng', 'english', 'vietnamese', 'anh',
  'en', 'vi', 'eng', 'muon', 'thich', 'hon', 'chat', 'reply', 'answer', 'me', 'let', 's', 'lets', 'version', 'ban', 'sorry', 'only', 'd', 'lai',
  'the', 'mode', 'duoc', 'co', 'ok', 'khong', 'ko', 'k', 'hieu', 'biet', 'don', 't', 'not', 'cannot', 'understand', 'read', 'doc',
]);
/** "I don't speak Vietnamese", "không hiểu tiếng Anh": the other language is wanted. */
const NEGATION = / (khong|ko|k|don t|dont|do not|cannot|can t|not) /;

/** True when a language word appears as a language ("tiếng Anh", "English"), not "anh" the pronoun. */
function languageOf(ws: readonly string[]): Locale | 'toggle' | null {
  const s = ` ${ws.join(' ')} `;
  const en = / (english|eng|tieng anh|t anh|in en|en please|sang en) /.test(s) || (ws.length === 1 && ws[0] === 'en');
  const vi = / (tieng viet|vietnamese|tieng viet nam|in vi|sang vi) /.test(s) || (ws.length === 1 && ws[0] === 'vi');
  if (en && vi) return / (sang|to|into|qua|thanh) (tieng )?(anh|english|en)/.test(s) ? 'en' : / (sang|to|into|qua|thanh) (tieng )?(viet|vietnamese|vi)/.test(s) ? 'vi' : 'toggle';
  if (en) return NEGATION.test(s) ? 'vi' : 'en';
  if (vi) return NEGATION.test(s) ? 'en' : 'vi';
  if (/ (ngon ngu|language|languages|doi tieng|chuyen tieng) /.test(s)) return 'toggle';
  return null;
}

const HUMAN_NOUN = /(^| )(can bo|nguoi that|nguoi that su|nguoi|nhan vien|tu van vien|chuyen vien|human|real person|a person|person|agent|operator|staff|someone|somebody|tong dai vien|admin that|ad that|live agent|nguoi tra loi)( |$)/;
const HUMAN_VERB = /(^| )(gap|noi chuyen|lien he|ket noi|chuyen|cho gap|muon gap|talk|speak|contact|connect|need|want|get|call|transfer|chat with|hoi)( |$)/;

/** A global command typed at any step ("menu", "hủy", "English please", "gặp cán bộ"…), or null. */
export function readCommand(text: string): Command | null {
  if (/^\s*\?+\s*$/.test(text)) return { kind: 'help' };
  const w = words(text);
  if (w.words.length === 0 || w.words.length > 9) return null;
  const all = w.words.join(' ');
  const c = core(w.words).join(' ');
  const lower = w.text.toLowerCase();
  // "dừng" (stop) and "đúng" (right) fold to the same letters; with diacritics they are told apart.
  if (w.accented && /(^|\s)dừng(\s|$)/u.test(lower) && w.words.length <= 4) return { kind: 'cancel' };
  for (const s of [all, c]) {
    if (CANCEL.has(s)) {
      if (s === 'dung lai' && w.accented && !/dừng/u.test(lower)) continue;
      return { kind: 'cancel' };
    }
  }
  if (/^(thoi|khong|ko|k)( |$)/.test(c) && / nua$/.test(c) && w.words.length <= 7 && !/ (sua|doi|them)( |$)/.test(c)) return { kind: 'cancel' };
  if (MENU.has(all) || MENU.has(c)) return { kind: 'menu' };
  if (HELP.has(all) || HELP.has(c)) return { kind: 'help' };
  if (RESTART.has(all) || RESTART.has(c)) return { kind: 'restart' };
  if (RESUME.has(all) || RESUME.has(c)) return { kind: 'resume' };
  if (MY_REPORTS.has(all) || MY_REPORTS.has(c)) return { kind: 'myReports' };
  if (ASK.has(all) || ASK.has(c)) return { kind: 'ask' };
  const lang = languageOf(w.words);
  if (lang && w.words.every((x) => LANGUAGE_FRAME.has(x) || isFiller(x))) return { kind: 'language', to: lang };
  if (w.words.length <= 8 && HUMAN_NOUN.test(c) && (HUMAN_VERB.test(c) || /^(can bo|nguoi that|nhan vien|human|agent|operator|real person|a person|person|staff|tu van vien)$/.test(c))) {
    // "cán bộ phường làm việc mấy giờ" is a question about staff, not a request for one.
    if (!/(may gio|bao gio|o dau|the nao|bao nhieu|when|where|what time|how)/.test(c)) return { kind: 'human' };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// "Tôi muốn phản ánh …"

const SUBJECTS = new Set(['toi', 'em', 'minh', 'chau', 'con', 'tui', 't', 'anh', 'chi', 'i', 'we', 'chung', 'ta']);
const MODALS = new Set(['muon', 'can', 'xin', 'dinh', 'se', 'phai', 'co', 'want', 'would', 'like', 'need', 'wanna', 'd', 'to', 'am', 'm', 'going', 'gonna', 'have', 'cho', 'lam', 'mot', 'a', 'an', 'gui', 'make', 'file', 'submit', 'tao', 'new', 'viet', 'nop', 'let', 'me']);
const VERBS: ReadonlyArray<readonly string[]> = [
  ['phan', 'anh'], ['bao', 'cao'], ['bao'], ['report'], ['to', 'cao'], ['khieu', 'nai'], ['trinh', 'bao'],
];
/** Words between the intent and the description ("về việc", "sự cố", "about a"), longest first. */
const CONNECTORS: readonly string[] = ['hien truong', 'su co', 'su viec', 'van de', 've viec', 've', 'viec', 'la', 'rang', 'vu', 'chuyen', 'mot', 'about', 'that', 'a', 'an', 'the', 'of'];
const GENERIC_REST = new Set(['su co', 'van de', 'mot van de', 'problem', 'a problem', 'issue', 'an issue', 'chuyen', 'viec', 'mot viec', 'mot su co', 'hien truong', 'phan anh', 'report', 'it', 'something', 'cai nay', 'ngay', 'luon', 'nhe', 'a', 'di']);
/** What is about the resident's own reports, not a new one ("phản ánh của tôi tới đâu rồi"). */
const STATUS_CUES = /(cua toi|cua minh|cua em|da gui|toi dau|sao roi|the nao roi|xu ly chua|ket qua|tinh trang|trang thai|status|my report|hom truoc|hom qua toi gui|bao gio xong)/;

/**
 * "tôi muốn phản ánh ổ gà trước số 5 Lê Lợi" → { rest: "ổ gà trước số 5 Lê Lợi" }; "tôi muốn phản
 * ánh" → { rest: null }; text that does not open with a report intent → null. `rest` is cut from
 * the original text (diacritics and capitals kept).
 */
export function reportIntent(text: string): { rest: string | null } | null {
  const w = words(text);
  const ws = w.words;
  if (ws.length === 0) return null;
  let i = 0;
  let framed = false;
  while (i < ws.length && i < 6 && (SUBJECTS.has(ws[i]!) || MODALS.has(ws[i]!) || ws[i] === 'oi' || ws[i] === 'ad' || ws[i] === 'ban')) {
    framed = true;
    i++;
  }
  let verbEnd = -1;
  for (const v of VERBS) {
    if (v.every((x, k) => ws[i + k] === x)) {
      verbEnd = i + v.length;
      break;
    }
  }
  if (verbEnd < 0) return null;
  // A bare "báo"/"report" deep in a sentence is not the intent; one at the start is.
  const verb = ws.slice(i, verbEnd).join(' ');
  let j = verbEnd;
  let connected = false;
  outer: while (j < ws.length) {
    for (const c of CONNECTORS) {
      const parts = c.split(' ');
      if (parts.every((x, k) => ws[j + k] === x)) {
        connected = true;
        j += parts.length;
        continue outer;
      }
    }
    break;
  }
  if (STATUS_CUES.test(ws.slice(verbEnd).join(' '))) return null;
  if (j >= ws.length) return { rest: null };
  const colon = /^[^:]{0,40}:/u.test(w.text);
  // "báo"/"report" deep in a sentence are ordinary words; at the start with a frame ("tôi muốn báo
  // …"), a connector or a colon they open a report. "phản ánh …" and "báo cáo …" open one anyway.
  if (!framed && !connected && !colon && verb !== 'phan anh' && verb !== 'bao cao') return null;
  const start = w.ends[j - 1]!;
  const rest = w.text.slice(start).replace(/^[\s:,.;!?\-–—]+/u, '').trim();
  if (rest === '' || GENERIC_REST.has(words(rest).words.join(' '))) return { rest: null };
  return { rest };
}

// ---------------------------------------------------------------------------------------------
// Edits of a report

export type DraftPart = 'description' | 'photos' | 'location' | 'category';
export interface EditRequest {
  readonly part: DraftPart;
  /** 'add' for "thêm ảnh" / "bổ sung mô tả"; 'replace' otherwise. */
  readonly mode: 'replace' | 'add';
  /** The new value typed with the request ("đổi địa chỉ thành 12 Lê Lợi" → "12 Lê Lợi"). */
  readonly rest: string | null;
}

const EDIT_VERBS: ReadonlyArray<readonly [string, 'replace' | 'add']> = [
  ['chinh sua', 'replace'], ['thay doi', 'replace'], ['sua lai', 'replace'], ['doi lai', 'replace'], ['viet lai', 'replace'], ['nhap lai', 'replace'],
  ['chon lai', 'replace'], ['gui lai', 'replace'], ['chup lai', 'replace'], ['cap nhat', 'replace'], ['sua', 'replace'], ['doi', 'replace'],
  ['chinh', 'replace'], ['thay', 'replace'], ['sai', 'replace'], ['edit', 'replace'], ['change', 'replace'], ['fix', 'replace'], ['update', 'replace'],
  ['correct', 'replace'], ['replace', 'replace'], ['modify', 'replace'], ['wrong', 'replace'], ['redo', 'replace'], ['new', 'replace'],
  ['gui them', 'add'], ['bo sung', 'add'], ['them', 'add'], ['add', 'add'], ['more', 'add'], ['another', 'add'], ['extra', 'add'], ['upload', 'add'],
];
const PART_WORDS: ReadonlyArray<readonly [string, DraftPart]> = [
  ['mo ta', 'description'], ['noi dung', 'description'], ['description', 'description'], ['text', 'description'], ['details', 'description'],
  ['thong tin', 'description'], ['mieu ta', 'description'],
  ['hinh anh', 'photos'], ['tam anh', 'photos'], ['buc anh', 'photos'], ['anh', 'photos'], ['hinh', 'photos'], ['photos', 'photos'], ['photo', 'photos'],
  ['pictures', 'photos'], ['picture', 'photos'], ['images', 'photos'], ['image', 'photos'], ['pics', 'photos'], ['pic', 'photos'], ['tam hinh', 'photos'],
  ['dia chi', 'location'], ['vi tri', 'location'], ['dia diem', 'location'], ['location', 'location'], ['address', 'location'],
  ['place', 'location'], ['pin', 'location'], ['toa do', 'location'], ['cho o', 'location'],
  ['loai su viec', 'category'], ['phan loai', 'category'], ['the loai', 'category'], ['danh muc', 'category'], ['loai', 'category'], ['category', 'category'],
  ['type', 'category'], ['kind', 'category'], ['linh vuc', 'category'],
];
const EDIT_LEAD = new Set(['toi', 'em', 'minh', 'muon', 'can', 'cho', 'xin', 'i', 'want', 'to', 'would', 'like', 'd', 'please', 'let', 'me', 'can', 'lai', 'oi', 'ad', 'ban', 'giup', 'the', 'my', 'a', 'de', 'hay']);
const EDIT_JOIN = new Set(['the', 'my', 'a', 'an', 'cai', 'phan', 'lai', 'moi', 'nua', 'them', 'cua', 'toi', 'giup', 'di', 'nhe', 'bao', 'cao', 'more', 'some', 'another', 'new', 'few', 'vai', 'mot', 'may']);
const EDIT_TAIL = new Set(['thanh', 'la', 'to', 'into', 'as', 'is', 'sang', 'qua', 'lai', 'moi', 'nay', 'di', 'nhe', 'giup', 'cho', 'toi', 'dung']);
/** Only before a new address: "đổi địa chỉ ở 12 Lê Lợi" (elsewhere "ở" may be "ổ" of "ổ gà"). */
const EDIT_TAIL_PLACE = new Set(['o', 'tai', 'at', 'den']);

function phraseAt(ws: readonly string[], i: number, list: ReadonlyArray<readonly [string, string]>): { len: number; value: string } | null {
  for (const [p, v] of list) {
    const parts = p.split(' ');
    if (parts.every((x, k) => ws[i + k] === x)) return { len: parts.length, value: v };
  }
  return null;
}

function partDraftOf(p: { value: string }): DraftPart {
  return p.value as DraftPart;
}

/** "sửa mô tả", "đổi địa chỉ thành 12 Lê Lợi", "thêm ảnh", "wrong category" → what to change; or null. */
export function readEdit(text: string): EditRequest | null {
  const w = words(text);
  const ws = w.words;
  let i = 0;
  while (i < ws.length && i < 5 && EDIT_LEAD.has(ws[i]!) && !phraseAt(ws, i, EDIT_VERBS)) i++;
  const verb = phraseAt(ws, i, EDIT_VERBS);
  let part: { len: number; value: string } | null = null;
  let j = i;
  let mode: 'replace' | 'add' = 'replace';
  if (verb) {
    j = i + verb.len;
    mode = verb.value as 'replace' | 'add';
    let skipped = 0;
    while (j < ws.length && skipped < 3 && !phraseAt(ws, j, PART_WORDS) && EDIT_JOIN.has(ws[j]!)) {
      j++;
      skipped++;
    }
    part = phraseAt(ws, j, PART_WORDS);
    // "chụp lại", "gửi lại" without a part still mean the photos.
    if (!part && ['chup lai'].includes(ws.slice(i, i + verb.len).join(' '))) part = { len: 0, value: 'photos' };
  } else {
    // "mô tả lại", "ảnh khác", "địa chỉ sai rồi": the part first, then a word of change.
    const p = phraseAt(ws, i, PART_WORDS);
    const after = p ? ws.slice(i + p.len, i + p.len + 2).join(' ') : '';
    if (p && /^(lai|sai|moi|wrong|again|khong dung|chua dung)( |$)/.test(after) && ws.length - i - p.len <= 3) {
      part = p;
      j = i;
      mode = 'replace';
    }
  }
  if (!part) return null;
  // "đổi" + "đường" is often an address, keep it only when a verb introduced it.
  if (part.value === 'location' && ws[j] === 'duong' && !verb) return null;
  const partDraft = partDraftOf(part);
  let k = j + part.len;
  if (verb === null) k = ws.length;
  let rest: string;
  const afterPart = k > 0 && k <= ws.length ? w.text.slice(w.ends[k - 1]) : '';
  if (verb !== null && /^\s*[:=]/u.test(afterPart)) {
    // "sửa mô tả: …": everything after the colon, as typed.
    rest = afterPart.replace(/^\s*[:=]\s*/u, '').replace(/^["“]|["”]$/gu, '').trim();
  } else {
    while (k < ws.length && (EDIT_TAIL.has(ws[k]!) || (partDraft === 'location' && EDIT_TAIL_PLACE.has(ws[k]!)) || (ws[k] === 'su' && ws[k + 1] === 'viec'))) k += ws[k] === 'su' ? 2 : 1;
    rest = k < ws.length ? w.text.slice(w.ends[k - 1] ?? 0).replace(/^[\s:,.;!?\-–—"“]+/u, '').replace(/["”]+$/u, '').trim() : '';
  }
  if (partDraft === 'photos' && rest !== '' && words(rest).words.every((x) => isFiller(x) || EDIT_TAIL.has(x) || x === 'nua' || x === 'khac')) return { part: partDraft, mode, rest: null };
  return { part: partDraft, mode: partDraft === 'photos' || partDraft === 'description' ? mode : 'replace', rest: rest === '' ? null : rest };
}

// ---------------------------------------------------------------------------------------------
// Numbers, titles and categories

const ORDINALS: Readonly<Record<string, number>> = {
  mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10,
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, 'dau tien': 1, 'thu nhat': 1, 'thu hai': 2, 'thu ba': 3, 'thu tu': 4, 'thu nam': 5,
};

/** "2", "số 2", "chọn 2 nhé", "#2", "thứ hai", "second" → 2; anything else → null. */
export function numberAnswer(text: string): number | null {
  const raw = text.trim();
  const m = raw.match(/^(?:số|so|chọn|chon|option|number|no\.?|lựa chọn|lua chon|#)?\s*(\d{1,2})\s*[.)]?\s*(?:nhé|nhe|nha|ạ|a|đi|di|please)?\s*$/iu);
  if (m) return Number(m[1]);
  const ws = core(words(raw).words.filter((x) => !['so', 'chon', 'cai', 'option', 'the', 'lua', 'number', 'muc', 'phuong', 'an'].includes(x)));
  const s = ws.join(' ');
  return ORDINALS[s] ?? null;
}

/** A title as a resident would type it: no emoji or arrows, folded. */
export function plainTitle(title: string): string {
  return fold(title.replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}|[▸◂▶◀►◄→←]/gu, ' '));
}

/** Edit distance (Levenshtein) between two short strings. */
export function distance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Close enough for a typo: one edit in short words, two in longer phrases, three in long ones. */
export function closeEnough(typed: string, target: string): boolean {
  if (typed === target) return true;
  const n = Math.max(typed.length, target.length);
  if (Math.min(typed.length, target.length) < 4) return false;
  const allowed = n <= 6 ? 1 : n <= 14 ? 2 : 3;
  return distance(typed, target) <= allowed;
}

/** Words of a title that say something (not "và", "công cộng"…). */
const TITLE_STOP = new Set(['va', 'cac', 'cua', 'cho', 'and', 'of', 'the', 'a', 'on', 'cong', 'cong cong', 'public', 've', 'khac', 'loai', 'other', 'more', 'them', 'xem', 'quay', 'lai', 'back', 'khong', 'khi']);

function meaningful(ws: readonly string[]): string[] {
  return ws.filter((x) => !TITLE_STOP.has(x) && !isFiller(x));
}

/** Extra ways residents name an option, by payload (typed answers for tapped buttons). */
const PAYLOAD_ALIASES: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^REPORT_CONFIRM$/, ['gui', 'gui phan anh', 'gui di', 'gui luon', 'xac nhan', 'nop', 'send', 'send it', 'submit', 'confirm', 'send report', 'gui bao cao', 'chot']],
  [/^REPORT_EDIT$/, ['sua', 'sua lai', 'chinh sua', 'chinh lai', 'thay doi', 'edit', 'change', 'change it', 'modify', 'sua doi', 'doi', 'sua phan anh']],
  [/^REPORT_CANCEL$/, ['huy', 'huy bo', 'huy phan anh', 'cancel']],
  [/^REPORT_REVIEW$/, ['quay lai', 'tro lai', 'back', 'go back', 'khong sua', 'khong sua nua', 'thoi khong sua', 'giu nguyen', 'xem lai', 'review', 'khong can sua', 'keep it']],
  [/^REPORT_START$/, ['phan anh', 'gui phan anh', 'bao su co', 'tiep tuc', 'tiep tuc phan anh', 'continue', 'report', 'report a problem', 'new report']],
  [/^LOCATION_CONFIRM$/, ['dung vi tri', 'dung cho', 'dung dia chi', 'chinh xac', 'dung cho do', 'that s right', 'that is right', 'correct place', 'right place']],
  [/^LOCATION_RETRY$/, ['nhap lai', 'chon lai', 'thu lai', 'sai vi tri', 'sai cho', 'sai dia chi', 'try again', 'wrong place', 'other place', 'cho khac', 'dia chi khac']],
  [/^FAQ_MORE:/, ['chi tiet', 'xem chi tiet', 'xem them', 'them', 'more', 'details', 'tell me more', 'more details', 'noi ro hon', 'cu the hon']],
  [/^PAGE:/, ['them', 'xem them', 'loai khac', 'cac loai khac', 'khac', 'more', 'other', 'others', 'other types', 'other categories', 'next', 'tiep', 'trang sau', 'con nua', 'con gi nua', 'cac lua chon khac']],
  [/^PUBLISH_OK$/, ['dong y cong khai', 'cong khai', 'cho cong khai', 'duoc cong khai', 'cho phep', 'dong y dang', 'dang di', 'publish', 'publish it', 'ok to publish', 'you can publish', 'make it public', 'public']],
  [/^PUBLISH_NO$/, ['khong cong khai', 'dung cong khai', 'khong dang', 'dung dang', 'rieng tu', 'giu rieng', 'an danh', 'private', 'keep it private', 'keep private', 'dont publish', 'do not publish', 'don t publish', 'not public']],
  [/^PHONE_CONSENT$/, ['chia se', 'chia se so', 'dong y chia se', 'share', 'share number', 'share my number']],
  [/^PHONE_DECLINE$/, ['khong chia se', 'thoi khoi', 'khong can', 'no thanks', 'khong cam on']],
  [/^EDIT:description$/, ['mo ta', 'noi dung', 'description', 'text', 'mieu ta', 'sua mo ta', 'doi mo ta']],
  [/^EDIT:photos$/, ['anh', 'hinh', 'hinh anh', 'photo', 'photos', 'picture', 'pictures', 'sua anh', 'doi anh']],
  [/^EDIT:location$/, ['vi tri', 'dia chi', 'dia diem', 'cho', 'location', 'address', 'place', 'sua dia chi', 'doi dia chi']],
  [/^EDIT:category$/, ['loai', 'loai su viec', 'danh muc', 'phan loai', 'category', 'type', 'sua loai', 'doi loai']],
  // "Is it really fixed?" after a resolution (dialogs/verdict): "rồi, sửa xong rồi", "vẫn còn".
  [/^RESOLVED_CONFIRM:/, ['roi', 'sua xong', 'sua xong roi', 'da sua', 'da sua xong', 'da sua roi', 'da khac phuc', 'khac phuc roi', 'da khac phuc roi', 'xong', 'xong roi',
    'da xong', 'het roi', 'on roi', 'tot roi', 'duoc roi', 'da duoc sua', 'fixed', 'its fixed', 'it s fixed', 'yes fixed', 'yes its fixed', 'all fixed', 'done', 'resolved', 'all good']],
  [/^RESOLVED_REJECT:/, ['van', 'van con', 'van con nguyen', 'van nguyen', 'con nguyen', 'van the', 'van chua', 'chua van', 'chua van con', 'chua sua', 'chua xong', 'chua khac phuc',
    'chua duoc sua', 'chua ai sua', 'not fixed', 'not yet fixed', 'not fixed yet', 'still there', 'still broken', 'still', 'its still there', 'it s still there', 'nothing changed']],
  [/^RATING:.+:1$/, ['1 sao', 'mot sao', 'rat te', 'qua te', 'rat khong hai long', 'one star', '1 star', 'very poor', 'terrible']],
  [/^RATING:.+:2$/, ['2 sao', 'hai sao', 'chua tot', 'khong hai long', 'two stars', '2 stars', 'poor']],
  [/^RATING:.+:3$/, ['3 sao', 'ba sao', 'tam duoc', 'binh thuong', 'three stars', '3 stars', 'average']],
  [/^RATING:.+:4$/, ['4 sao', 'bon sao', 'tot', 'hai long', 'four stars', '4 stars', 'good']],
  [/^RATING:.+:5$/, ['5 sao', 'nam sao', 'rat tot', 'rat hai long', 'tuyet voi', 'xuat sac', 'five stars', '5 stars', 'excellent', 'very good', 'great']],
];

export interface CategoryNames {
  readonly slug: string;
  readonly title: { readonly vi: string; readonly en: string };
  readonly label?: { readonly vi: string; readonly en: string };
}

/** Everyday names of the usual categories, beyond their titles (folded). Unknown slugs have none. */
const CATEGORY_WORDS: Readonly<Record<string, readonly string[]>> = {
  'road-damage': ['o ga', 'o voi', 'duong hu', 'duong xau', 'duong hong', 'via he', 'ho ga', 'nap cong', 'mat duong', 'pothole', 'potholes', 'road', 'roads', 'pavement', 'sidewalk', 'cau hu', 'sut lun'],
  'street-lights': ['den', 'den duong', 'bong den', 'den tat', 'cot den', 'den hong', 'chieu sang', 'light', 'lights', 'street light', 'street lights', 'streetlight', 'lamp'],
  'drainage-flooding': ['ngap', 'ngap nuoc', 'ngap ung', 'cong thoat nuoc', 'thoat nuoc', 'tac cong', 'flood', 'flooding', 'drain', 'drains', 'drainage', 'sewer'],
  waste: ['rac', 'rac thai', 'do rac', 've sinh moi truong', 'trash', 'garbage', 'rubbish', 'waste', 'litter'],
  pollution: ['o nhiem', 'khoi', 'bui', 'mui', 'mui hoi', 'nuoc thai', 'smoke', 'smell', 'dust', 'pollution', 'odour', 'odor'],
  trees: ['cay', 'cay xanh', 'cay do', 'cay nga', 'nhanh cay', 'tree', 'trees', 'fallen tree', 'branch'],
  encroachment: ['lan chiem', 'lan chiem via he', 'chiem via he', 'chiem duong', 'buon ban via he', 'hang rong', 'encroachment', 'stalls', 'street vendors'],
  construction: ['xay dung', 'xay nha', 'cong trinh', 'xay trai phep', 'xay khong phep', 'construction', 'building', 'building order'],
  'traffic-safety': ['giao thong', 'an toan giao thong', 'den giao thong', 'den do', 'bien bao', 'traffic', 'traffic light', 'traffic safety', 'road sign'],
  noise: ['on ao', 'tieng on', 'karaoke', 'loa', 'noise', 'noisy', 'loud'],
  'public-order': ['an ninh', 'trat tu', 'an ninh trat tu', 'danh nhau', 'co bac', 'public order', 'security', 'order'],
  tourism: ['du lich', 'khach du lich', 'chat chem', 'tourism', 'tourist', 'tourists'],
  'food-safety': ['thuc pham', 'an toan thuc pham', 've sinh thuc pham', 'do an', 'food', 'food safety'],
  other: ['khac', 'other', 'loai khac', 'cai khac', 'something else', 'none of these', 'khong co loai nao'],
};

/**
 * The category a resident named: its title or label (typos tolerated), an everyday name ("đèn
 * đường", "ổ gà", "rác"), or a keyword of a short description. Only among `offered`. Null when
 * nothing or more than one category fits.
 */
export function findCategory(text: string, offered: readonly CategoryNames[]): string | null {
  const w = words(text);
  if (w.words.length === 0 || w.words.length > 12) return null;
  const typed = core(w.words).join(' ') || w.words.join(' ');
  const slugs = new Set(offered.map((c) => c.slug));
  const names = (c: CategoryNames) => [c.title.vi, c.title.en, c.label?.vi, c.label?.en, c.slug.replace(/-/g, ' ')].filter((x): x is string => !!x).map(plainTitle);
  // 1. The name itself, or a typo of it.
  const exact = offered.filter((c) => names(c).includes(typed) || (CATEGORY_WORDS[c.slug] ?? []).includes(typed));
  if (exact.length === 1) return exact[0]!.slug;
  const typo = typed.length < 5 ? [] : offered.filter((c) => names(c).some((n) => closeEnough(typed, n)) || (CATEGORY_WORDS[c.slug] ?? []).some((n) => n.length >= 6 && closeEnough(typed, n)));
  if (typo.length === 1) return typo[0]!.slug;
  // 2. Everyday words anywhere in a short answer; the longest phrase wins ("đèn giao thông" over "đèn").
  const padded = ` ${w.words.join(' ')} `;
  let best: { slug: string; len: number } | null = null;
  let tie = false;
  for (const c of offered) {
    for (const p of [...(CATEGORY_WORDS[c.slug] ?? []), ...names(c)]) {
      if (p.length < 2 || !padded.includes(` ${p} `)) continue;
      if (!best || p.length > best.len) {
        best = { slug: c.slug, len: p.length };
        tie = false;
      } else if (p.length === best.len && best.slug !== c.slug) tie = true;
    }
  }
  if (best && !tie) return best.slug;
  // 3. Keywords of the report vocabulary ("đèn đường tắt", "xe đậu chiếm vỉa hè").
  const kw = keywordCategorySuggester.suggestCategory(text);
  if (kw.score > 0 && slugs.has(kw.category)) return kw.category;
  // 4. Words of the titles ("chiếu sáng" → "Đèn chiếu sáng"), unique best only.
  const typedWords = meaningful(w.words);
  if (typedWords.length === 0 || typedWords.length > 4) return null;
  const scored = offered
    .map((c) => {
      const titleWords = new Set(names(c).flatMap((n) => meaningful(n.split(' '))));
      const hits = typedWords.filter((x) => [...titleWords].some((tw) => tw === x || (x.length >= 4 && closeEnough(x, tw)))).length;
      return { slug: c.slug, hits };
    })
    .filter((s) => s.hits === typedWords.length)
    .sort((a, b) => b.hits - a.hits);
  return scored.length === 1 ? scored[0]!.slug : null;
}

/**
 * The option a typed text names among `choices`: the title (without emoji), an alias of its
 * payload ("gửi" for REPORT_CONFIRM), a typo of either, or the title's distinctive words. Null
 * when nothing or more than one option fits.
 */
export function matchChoice(text: string, choices: readonly Choice[]): Choice | null {
  const w = words(text);
  if (w.words.length === 0 || w.words.length > 8) return null;
  const typed = w.words.join(' ');
  const typedCore = core(w.words).join(' ') || typed;
  const forms = (c: Choice): string[] => {
    const own = plainTitle(c.title);
    const aliases = PAYLOAD_ALIASES.filter(([re]) => re.test(c.payload)).flatMap(([, a]) => a);
    return [own, ...aliases].filter((x) => x !== '');
  };
  const pick = (pred: (c: Choice) => boolean): Choice | null | 'tie' => {
    const hits = choices.filter(pred);
    const unique = [...new Map(hits.map((h) => [h.payload, h])).values()];
    return unique.length === 1 ? unique[0]! : unique.length > 1 ? 'tie' : null;
  };
  for (const pred of [
    (c: Choice) => forms(c).some((f) => f === typed || f === typedCore),
    (c: Choice) => forms(c).some((f) => closeEnough(typedCore, f)),
  ]) {
    const hit = pick(pred);
    if (hit === 'tie') return null;
    if (hit) return hit;
  }
  // The title's distinctive words typed, or the whole title inside a short answer.
  const typedWords = meaningful(w.words);
  if (typedWords.length === 0 || typedWords.length > 4) return null;
  const hit = pick((c) => {
    const tw = meaningful(plainTitle(c.title).split(' ').filter(Boolean));
    if (tw.length === 0) return false;
    const covers = typedWords.every((x) => tw.some((y) => y === x || (x.length >= 4 && closeEnough(x, y))));
    const contains = tw.every((y) => typedWords.some((x) => x === y || (y.length >= 4 && closeEnough(x, y))));
    return covers || contains;
  });
  return hit === 'tie' ? null : hit;
}

/** A typed text that ends with a question ("…không?", "…ở đâu", "how …?"). */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  if (/\?\s*$/u.test(t)) return true;
  const f = ` ${words(t).words.join(' ')} `;
  return / (khong|ko|chua|gi|sao|nao|dau|bao lau|bao nhieu|may gio|the nao|lam sao|o dau|bao gio|how|what|where|when|why|which|who|can i|do i|is it|are there) $/.test(f)
    || /^ (how|what|where|when|why|which|who|can i|do i|is there|are there|lam sao|tai sao|vi sao|o dau|khi nao|bao gio|cho (toi|em|minh) hoi|hoi) /.test(f);
}

/**
 * Categories whose everyday names appear in `text` (a description), the most specific first: used
 * to put the likely categories on the first screen.
 */
export function categoryHints(text: string, offered: readonly CategoryNames[]): string[] {
  // Longest phrases first, each taking its words out of the text ("đèn giao thông" leaves no "đèn").
  let rest = ` ${words(text).words.join(' ')} `;
  const phrases = offered.flatMap((c) => (CATEGORY_WORDS[c.slug] ?? []).filter((p) => p.length >= 3).map((p) => ({ slug: c.slug, p }))).sort((a, b) => b.p.length - a.p.length);
  const hits: Array<{ slug: string; len: number }> = [];
  for (const { slug, p } of phrases) {
    if (!rest.includes(` ${p} `)) continue;
    rest = rest.split(` ${p} `).join(' | ');
    if (!hits.some((h) => h.slug === slug)) hits.push({ slug, len: p.length });
  }
  const kw = keywordCategorySuggester.suggestCategory(text);
  if (kw.score > 0 && !hits.some((h) => h.slug === kw.category) && offered.some((c) => c.slug === kw.category)) hits.push({ slug: kw.category, len: 1 });
  return hits.sort((a, b) => b.len - a.len).map((h) => h.slug);
}

/**
 * Coordinates typed or pasted ("16.4665, 107.5905", a map link with "?q=16.46,107.59" or
 * "@16.46,107.59,17z"); null when there are none or they are not valid.
 */
export function typedCoordinates(text: string): { lat: number; lng: number } | null {
  const pair = /(-?\d{1,2}\.\d{2,})\s*[,;]?\s*(-?\d{1,3}\.\d{2,})/;
  // Only the coordinates alone, or inside a map link: "cao 1.50, rộng 2.30" is a description.
  const alone = text.trim().match(new RegExp(`^\\(?${pair.source}\\)?$`));
  const link = /(maps\.google|google\.[a-z.]+\/maps|goo\.gl\/maps|maps\.app\.goo\.gl|openstreetmap\.org|geo:)/i.test(text) ? text.match(pair) : null;
  const m = alone ?? link;
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
}
