/**
 * Conversation state kept in the Bottender session. Parsed on every read: if it is stale or
 * invalid, it resets to the initial state.
 */
import { z } from 'zod';

export const ChoiceSchema = z.object({ title: z.string(), payload: z.string() });

export const ConversationStateSchema = z.object({
  /** The choices offered last (all pages), so "More", Zalo digit answers and re-renders work. */
  menu: z.object({ text: z.string(), choices: z.array(ChoiceSchema), page: z.number().int().min(0) }).nullable().default(null),
  /** Set once the resident got the welcome message. */
  welcomed: z.boolean().default(false),
  /** Conversation handed to a person (no bot replies until they come back via the menu). */
  handedOver: z.boolean().default(false),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;

export const INITIAL_STATE: ConversationState = { menu: null, welcomed: false, handedOver: false };

export function parseState(raw: unknown): { state: ConversationState; reset: boolean } {
  const p = ConversationStateSchema.safeParse(raw ?? {});
  return p.success ? { state: p.data, reset: false } : { state: { ...INITIAL_STATE }, reset: true };
}
