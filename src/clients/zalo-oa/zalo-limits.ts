/**
 * Zalo OA limits (reference §3.3 and §6), in one place: the client enforces them, the channel
 * renders within them.
 */
export const ZALO_LIMITS = {
  /** Characters of a consultation text (measured in UTF-16 code units, see splitText). */
  text: 2000,
  /** Elements of a list template. */
  listElements: 5,
  /** Buttons of a list template. */
  listButtons: 5,
  /** Characters of a list element's title. */
  elementTitle: 100,
  /** Characters of a button title. */
  buttonTitle: 35,
  /** Bytes of an uploaded image. */
  imageBytes: 1_000_000,
} as const;
