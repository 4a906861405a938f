/**
 * Telling a resident that their report changed, in the same thread, in their language: the notice
 * names the code and says what happened (assigned, in progress, resolved with the reply and the
 * result photos, rejected with the reason, duplicate of another code). The window rules choose the
 * route; a closed window falls back to Messenger's ACCOUNT_UPDATE tag or a Zalo ZBS template, or the
 * notice is parked until the resident writes again. Transient failures are thrown so the job
 * retries with back-off; permanent ones park the notice (no error loops).
 *
 * A resolution also asks "is it really fixed?" with the choices `RESOLVED_CONFIRM:<code>` and
 * `RESOLVED_REJECT:<code>` (dialogs/verdict answers them). A tagged message or a ZBS template
 * carries no buttons: the text goes out that way and the question is parked, to be asked in the
 * conversation when the resident next writes. Inside the window the question goes out at once and
 * `onAsked` leaves it as the conversation's choice point, so a typed "rồi" or "vẫn còn" answers it.
 */
import type { CityProfile } from '../domain/city-profile';
import type { OutboundMessage } from '../domain/messages';
import type { DeferredNoticesRepo, ParkedPart, ResidentChannels } from '../domain/notifications/ports';
import { chooseNotificationRoute, routeAfterWindowClosed, type NotificationRoute, type WindowSettings } from '../domain/notifications/window-rules';
import type { Clock, Resident, ResidentsRepo, ReportsRepo } from '../domain/reports/ports';
import type { Report, ReportEvent } from '../domain/reports/report';
import type { ReportStatus } from '../domain/reports/lifecycle';
import { PlatformApiError } from '../domain/shared/errors';
import type { Locale } from '../domain/shared/ids';
import type { I18n, Translate } from '../i18n';
import type { Logger } from '../logger';
import type { ResidentNoticeJob } from '../jobs/queues';

export interface NotifyResidentDeps {
  readonly reports: ReportsRepo;
  readonly residents: ResidentsRepo;
  readonly channels: ResidentChannels;
  readonly deferred: DeferredNoticesRepo;
  readonly windows: WindowSettings;
  readonly clock: Clock;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly city: Pick<CityProfile, 'name' | 'agencies'>;
  readonly mediaUrl: (key: string) => string;
  /**
   * Called after a question with choices went out in the resident's thread outside a conversation
   * turn (main.ts makes it the conversation's choice point, so typed answers work).
   */
  readonly onAsked?: (resident: Resident, question: OutboundMessage) => Promise<void>;
}

/** The question that follows a resolution: is it really fixed? (answered in dialogs/verdict). */
export function verdictQuestion(t: Translate, code: string): { message: OutboundMessage; yes: string; no: string; hint: string } {
  const yes = `RESOLVED_CONFIRM:${code}`;
  const no = `RESOLVED_REJECT:${code}`;
  return {
    message: { text: t('resident:verdict.ask', { code }), choices: [{ title: t('resident:verdict.confirm'), payload: yes }, { title: t('resident:verdict.reject'), payload: no }] },
    yes,
    no,
    hint: t('resident:verdict.hint'),
  };
}

/** A message with choices (the question part of a notice). */
const isQuestion = (m: OutboundMessage): boolean => (m.choices?.length ?? 0) > 0;

export type NoticeOutcome = NotificationRoute['kind'] | 'skipped';

/** i18n keys of the status names (never built by concatenation). */
export const STATUS_LABEL_KEYS: Readonly<Record<ReportStatus, string>> = {
  received: 'report:status.received',
  assigned: 'report:status.assigned',
  in_progress: 'report:status.in_progress',
  resolved: 'report:status.resolved',
  rejected: 'report:status.rejected',
  duplicate: 'report:status.duplicate',
  closed: 'report:status.closed',
};

export class NotifyResident {
  constructor(private readonly d: NotifyResidentDeps) {}

  /** The job handler: sends one notice by the route the windows allow. */
  async deliver(job: ResidentNoticeJob): Promise<NoticeOutcome> {
    const ctx = await this.context(job.reportId, job.eventId);
    if (!ctx) return 'skipped';
    const { report, event, resident } = ctx;
    // Reports filed through Open311 have no person in a chat to tell (issue 13).
    if (report.channel === 'open311') return 'skipped';
    const channel = this.d.channels[resident.channel];
    if (!channel) {
      this.d.logger.warn({ reportId: report.id, channel: resident.channel }, 'channel not enabled: notice parked until the resident writes');
      await this.d.deferred.park(resident.id, report.id, event.id, event.to);
      return 'defer';
    }
    const messages = this.compose(report, event, resident.locale);
    let route = chooseNotificationRoute(resident.channel, resident.lastInteractionAt, this.d.clock.now(), this.d.windows);
    try {
      await this.send(route, channel, resident, messages, report, event);
    } catch (err) {
      if (!(err instanceof PlatformApiError)) throw err;
      if (err.action === 'window-closed') {
        // Our record of the last interaction was stale: take the route for a closed window.
        route = routeAfterWindowClosed(resident.channel, this.d.windows);
        try {
          await this.send(route, channel, resident, messages, report, event);
        } catch (err2) {
          if (!(err2 instanceof PlatformApiError) || err2.retryable) throw err2;
          route = { kind: 'defer' };
          await this.d.deferred.park(resident.id, report.id, event.id, event.to);
        }
      } else if (err.retryable) {
        throw err; // the job retries with back-off
      } else {
        this.d.logger.warn({ code: err.code, platform: err.platform, reportId: report.id }, 'notice refused permanently; parked until the resident writes');
        route = { kind: 'defer' };
        await this.d.deferred.park(resident.id, report.id, event.id, event.to);
      }
    }
    this.d.logger.info({ reportId: report.id, status: event.to, route: route.kind }, 'resident notice handled');
    return route.kind;
  }

  /**
   * Notices parked for this resident, delivered in their conversation when they write again: the
   * whole notice, or only its question when the text already went out under a tag or a template
   * (and the question only while it still applies: the report is still resolved).
   */
  async flushDeferred(residentId: string, send: (messages: readonly OutboundMessage[]) => Promise<void>): Promise<number> {
    let n = 0;
    for (const row of await this.d.deferred.pending(residentId)) {
      const ctx = await this.context(row.reportId, row.eventId);
      if (ctx) {
        const all = this.compose(ctx.report, ctx.event, ctx.resident.locale);
        const owed = row.part === 'choices' ? all.filter(isQuestion) : all;
        if (owed.length > 0) await send(owed);
      }
      await this.d.deferred.markDelivered(row.id);
      n++;
    }
    return n;
  }

  /** What the resident reads about one change. */
  compose(report: Report, event: Pick<ReportEvent, 'to' | 'from' | 'publicNote'>, locale: Locale): OutboundMessage[] {
    const t = this.d.i18n.forLocale(locale);
    const code = report.code;
    switch (event.to) {
      case 'assigned': {
        const agency = this.d.city.agencies.find((a) => a.id === report.agency)?.name[locale] ?? report.agency ?? '';
        return [{ text: t('report:notify.assigned', { code, agency }) }];
      }
      case 'in_progress':
        return [{ text: t(event.from === 'resolved' ? 'report:notify.reopened' : 'report:notify.inProgress', { code }) }];
      case 'resolved': {
        const images = report.resultPhotos.map((p) => this.d.mediaUrl(p.key));
        const notice: OutboundMessage = { text: t('report:notify.resolved', { code, reply: event.publicNote ?? report.publicReply ?? '', city: this.d.city.name[locale] }), ...(images.length ? { images } : {}) };
        // The question only while it applies (not after the resident answered or the report closed).
        return report.status === 'resolved' ? [notice, verdictQuestion(t, code).message] : [notice];
      }
      case 'rejected':
        return [{ text: t('report:notify.rejected', { code, reason: event.publicNote ?? report.publicReply ?? '' }) }];
      case 'duplicate':
        return [{ text: t('report:notify.duplicate', { code, other: report.duplicateOf ?? '' }) }];
      case 'closed':
        return [{ text: t('report:notify.closed', { code }) }];
      case 'received':
        return [{ text: t('report:notify.status', { code, status: t(STATUS_LABEL_KEYS.received) }) }];
    }
  }

  private async send(
    route: NotificationRoute,
    channel: NonNullable<ResidentChannels[keyof ResidentChannels]>,
    resident: Resident,
    messages: readonly OutboundMessage[],
    report: Report,
    event: ReportEvent,
  ): Promise<void> {
    const userId = resident.platformUserId;
    const question = messages.find(isQuestion);
    // Tags and templates carry no buttons: the question waits for the resident's next message.
    const parkQuestion = (part: ParkedPart) => (question ? this.d.deferred.park(resident.id, report.id, event.id, event.to, part) : Promise.resolve());
    switch (route.kind) {
      case 'message':
        await channel.send(userId, messages, route, resident.locale);
        // The notice is out: a failure to remember the question must not make the job send it again.
        if (question && this.d.onAsked) {
          await this.d.onAsked(resident, question).catch((err: unknown) =>
            this.d.logger.warn({ err: err instanceof Error ? err.message.split('\n')[0] : String(err), reportId: report.id }, 'could not remember the question of a notice; its buttons still work'));
        }
        return;
      case 'messenger-tag':
        await channel.send(userId, messages.filter((m) => !isQuestion(m)), route, resident.locale);
        return parkQuestion('choices');
      case 'zbs-template':
        if (!channel.sendTemplate) throw new PlatformApiError({ platform: 'zalo', method: 'template', code: 'no-template', action: 'give-up', message: 'this channel has no templates' });
        await channel.sendTemplate(userId, route.templateId, { ma_phan_anh: report.code, trang_thai: this.d.i18n.t('vi', STATUS_LABEL_KEYS[event.to]) });
        return parkQuestion('choices');
      case 'defer':
        return this.d.deferred.park(resident.id, report.id, event.id, event.to);
    }
  }

  private async context(reportId: string, eventId: string) {
    const [report, event] = await Promise.all([this.d.reports.findById(reportId), this.d.reports.event(eventId)]);
    if (!report || !event || event.reportId !== report.id) return null;
    const resident = await this.d.residents.findById(report.residentId);
    if (!resident) return null;
    return { report, event, resident };
  }
}
