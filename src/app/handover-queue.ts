/**
 * The hand-over queue as staff work it: the conversations where a resident asked for a person, each
 * with its transcript (what the resident sent, what the bot and staff replied, the report notices),
 * a reply that goes out in the resident's own thread through the window rules (refused outside the
 * window, saying so), and "return to the bot". Every reply and return is audited (never its text).
 *
 * On Messenger the thread was passed to the Page Inbox when the resident asked: a reply from the
 * console, and the return to the bot, take it back for our app first (only the thread's owner may
 * send), so the Page Inbox shows the conversation as handled elsewhere.
 */
import type { Inbound } from '../domain/messages';
import { conversationKey, type ConversationLog, type ConversationSessions } from '../domain/conversations/ports';
import type { Handover, HandoverQueueRepo, TranscriptEntry } from '../domain/handovers/handover';
import type { OutboundMessage } from '../domain/messages';
import type { ResidentChannels } from '../domain/notifications/ports';
import { chooseNotificationRoute, type WindowSettings } from '../domain/notifications/window-rules';
import type { Clock, Resident, ResidentsRepo, ReportsRepo } from '../domain/reports/ports';
import type { Report, ReportEvent } from '../domain/reports/report';
import { DomainError, PlatformApiError } from '../domain/shared/errors';
import type { Channel, Locale } from '../domain/shared/ids';
import type { StaffActor } from '../domain/staff/actor';
import type { AuditLog } from '../domain/staff/audit';
import type { I18n } from '../i18n';
import type { Logger } from '../logger';

/** How far back before the request the transcript starts (what the resident was doing). */
export const TRANSCRIPT_LOOKBACK_MS = 3 * 86_400_000;
/** Lines of a transcript at most (the newest). */
export const TRANSCRIPT_MAX = 200;
/** Longest staff reply (both platforms cap a text message at 2,000 characters). */
export const MAX_REPLY = 2000;

/** Reads a stored webhook body of a channel (the channels' inbound mapping). */
export type TranscriptReader = (body: unknown) => { from: 'resident' | 'page'; input: Inbound } | null;

export interface HandoverQueueDeps {
  readonly handovers: HandoverQueueRepo;
  readonly log: ConversationLog;
  readonly residents: Pick<ResidentsRepo, 'findById'>;
  readonly reports: Pick<ReportsRepo, 'listByResident' | 'history'>;
  readonly reply: { execute(residentId: string, text: string): Promise<void> };
  readonly sessions: ConversationSessions;
  /** Per channel: take the thread back for our app (Messenger: take_thread_control). */
  readonly takeBack: Partial<Record<Channel, (userId: string) => Promise<void>>>;
  readonly channels: ResidentChannels;
  readonly windows: WindowSettings;
  readonly clock: Clock;
  readonly i18n: I18n;
  readonly audit: AuditLog;
  readonly logger: Logger;
  readonly readInbound: Partial<Record<Channel, TranscriptReader>>;
  /** The notice a report event sent the resident (NotifyResident.compose). */
  readonly composeNotice: (report: Report, event: ReportEvent, locale: Locale) => OutboundMessage[];
}

/** Whether a free reply can reach the resident now, and until when (or since when it cannot). */
export interface ReplyWindow {
  readonly open: boolean;
  /** Open: when it closes; closed: when it closed (null: the resident never wrote). */
  readonly until: Date | null;
}

export interface QueueItem extends Handover {
  readonly window: ReplyWindow;
  /** The resident wrote after the last staff reply (or nobody replied yet). */
  readonly awaitingReply: boolean;
}

export interface Conversation {
  readonly handover: QueueItem;
  readonly entries: readonly TranscriptEntry[];
}

export class HandoverQueue {
  constructor(private readonly d: HandoverQueueDeps) {}

  /** Open requests, oldest first. */
  async list(limit = 100): Promise<QueueItem[]> {
    const open = await this.d.handovers.listOpen(limit);
    const out: QueueItem[] = [];
    for (const h of open) out.push(await this.item(h));
    return out;
  }

  count(): Promise<number> {
    return this.d.handovers.countOpen();
  }

  /** @throws DomainError `handover.not-found` */
  async conversation(id: string): Promise<Conversation> {
    const h = await this.get(id);
    const resident = await this.residentOf(h);
    const since = new Date(h.createdAt.getTime() - TRANSCRIPT_LOOKBACK_MS);
    const key = conversationKey(resident.channel, resident.platformUserId);
    const [inbound, outbound, replies, notices] = await Promise.all([
      this.d.log.inbound(key, since, TRANSCRIPT_MAX),
      this.d.log.outbound(key, since, TRANSCRIPT_MAX),
      this.d.handovers.replies(resident.id, since, TRANSCRIPT_MAX),
      this.notices(resident, since),
    ]);
    const entries: TranscriptEntry[] = [];
    const read = this.d.readInbound[resident.channel];
    for (const ev of inbound) {
      if (ev.body === null || (typeof ev.body === 'object' && Object.keys(ev.body as object).length === 0)) {
        entries.push({ at: ev.at, who: 'resident', text: '', purged: true });
        continue;
      }
      const got = read?.(ev.body);
      if (got) entries.push(inboundEntry(ev.at, got.from, got.input));
    }
    for (const rec of outbound) entries.push(...outboundEntries(rec.at, rec.op, rec.status === 'failed'));
    for (const r of replies) entries.push({ at: r.at, who: 'staff', text: r.body });
    entries.push(...notices);
    entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    return { handover: await this.item(h, resident), entries: entries.slice(-TRANSCRIPT_MAX) };
  }

  /**
   * Sends `text` in the resident's thread. Refused, with a code the console explains, when the
   * request is closed, the text is empty or too long, or the window is closed.
   * @throws DomainError `handover.not-found`, `handover.closed`, `reply.empty`, `reply.too-long`,
   *   `reply.window-closed`, `reply.channel-disabled`, `reply.failed`
   */
  async reply(id: string, text: string, actor: StaffActor): Promise<void> {
    const h = await this.get(id);
    if (h.resolvedAt) throw new DomainError('handover.closed', 'this conversation is back with the bot');
    const body = text.normalize('NFC').trim();
    if (body === '') throw new DomainError('reply.empty', 'the reply is empty');
    if ([...body].length > MAX_REPLY) throw new DomainError('reply.too-long', `a reply has at most ${MAX_REPLY} characters`);
    const resident = await this.residentOf(h);
    if (this.window(resident).open) await this.takeBack(resident);
    try {
      await this.d.reply.execute(resident.id, body);
    } catch (err) {
      if (err instanceof PlatformApiError) {
        this.d.logger.warn({ channel: resident.channel, code: err.code, action: err.action }, 'a staff reply was refused by the platform');
        throw new DomainError(err.action === 'window-closed' ? 'reply.window-closed' : 'reply.failed', 'the platform did not take the reply');
      }
      throw err;
    }
    await this.d.handovers.recordReply(h.id, resident.id, actor, body);
    await this.d.audit.record({ actor, action: 'handover.reply', target: { kind: 'handover', id: h.id }, details: { channel: resident.channel, characters: [...body].length } });
  }

  /**
   * Gives the conversation back to the bot: the request leaves the queue, the conversation's
   * "handed over" state is cleared (the bot answers the next message), Messenger's thread comes
   * back to our app, and the resident is told when the window allows it.
   * @throws DomainError `handover.not-found`, `handover.closed`
   */
  async returnToBot(id: string, actor: StaffActor): Promise<void> {
    const h = await this.get(id);
    if (!(await this.d.handovers.close(h.id, actor))) throw new DomainError('handover.closed', 'this conversation is already back with the bot');
    const resident = await this.residentOf(h);
    await this.d.sessions.patchState(resident.channel, resident.platformUserId, { handedOver: false, menu: null, misses: 0 });
    await this.takeBack(resident);
    const channel = this.d.channels[resident.channel];
    const route = chooseNotificationRoute(resident.channel, resident.lastInteractionAt, this.d.clock.now(), this.d.windows);
    if (channel && route.kind === 'message') {
      await channel.send(resident.platformUserId, [{ text: this.d.i18n.t(resident.locale, 'resident:handover.back') }], route, resident.locale).catch((err: unknown) =>
        this.d.logger.warn({ channel: resident.channel, err: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'could not tell the resident the bot is back'));
    }
    await this.d.audit.record({ actor, action: 'handover.return', target: { kind: 'handover', id: h.id }, details: { channel: resident.channel } });
  }

  /** The reply window of a resident now. */
  window(resident: Pick<Resident, 'channel' | 'lastInteractionAt'>): ReplyWindow {
    const now = this.d.clock.now();
    const open = chooseNotificationRoute(resident.channel, resident.lastInteractionAt, now, this.d.windows).kind === 'message';
    const span = resident.channel === 'messenger' ? this.d.windows.messengerWindowHours * 3_600_000 : this.d.windows.zaloWindowDays * 86_400_000;
    return { open, until: resident.lastInteractionAt ? new Date(resident.lastInteractionAt.getTime() + span) : null };
  }

  private async item(h: Handover, known?: Resident): Promise<QueueItem> {
    const resident = known ?? (await this.residentOf(h));
    const awaitingReply = h.lastReplyAt === null || (h.lastInboundAt !== null && h.lastInboundAt > h.lastReplyAt);
    return { ...h, window: this.window(resident), awaitingReply };
  }

  private async get(id: string): Promise<Handover> {
    const h = await this.d.handovers.find(id);
    if (!h) throw new DomainError('handover.not-found', 'there is no such hand-over');
    return h;
  }

  private async residentOf(h: Handover): Promise<Resident> {
    const r = await this.d.residents.findById(h.residentId);
    if (!r) throw new DomainError('handover.not-found', 'the resident of this hand-over no longer exists');
    return r;
  }

  private async takeBack(resident: Resident): Promise<void> {
    const take = this.d.takeBack[resident.channel];
    if (!take) return;
    await take(resident.platformUserId).catch((err: unknown) =>
      this.d.logger.warn({ channel: resident.channel, err: err instanceof Error ? err.message.split('\n')[0] : String(err) }, 'could not take the thread back from the Page Inbox'));
  }

  /** The report notices the resident got since `since` (public changes made by others). */
  private async notices(resident: Resident, since: Date): Promise<TranscriptEntry[]> {
    const out: TranscriptEntry[] = [];
    for (const report of await this.d.reports.listByResident(resident.id, 20)) {
      if (report.updatedAt < since) continue;
      for (const ev of await this.d.reports.history(report.id)) {
        if (ev.at < since || ev.actor.kind === 'resident' || ev.to === 'received' || ev.to === 'closed') continue;
        const messages = this.d.composeNotice(report, ev, resident.locale);
        out.push({
          at: ev.at,
          who: 'notice',
          text: messages.map((m) => m.text).join('\n'),
          choices: messages.flatMap((m) => (m.choices ?? []).map((c) => c.title)),
          photos: messages.reduce((n, m) => n + (m.images?.length ?? 0), 0),
        });
      }
    }
    return out;
  }
}

function inboundEntry(at: Date, from: 'resident' | 'page', input: Inbound): TranscriptEntry {
  const who = from === 'page' ? 'staff' : 'resident';
  const base = { at, who, ...(from === 'page' ? { viaPageInbox: true } : {}) } as const;
  switch (input.kind) {
    case 'text':
      return { ...base, text: input.text.replace(/^#(?=[A-Z_]+(:|$))/, ''), ...(input.payload ? { tapped: input.payload } : {}) };
    case 'images':
      return { ...base, text: input.caption ?? '', photos: input.urls.length };
    case 'location':
      return { ...base, text: input.title ?? '', location: { lat: input.lat, lng: input.lng } };
    case 'sticker':
    case 'file':
    case 'link':
    case 'contact':
    case 'follow':
      return { ...base, text: '', other: input.kind };
    default:
      return { ...base, text: '', other: 'other' };
  }
}

function outboundEntries(at: Date, op: unknown, undelivered: boolean): TranscriptEntry[] {
  const o = op as { kind?: string; messages?: Array<{ text?: unknown; choices?: Array<{ title?: unknown }>; images?: unknown[] }>; title?: unknown };
  const flag = undelivered ? { undelivered: true } : {};
  if (o?.kind === 'messages' && Array.isArray(o.messages)) {
    return o.messages.map((m) => ({
      at,
      who: 'bot' as const,
      text: typeof m.text === 'string' ? m.text : '',
      ...(m.choices?.length ? { choices: m.choices.map((c) => String(c.title ?? '')) } : {}),
      ...(m.images?.length ? { photos: m.images.length } : {}),
      ...flag,
    }));
  }
  if (o?.kind === 'contact-request') return [{ at, who: 'bot', text: typeof o.title === 'string' ? o.title : '', other: 'contact', ...flag }];
  if (o?.kind === 'purged') return [{ at, who: 'bot', text: '', purged: true }];
  return [];
}
