/**
 * Broadcasts onto the city's Facebook Page (reference §3.9): the cards are uploaded unpublished,
 * then one `/feed` post carries them all with the caption, so a broadcast is one post, found again
 * among the Page's recent posts by its reference.
 */
import type { PagePublisher } from '../../clients/graph/page-publisher';
import type { BroadcastTarget } from '../../domain/broadcasts/broadcast';
import type { TargetPublisher } from '../../domain/broadcasts/ports';

export function pagePostPublisher(page: PagePublisher, pageId: string): TargetPublisher {
  const link = (postId: string) => `https://www.facebook.com/${postId.includes('_') ? postId.replace('_', '/posts/') : `${pageId}/posts/${postId}`}`;
  return {
    async post(_target: BroadcastTarget, cards: readonly Buffer[], caption: string) {
      const ids: string[] = [];
      // Unpublished uploads are invisible: one repeated after a crash costs nothing.
      for (const card of cards) ids.push(await page.uploadPhoto(card));
      const postId = await page.publish(caption, ids);
      return { platformId: postId, link: link(postId) };
    },
    async find(_target: BroadcastTarget, ref: string) {
      const mine = new RegExp(`${ref}(?!\\d)`);
      const hit = (await page.recentPosts(25)).find((p) => mine.test(p.message));
      return hit ? { platformId: hit.id, link: link(hit.id) } : null;
    },
  };
}
