/**
 * The hand-over queue in the console (`handovers.handle`: admins and IOC operators; agency users
 * work on reports, not on conversations). The list and the open conversation refresh themselves
 * every few seconds (htmx polling), and the layout's navigation shows how many are waiting on every
 * page, so a resident who asks for a person is announced within seconds.
 *
 * ```
 * GET  /console/handovers                 the queue
 * GET  /console/handovers/rows            its rows (htmx, every 5 s)
 * GET  /console/handovers/badge           "N waiting" for the layout (htmx, every 5 s)
 * GET  /console/handovers/:id             transcript, reply box, "return to the bot"
 * GET  /console/handovers/:id/transcript  the transcript (htmx, every 5 s)
 * POST /console/handovers/:id/reply       sends in the resident's thread (window rules); audited
 * POST /console/handovers/:id/return      back to the bot; audited
 * ```
 */
import type { Request, Response, Router } from 'express';
import type { Conversation, HandoverQueue, QueueItem } from '../../app/handover-queue';
import { MAX_REPLY } from '../../app/handover-queue';
import type { TranscriptEntry } from '../../domain/handovers/handover';
import { DomainError } from '../../domain/shared/errors';
import type { WindowSettings } from '../../domain/notifications/window-rules';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import type { ConsoleViews } from '../render';
import { field, formOf } from './forms';

export interface HandoverPagesDeps {
  readonly views: ConsoleViews;
  readonly queue: HandoverQueue;
  readonly windows: WindowSettings;
}

/** Refusals of the queue's use cases: the console's words and the HTTP status. */
const REFUSALS: Readonly<Record<string, { key: string; status: number }>> = {
  'handover.not-found': { key: 'handovers:errors.notFound', status: 404 },
  'handover.closed': { key: 'handovers:errors.closed', status: 409 },
  'reply.empty': { key: 'handovers:errors.empty', status: 422 },
  'reply.too-long': { key: 'handovers:errors.tooLong', status: 422 },
  'reply.window-closed': { key: 'handovers:errors.windowClosed', status: 409 },
  'reply.channel-disabled': { key: 'handovers:errors.channelDisabled', status: 409 },
  'reply.resident-not-found': { key: 'handovers:errors.residentNotFound', status: 404 },
  'reply.failed': { key: 'handovers:errors.failed', status: 502 },
};

const WHO_KEYS: Readonly<Record<TranscriptEntry['who'], string>> = {
  resident: 'handovers:who.resident',
  bot: 'handovers:who.bot',
  staff: 'handovers:who.staff',
  notice: 'handovers:who.notice',
};
const OTHER_KEYS: Readonly<Record<NonNullable<TranscriptEntry['other']>, string>> = {
  sticker: 'handovers:other.sticker',
  file: 'handovers:other.file',
  link: 'handovers:other.link',
  contact: 'handovers:other.contact',
  follow: 'handovers:other.follow',
  other: 'handovers:other.other',
};
const CHANNEL_KEYS = { messenger: 'handovers:channels.messenger', zalo: 'handovers:channels.zalo' } as const;
const LANGUAGE_KEYS = { vi: 'handovers:languages.vi', en: 'handovers:languages.en' } as const;

export function handoverPages(r: Router, d: HandoverPagesDeps): void {
  const guard = requireCapability('handovers.handle');

  /** What a template shows of a queue item, in the console's language. */
  const decorate = (req: Request, h: QueueItem) => {
    const { t, formatTime } = d.views.common(req);
    return {
      id: h.id,
      channel: t(CHANNEL_KEYS[h.channel]),
      language: t(LANGUAGE_KEYS[h.locale]),
      since: formatTime(h.createdAt),
      lastMessage: formatTime(h.lastInboundAt),
      awaiting: h.awaitingReply,
      closed: h.resolvedAt !== null,
      windowOpen: h.window.open,
      windowText: h.window.open ? t('handovers:windowOpen', { time: formatTime(h.window.until) }) : t('handovers:windowClosed'),
      windowLong: h.window.open
        ? t('handovers:windowOpenText', { time: formatTime(h.window.until) })
        : h.window.until === null
          ? t('handovers:windowNever')
          : t('handovers:windowClosedText', {
              channel: t(CHANNEL_KEYS[h.channel]),
              limit: h.channel === 'messenger' ? t('handovers:limits.messenger', { hours: d.windows.messengerWindowHours }) : t('handovers:limits.zalo', { days: d.windows.zaloWindowDays }),
            }),
    };
  };

  const entryView = (req: Request, e: TranscriptEntry) => {
    const { t, formatTime } = d.views.common(req);
    const notes: string[] = [];
    if (e.tapped) notes.push(t('handovers:tapped', { payload: e.tapped }));
    if (e.photos) notes.push(t('handovers:photos', { count: e.photos }));
    if (e.location) notes.push(t('handovers:location', { lat: e.location.lat.toFixed(5), lng: e.location.lng.toFixed(5) }));
    if (e.other) notes.push(t(OTHER_KEYS[e.other]));
    if (e.choices?.length) notes.push(t('handovers:choices', { list: e.choices.join(' · ') }));
    if (e.undelivered) notes.push(t('handovers:undelivered'));
    if (e.purged) notes.push(t('handovers:purged'));
    return { who: e.who, whoLabel: t(WHO_KEYS[e.who]) + (e.viaPageInbox ? ` (${t('handovers:pageInbox')})` : ''), time: formatTime(e.at), iso: e.at.toISOString(), text: e.text, notes };
  };

  const transcriptData = (req: Request, c: Conversation) => ({ handover: decorate(req, c.handover), entries: c.entries.map((e) => entryView(req, e)) });

  const conversationPage = async (req: Request, res: Response, id: string, o: { error?: string | null; draft?: string; status?: number; sent?: boolean } = {}) => {
    const t = d.views.t(req);
    const c = await d.queue.conversation(id);
    const data = transcriptData(req, c);
    d.views.page(
      req,
      res,
      'handovers/conversation',
      { ...data, error: o.error ?? null, draft: o.draft ?? '', sent: o.sent === true, maxReply: MAX_REPLY, channelName: data.handover.channel, languageName: data.handover.language },
      { title: t('handovers:conversationTitle', { channel: data.handover.channel, id: c.handover.id }), status: o.status },
    );
  };

  /** A refusal of the use cases as the console says it, or null for anything else. */
  const refusal = (req: Request, err: unknown): { message: string; status: number } | null => {
    if (!(err instanceof DomainError)) return null;
    const r = REFUSALS[err.code];
    return r ? { message: d.views.t(req)(r.key), status: r.status } : null;
  };

  const withRefusals = (run: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await run(req, res);
    } catch (err) {
      const why = refusal(req, err);
      if (!why) throw err;
      const t = d.views.t(req);
      d.views.page(req, res, 'error', { message: why.message, back: '/console/handovers' }, { title: t('console:errors.refusedTitle'), status: why.status });
    }
  };

  r.get('/handovers', guard, async (req, res) => {
    const items = (await d.queue.list()).map((h) => decorate(req, h));
    d.views.page(req, res, 'handovers/list', { items, returned: req.query.returned === '1' }, { title: d.views.t(req)('handovers:title') });
  });

  r.get('/handovers/rows', guard, async (req, res) => {
    const items = (await d.queue.list()).map((h) => decorate(req, h));
    d.views.partial(req, res, 'handovers/rows', { items });
  });

  r.get('/handovers/badge', guard, async (req, res) => {
    d.views.partial(req, res, 'handovers/badge', { count: await d.queue.count() });
  });

  r.get('/handovers/:id', guard, withRefusals(async (req, res) => conversationPage(req, res, String(req.params.id), { sent: req.query.sent === '1' })));

  r.get('/handovers/:id/transcript', guard, withRefusals(async (req, res) => {
    const c = await d.queue.conversation(String(req.params.id));
    d.views.partial(req, res, 'handovers/transcript', transcriptData(req, c));
  }));

  r.post('/handovers/:id/reply', guard, withRefusals(async (req, res) => {
    const id = String(req.params.id);
    const text = field(formOf(req), 'text');
    try {
      await d.queue.reply(id, text, requireActor(req));
    } catch (err) {
      const why = refusal(req, err);
      // A refused reply keeps what was typed, with the reason next to it.
      if (!why || err instanceof DomainError && err.code === 'handover.not-found') throw err;
      return conversationPage(req, res, id, { error: why.message, draft: text, status: why.status });
    }
    res.redirect(303, `/console/handovers/${encodeURIComponent(id)}?sent=1#reply`);
  }));

  r.post('/handovers/:id/return', guard, withRefusals(async (req, res) => {
    await d.queue.returnToBot(String(req.params.id), requireActor(req));
    res.redirect(303, '/console/handovers?returned=1');
  }));
}
