/**
 * The one text splitter of every channel. Messenger (2,000 characters) and Zalo (2,000) both cap a
 * message's text; we measure in UTF-16 code units (JavaScript `length`), which is never less than
 * the number of characters, after NFC normalisation (decomposed Vietnamese would otherwise count its
 * accents twice), so a part is within both platforms' limits whichever way they count.
 */

/** Cuts at a paragraph, line or sentence break only if it keeps at least this share of a chunk. */
const MIN_FILL = 0.5;

/** NFC-normalises and trims. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').trim();
}

/**
 * Splits `text` into messages of at most `max` code units, preferring (in order) paragraph breaks,
 * line breaks, sentence ends and spaces in the second half of each chunk; only a text without any
 * space is cut mid-word (never inside a surrogate pair). Returns [] for blank text.
 */
export function splitText(text: string, max: number): string[] {
  if (!(max >= 2)) throw new Error(`max must be at least 2, got ${max}`);
  let rest = normalizeText(text);
  const parts: string[] = [];
  while (rest.length > max) {
    const cut = findCut(rest, max);
    const head = rest.slice(0, cut).trimEnd();
    if (head.length > 0) parts.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Index to cut at: the chunk is `s.slice(0, cut)`, with `0 < cut <= max`. */
function findCut(s: string, max: number): number {
  const window = s.slice(0, max + 1); // one extra char: a break right after the limit still counts
  const min = Math.floor(max * MIN_FILL);
  const preferred = [/\n[ \t]*\n/g, /\n/g, /[.!?…;:]["'”’)\]]*(?=\s)/g];
  for (const re of preferred) {
    const at = lastBreak(window, re, max, re === preferred[2]);
    if (at >= min) return at;
  }
  const space = lastBreak(window, /\s/g, max);
  if (space > 0) return space;
  // One unbroken run (a URL, a long number): cut hard, but never between surrogate halves.
  const code = s.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/**
 * Position of the last match not beyond `limit`: the match's start, or its end when `after`
 * (sentence marks stay with their sentence). -1 when none.
 */
function lastBreak(w: string, re: RegExp, limit: number, after = false): number {
  let at = -1;
  for (const m of w.matchAll(re)) {
    const pos = after ? m.index + m[0].length : m.index;
    if (pos <= limit) at = pos;
  }
  return at;
}

/** Shortens a button title to `max` characters (code points) with an ellipsis. */
export function shorten(title: string, max: number): string {
  const chars = [...title];
  return chars.length <= max ? title : `${chars.slice(0, max - 1).join('')}…`;
}
