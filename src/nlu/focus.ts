/**
 * The question inside a long message.
 *
 * Residents often tell a story first and ask at the end, or in the middle: "Bố tôi 62 tuổi, mới mổ
 * chân xong, cái thẻ căn cước bị hư chip… Cho tôi hỏi có cách nào làm lại tại nhà không?". The story
 * is full of words that belong to other topics (the hospital, the bank, the family), and a bag of
 * words over the whole message drifts towards them. So a long message is split into sentences (. ? !
 * ; and line breaks) and clauses (commas, dashes, colons, and before "cho hỏi", "xin hỏi", "vậy thì",
 * "bây giờ", "giờ thì"), the clauses that
 * ask something are found by their cues ("cho hỏi", "thì sao", "ở đâu", "bao nhiêu", "có được
 * không", "how", "where", "?"), and each is widened backwards within its sentence until it carries
 * enough words to stand alone ("giờ em muốn làm lại thẻ căn cước thì | có phải về quê không"). The
 * classifier scores that focus as well as the whole message and mixes the two (see classifier.ts).
 *
 * Pure and cheap: a few regular expressions over the message, run only on long messages.
 */
import { normalise, type Normalised } from './normalise';

/** Messages shorter than this (in tokens after normalisation) are classified as a whole only. */
export const FOCUS_MIN_TOKENS = 16;
/** A focus clause is widened with the clauses before it (same sentence) up to about this many tokens. */
const FOCUS_WINDOW = 12;
/** A focus that keeps most of the message adds nothing. */
const FOCUS_MAX_SHARE = 0.8;

// Cues run on the folded text of one clause (after teencode expansion: "ntn" → "nhu the nao").
const QUESTION_CUES = new RegExp(
  [
    // Asking: "cho em hỏi", "xin hỏi", "muốn hỏi", "hỏi chút", "ad ơi cho hỏi".
    '\\b(cho|xin|muon|can|dinh) (\\w+ )?hoi\\b',
    '\\bhoi (chut|xiu|thu|giup|ve|la|gium)\\b',
    // Question words and endings.
    '\\b(o dau|dau a|di dau|cho nao|noi nao|bao nhieu|bao lau|bao gio|khi nao|luc nao|hom nao|may (gio|ngay|thang|tuan|nam|tieng|lan|buoc))\\b',
    '\\b(the nao|nhu the nao|ra sao|lam sao|lam the nao|lam gi|can gi|gi khong|kieu gi|cach nao|thu tuc|ho so gom|giay to gi|nhung gi)\\b',
    '\\b(thi sao|sao vay|tai sao|vi sao|duoc khong|duoc ko|co duoc|duoc chua|dc khong|hay khong|phai khong|co phai|co can|can phai|co mat|mat phi|ton phi|het bao)\\b',
    '\\b(khong|chua|nao|gi|sao|dau|nhi|ha)$',
    // English.
    '\\b(how|what|where|when|which|who|why|can i|could i|do i|does|did i|is there|are there|should i|must i|do we|can we|should we|is it|am i|will i)\\b',
  ].join('|'),
);

export interface Focus {
  /** The question part, as text (clauses joined with ", "). */
  readonly text: string;
  readonly norm: Normalised;
}

interface Clause {
  readonly raw: string;
  readonly norm: Normalised;
  readonly question: boolean;
}

/** Splits a sentence into clauses at commas, dashes, colons and before discourse markers that open a question. */
function clausesOf(sentence: string): string[] {
  return sentence
    .split(/\s*[,:]\s*|\s+[-–—]\s+|\s+(?=(?:cho (?:em |tôi |toi |mình |minh |tui |cháu |chau |con |anh |chị |chi |t |e |mk |mik )?hỏi|cho (?:em |tôi |toi |mình |minh |tui |cháu |chau |con |anh |chị |chi |t |e |mk |mik )?hoi|xin hỏi|xin hoi|vậy thì|vay thi|bây giờ|bay gio|giờ thì|gio thi)\b)/iu)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/**
 * The question part of a long message, or null when the message is short, asks nothing, or is all
 * question. `whole` is the normalised message (to count its tokens without normalising twice).
 */
export function questionFocus(text: string, whole: Normalised): Focus | null {
  if (whole.tokens.length < FOCUS_MIN_TOKENS) return null;
  const sentences = text
    .normalize('NFC')
    .split(/(?<=[.!?？…;])\s*|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const picked: string[] = [];
  let pickedTokens = 0;
  for (const sentence of sentences) {
    const hasMark = /[?？]/.test(sentence);
    const clauses: Clause[] = clausesOf(sentence).map((raw) => {
      const norm = normalise(raw);
      return { raw, norm, question: QUESTION_CUES.test(norm.folded) };
    });
    // "…, có mất phí không?" — a question mark marks the last clause even without another cue.
    const last = clauses[clauses.length - 1];
    if (hasMark && last && !clauses.some((c) => c.question)) clauses[clauses.length - 1] = { ...last, question: true };
    const keep = new Set<number>();
    clauses.forEach((c, i) => {
      if (!c.question) return;
      keep.add(i);
      let size = c.norm.tokens.length;
      for (let j = i - 1; j >= 0 && size < FOCUS_WINDOW; j -= 1) {
        keep.add(j);
        size += clauses[j]?.norm.tokens.length ?? 0;
      }
    });
    for (const i of [...keep].sort((a, b) => a - b)) {
      const c = clauses[i];
      if (!c) continue;
      picked.push(c.raw);
      pickedTokens += c.norm.tokens.length;
    }
  }
  if (picked.length === 0 || pickedTokens >= FOCUS_MAX_SHARE * whole.tokens.length) return null;
  const focusText = picked.join(', ');
  return { text: focusText, norm: normalise(focusText) };
}
