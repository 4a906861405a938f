/**
 * Conversation state kept in the Bottender session. Parsed on every read: if it is stale or
 * invalid, it resets to the initial state. Every field has a default, so sessions written by an
 * older version still parse.
 */
import { z } from 'zod';

export const ChoiceSchema = z.object({ title: z.string(), payload: z.string() });

/**
 * The question the bot asked last with choices (a "choice point"): all its choices (every page),
 * the page shown, and how typed answers map to them.
 */
export const MenuSchema = z.object({
  text: z.string(),
  choices: z.array(ChoiceSchema),
  page: z.number().int().min(0),
  /** Payload a typed "yes" ("có", "ok", "gửi đi") stands for at this point. */
  yes: z.string().nullable().default(null),
  /** Payload a typed "no" ("không", "sai", "chưa") stands for at this point. */
  no: z.string().nullable().default(null),
  /** Title of the button that shows the rest of a long list ("Loại khác ▸"). */
  moreTitle: z.string().nullable().default(null),
  /** Text sent with the rest of a long list ("Các loại khác:"). */
  moreText: z.string().nullable().default(null),
  /** A short re-ask that says which answers work, for text that fits none. */
  hint: z.string().nullable().default(null),
});
export type Menu = z.infer<typeof MenuSchema>;

export const ConversationStateSchema = z.object({
  /** The choices offered last (all pages), so "More", Zalo digit answers and typed answers work. */
  menu: MenuSchema.nullable().default(null),
  /** Set once the resident got the welcome message. */
  welcomed: z.boolean().default(false),
  /** Conversation handed to a person (no bot replies until they come back via the menu). */
  handedOver: z.boolean().default(false),
  /** The resident picked a language themselves (then every reply follows it). */
  languageChosen: z.boolean().default(false),
  /** Answers in a row that fitted nothing at the current question (the second one offers a person). */
  misses: z.number().int().min(0).default(0),
  /**
   * The report step asked at the end of the last photo turn. Photos sent one by one (one event
   * each) then get a short acknowledgement instead of the same request again.
   */
  photoPrompt: z.string().nullable().default(null),
  /**
   * The resident just rated a resolution: their next free text until `until` (ISO time) is a
   * comment attached to report `code` (see dialogs/verdict).
   */
  awaitingComment: z.object({ code: z.string(), until: z.string() }).nullable().default(null),
  /** The report the bot just asked about publishing (PUBLISH_OK / PUBLISH_NO answer it). */
  publishFor: z.string().nullable().default(null),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;

export const INITIAL_STATE: ConversationState = { menu: null, welcomed: false, handedOver: false, languageChosen: false, misses: 0, photoPrompt: null, awaitingComment: null, publishFor: null };

export function parseState(raw: unknown): { state: ConversationState; reset: boolean } {
  const p = ConversationStateSchema.safeParse(raw ?? {});
  return p.success ? { state: p.data, reset: false } : { state: { ...INITIAL_STATE }, reset: true };
}
