/**
 * Wire schema of Messenger webhook POSTs (snake_case, as Meta sends them) and how each event is
 * keyed for de-duplication and per-resident ordering.
 */
import { z } from 'zod';

const Id = z.object({ id: z.string() });

const Attachment = z.object({
  type: z.string(),
  payload: z.record(z.string(), z.unknown()).nullable().optional(),
  title: z.string().optional(),
  url: z.string().optional(),
});

export const MessagingEvent = z
  .object({
    sender: Id,
    recipient: Id,
    timestamp: z.number(),
    message: z
      .object({
        mid: z.string(),
        text: z.string().optional(),
        is_echo: z.boolean().optional(),
        quick_reply: z.object({ payload: z.string() }).optional(),
        attachments: z.array(Attachment).optional(),
      })
      .passthrough()
      .optional(),
    postback: z.object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string() }).passthrough().optional(),
    delivery: z.unknown().optional(),
    read: z.unknown().optional(),
    referral: z.unknown().optional(),
  })
  .passthrough();
export type MessagingEvent = z.infer<typeof MessagingEvent>;

export const MessengerEnvelope = z.object({
  object: z.string(),
  entry: z.array(
    z
      .object({
        id: z.string(),
        time: z.number(),
        messaging: z.array(z.unknown()).optional(),
        standby: z.array(z.unknown()).optional(),
      })
      .passthrough(),
  ),
});
export type MessengerEnvelope = z.infer<typeof MessengerEnvelope>;

export type MessengerEventKind = 'message' | 'postback' | 'referral' | 'echo' | 'delivery' | 'read' | 'standby' | 'unknown';

export function messengerEventKind(ev: MessagingEvent): MessengerEventKind {
  if (ev.message?.is_echo) return 'echo';
  if (ev.message) return 'message';
  if (ev.postback) return 'postback';
  if (ev.referral) return 'referral';
  if (ev.delivery) return 'delivery';
  if (ev.read) return 'read';
  return 'unknown';
}

/**
 * De-duplication key: the message id; for a postback its mid, or the same payload from the same
 * resident at the same timestamp (Meta redelivers with the original timestamp).
 */
export function messengerDedupeKey(ev: MessagingEvent): string {
  if (ev.message) return `mid:${ev.message.mid}`;
  if (ev.postback) return ev.postback.mid ? `mid:${ev.postback.mid}` : `postback:${ev.sender.id}:${ev.timestamp}:${ev.postback.payload}`;
  return `other:${ev.sender.id}:${ev.timestamp}`;
}
