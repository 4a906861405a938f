/**
 * Broadcasts into a Zalo group the OA created (GMF, reference §4): each card is uploaded (≤ 1 MB,
 * re-encoded if larger) and posted as an image message. With several cards, every part carries
 * the broadcast's reference and its number ("#B12 · 2/3") and the last one the whole caption, so a
 * send interrupted half-way resumes after the parts already in the group instead of repeating them.
 */
import type { ZaloOaClient } from '../../clients/zalo-oa';
import { ZALO_IMAGE_MAX_BYTES } from '../../clients/zalo-oa';
import type { BroadcastTarget } from '../../domain/broadcasts/broadcast';
import type { TargetPublisher } from '../../domain/broadcasts/ports';
import type { Logger } from '../../logger';
import { fitImageUnderBytes } from '../../media';

/** How far back in a group's conversation a post is looked for. */
const LOOKUP_DEPTH = 50;

export function zaloGroupPublisher(client: ZaloOaClient, logger: Logger): TargetPublisher {
  let loggedFirstAnswer = false;
  const recent = async (groupId: string) => {
    const { messages, raw } = await client.groupConversation(groupId, 0, LOOKUP_DEPTH);
    if (!loggedFirstAnswer) {
      loggedFirstAnswer = true;
      // The answer's shape is not documented: the first real one is logged (shape only, no texts).
      logger.info({ shape: describeShape(raw) }, 'first group/conversation answer');
    }
    return messages;
  };
  const refOf = (caption: string) => caption.match(/#B\d+/)?.[0] ?? '';

  return {
    async post(target: BroadcastTarget, cards: readonly Buffer[], caption: string) {
      const ref = refOf(caption);
      const n = cards.length;
      // Parts already in the group (an earlier attempt died half-way): skip them.
      const done = n > 1 && ref ? new Set((await recent(target.externalId)).map((m) => m.text.match(new RegExp(`${ref} · (\\d+)/${n}\\b`))?.[1]).filter(Boolean)) : new Set<string | undefined>();
      let last = '';
      for (const [i, card] of cards.entries()) {
        const part = `${i + 1}`;
        if (done.has(part) && i < n - 1) continue;
        const text = i === n - 1 ? caption : `${ref} · ${part}/${n}`;
        const fitted = await fitImageUnderBytes(card, ZALO_IMAGE_MAX_BYTES);
        const attachmentId = await client.uploadImage(fitted, 'card.jpg', 'image/jpeg');
        last = await client.sendGroupImage(target.externalId, { attachmentId }, i === n - 1 && n > 1 ? `${caption}\n${ref} · ${n}/${n}` : text);
      }
      return { platformId: last, link: null };
    },
    async find(target: BroadcastTarget, ref: string) {
      // The post is the message with the whole caption (an intermediate part says only "#B12 · 1/3").
      const part = /^#B\d+ · \d+\/\d+$/;
      const mine = new RegExp(`${ref}(?!\\d)`);
      const hit = (await recent(target.externalId)).find((m) => mine.test(m.text) && !part.test(m.text.trim()));
      return hit ? { platformId: hit.messageId, link: null } : null;
    },
  };
}

/** Keys and types of an answer, without its values (for a log line). */
function describeShape(v: unknown, depth = 0): unknown {
  if (Array.isArray(v)) return depth > 2 ? 'array' : [describeShape(v[0], depth + 1), `length ${v.length}`];
  if (v && typeof v === 'object') return depth > 2 ? 'object' : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describeShape(x, depth + 1)]));
  return typeof v;
}
