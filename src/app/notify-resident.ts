/**
 * Telling a resident that their report changed, in the same thread, in their language: the notice
 * names the code and says what happened (assigned, in progress, resolved with the reply and the
 * result photos, rejected with the reason, duplicate of another code). The window rules choose the
 * route; a closed window falls back to Messenger's ACCOUNT_UPDATE tag or a Zalo ZBS template, or the
 * notice is parked until the resident writes again. Transient failures are thrown so the job
 * retries with back-off; permanent ones park the notice (no error loops).
 */
import type { CityProfile } from '../domain/city-profile';
import type { OutboundMessage } from '../domain/messages';
import type { DeferredNoticesRepo, ResidentChannels } from '../domain/notifications/ports';
import { chooseNotificationRoute, routeAfterWindowClosed, type NotificationRoute, type WindowSettings } from '../domain/notifications/window-rules';
import type { Clock, ResidentsRepo, ReportsRepo } from '../domain/reports/ports';
import type { Report, ReportEvent } from '../domain/reports/report';
import type { ReportStatus } from '../domain/reports/lifecycle';
import { PlatformApiError } from '../domain/shared/errors';
import type { Locale } from '../domain/shared/ids';
import type { I18n } from '../i18n';
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
}

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
      await this.send(route, channel, resident.platformUserId, messages, report, event, resident.id, resident.locale);
    } catch (err) {
      if (!(err instanceof PlatformApiError)) throw err;
      if (err.action === 'window-closed') {
        // Our record of the last interaction was stale: take the route for a closed window.
        route = routeAfterWindowClosed(resident.channel, this.d.windows);
        try {
          await this.send(route, channel, resident.platformUserId, messages, report, event, resident.id, resident.locale);
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

  /** Notices parked for this resident, delivered in their conversation when they write again. */
  async flushDeferred(residentId: string, send: (messages: readonly OutboundMessage[]) => Promise<void>): Promise<number> {
    let n = 0;
    for (const row of await this.d.deferred.pending(residentId)) {
      const ctx = await this.context(row.reportId, row.eventId);
      if (ctx) await send(this.compose(ctx.report, ctx.event, ctx.resident.locale));
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
        return [{ text: t('report:notify.resolved', { code, reply: event.publicNote ?? report.publicReply ?? '', city: this.d.city.name[locale] }), ...(images.length ? { images } : {}) }];
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
    userId: string,
    messages: readonly OutboundMessage[],
    report: Report,
    event: ReportEvent,
    residentId: string,
    locale: Locale,
  ): Promise<void> {
    switch (route.kind) {
      case 'message':
      case 'messenger-tag':
        return channel.send(userId, messages, route, locale);
      case 'zbs-template':
        if (!channel.sendTemplate) throw new PlatformApiError({ platform: 'zalo', method: 'template', code: 'no-template', action: 'give-up', message: 'this channel has no templates' });
        return channel.sendTemplate(userId, route.templateId, { ma_phan_anh: report.code, trang_thai: this.d.i18n.t('vi', STATUS_LABEL_KEYS[event.to]) });
      case 'defer':
        return this.d.deferred.park(residentId, report.id, event.id, event.to);
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
