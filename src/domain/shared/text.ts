/** Text folding shared by every part that compares what residents type with fixed words. */

/**
 * Lower case with Vietnamese diacritics removed (đ → d), punctuation turned into spaces and runs
 * of white space collapsed: "Hủy bỏ!" → "huy bo".
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
