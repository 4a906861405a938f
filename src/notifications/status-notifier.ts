/**
 * Status changes of reports and the notifications they cause. A change is stored, then a job is
 * queued in PostgreSQL (pg-boss) so the notification survives restarts; the job picks a route with
 * the window rules, sends, and on a closed window falls back to a template or parks the notice until
 * the resident writes again. Permanent failures end the job (no error loops); transient ones retry
 * with back-off, a bounded number of times.
 */
import type { MessengerClient } from 'messaging-api-messenger';
import type PgBoss from 'pg-boss';
import type { ZaloOaClient } from '../clients/zalo-oa';
import { chooseNotificationRoute, routeAfterWindowClosed, type NotificationRoute, type WindowSettings } from '../domain/notifications/window-rules';
import type { ReportStatus } from '../domain/reports/ports';
import { PlatformApiError } from '../domain/shared/errors';
import type { Locale } from '../domain/shared/ids';
import type { I18n } from '../i18n';
import type { Logger } from '../logger';
import type { Db } from '../storage/db';

export const STATUS_QUEUE = 'report-status-notification';
const STATUSES: readonly ReportStatus[] = ['received', 'in_progress', 'resolved', 'rejected'];

interface Target {
  reportId: string;
  code: string;
  status: ReportStatus;
  residentId: string;
  channel: 'messenger' | 'zalo';
  userId: string;
  locale: Locale;
  lastInteractionAt: Date | null;
}

export interface StatusNotifierDeps {
  readonly db: Db;
  readonly boss: PgBoss;
  readonly messenger: MessengerClient;
  readonly zalo: ZaloOaClient;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly windows: WindowSettings;
  readonly now?: () => Date;
}

export class StatusNotifier {
  constructor(private readonly d: StatusNotifierDeps) {}

  async start(): Promise<void> {
    await this.d.boss.createQueue(STATUS_QUEUE);
    await this.d.boss.work<{ reportId: string; status: ReportStatus }>(STATUS_QUEUE, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) await this.deliver(job.data.reportId, job.data.status);
    });
  }

  /** Changes a report's status (use case for staff tools) and queues the resident's notification. */
  async changeStatus(code: string, status: ReportStatus, note?: string): Promise<boolean> {
    if (!STATUSES.includes(status)) throw new Error(`unknown status ${status}`);
    const r = await this.d.db.tx(async (q) => {
      const up = await q.query<{ id: string }>('UPDATE reports SET status = $2, updated_at = now() WHERE code = $1 AND status <> $2 RETURNING id', [code, status]);
      const id = up.rows[0]?.id;
      if (!id) return null;
      await q.query('INSERT INTO report_status_history (report_id, status, note) VALUES ($1, $2, $3)', [id, status, note ?? null]);
      return String(id);
    });
    if (!r) return false;
    await this.d.boss.send(STATUS_QUEUE, { reportId: r, status }, { singletonKey: `${r}:${status}`, retryLimit: 5, retryDelay: 30, retryBackoff: true });
    return true;
  }

  /** Sends one notification by the route the windows allow. Exported for tests. */
  async deliver(reportId: string, status: ReportStatus): Promise<NotificationRoute['kind'] | 'skipped'> {
    const t = await this.target(reportId, status);
    if (!t) return 'skipped';
    const now = this.d.now?.() ?? new Date();
    let route = chooseNotificationRoute(t.channel, t.lastInteractionAt, now, this.d.windows);
    try {
      await this.send(t, route);
    } catch (err) {
      if (!(err instanceof PlatformApiError)) throw err;
      if (err.action === 'window-closed') {
        route = routeAfterWindowClosed(t.channel, this.d.windows);
        try {
          await this.send(t, route);
        } catch (err2) {
          if (err2 instanceof PlatformApiError && !err2.retryable) {
            route = { kind: 'defer' };
            await this.send(t, route);
          } else throw err2;
        }
      } else if (err.retryable) {
        throw err; // pg-boss retries with back-off
      } else {
        this.d.logger.warn({ code: err.code, platform: err.platform, reportId }, 'status notification refused permanently; parked until the resident writes');
        route = { kind: 'defer' };
        await this.send(t, route);
      }
    }
    this.d.logger.info({ reportId, status, route: route.kind }, 'status notification handled');
    return route.kind;
  }

  /** Delivers notifications parked for this resident (called when they write again). */
  async flushDeferred(residentId: string, send: (text: string) => Promise<void>): Promise<number> {
    const rows = await this.d.db.query<{ id: string; report_id: string; status: ReportStatus }>(
      'SELECT id, report_id, status FROM deferred_notifications WHERE resident_id = $1 AND delivered_at IS NULL ORDER BY id',
      [residentId],
    );
    let n = 0;
    for (const row of rows.rows) {
      const t = await this.target(row.report_id, row.status);
      if (t) await send(this.text(t));
      await this.d.db.query('UPDATE deferred_notifications SET delivered_at = now() WHERE id = $1', [row.id]);
      n++;
    }
    return n;
  }

  private text(t: Target): string {
    return this.d.i18n.t(t.locale, 'report:notify.status', { code: t.code, status: this.d.i18n.t(t.locale, `report:status.${t.status}`) });
  }

  private async send(t: Target, route: NotificationRoute): Promise<void> {
    switch (route.kind) {
      case 'message':
        if (t.channel === 'messenger') await this.d.messenger.sendText(t.userId, this.text(t), { messagingType: 'UPDATE' } as never);
        else await this.d.zalo.sendText(t.userId, this.text(t));
        return;
      case 'messenger-tag':
        await this.d.messenger.sendText(t.userId, this.text(t), { messagingType: 'MESSAGE_TAG', tag: route.tag } as never);
        return;
      case 'zbs-template':
        await this.d.zalo.sendTemplateByUserId(t.userId, route.templateId, {
          ma_phan_anh: t.code,
          trang_thai: this.d.i18n.t('vi', `report:status.${t.status}`),
        });
        return;
      case 'defer':
        await this.d.db.query(
          'INSERT INTO deferred_notifications (resident_id, report_id, status) VALUES ($1, $2, $3) ON CONFLICT (report_id, status) DO NOTHING',
          [t.residentId, t.reportId, t.status],
        );
        return;
    }
  }

  private async target(reportId: string, status: ReportStatus): Promise<Target | null> {
    const r = await this.d.db.query<{ code: string; resident_id: string; channel: 'messenger' | 'zalo'; platform_user_id: string; locale: Locale; last_interaction_at: Date | null }>(
      `SELECT r.code, r.resident_id, x.channel, x.platform_user_id, x.locale, x.last_interaction_at
       FROM reports r JOIN residents x ON x.id = r.resident_id WHERE r.id = $1`,
      [reportId],
    );
    const row = r.rows[0];
    if (!row) return null;
    return { reportId, code: row.code, status, residentId: String(row.resident_id), channel: row.channel, userId: row.platform_user_id, locale: row.locale, lastInteractionAt: row.last_interaction_at };
  }
}
