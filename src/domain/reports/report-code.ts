import crypto from 'node:crypto';

/** Unambiguous alphabet: no 0/O, no 1/I (and no lower case) so codes survive being read aloud or retyped. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const CODE_PATTERN = /\bPA-([2-9A-HJ-NP-Z]{6,10})\b/;

/** A new random report code: `PA-` followed by `length` characters from {@link CODE_ALPHABET}. */
export function newReportCode(length = 7): string {
  const bytes = crypto.randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
  return `PA-${out}`;
}

/** Finds a report code in free text, tolerating lower case and a missing or spaced dash ("pa 7k3m9q2"). */
export function findReportCode(text: string): string | null {
  const m = text.toUpperCase().match(/\bPA[\s-]?([2-9A-HJ-NP-Z]{6,10})\b/);
  return m ? `PA-${m[1]}` : null;
}
