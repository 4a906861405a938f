/**
 * The staff report desk: console pages under `/console/reports` and the report API under
 * `/api/staff/v1` (see `reports-api.ts`, `report-pages.ts`, and this folder's README.md). main.ts
 * builds it and registers both halves on the staff console:
 *
 * ```ts
 * const desk = createReportDesk({ queries, actions, … });
 * staff.addPages(desk.pages);
 * staff.addApi(desk.api);
 * ```
 */
import type { RequestHandler, Router } from 'express';
import { ApiError } from '../api/api-errors';
import type { ConsoleExtension, ConsoleKit } from '../index';
import type { ConsoleViews } from '../render';
import type { ReportDeskDeps } from './desk-deps';
import { staffRateLimiter } from './desk-guards';
import { reportPages } from './report-pages';
import { reportsApi } from './reports-api';


export type { ReportDeskDeps } from './desk-deps';

export interface ReportDesk {
  readonly pages: ConsoleExtension;
  readonly api: ConsoleExtension;
}

export function createReportDesk(d: ReportDeskDeps): ReportDesk {
  let views: ConsoleViews | undefined;
  // Over the limit: the API answers JSON 429 (its error handler), the console a page saying so.
  const onLimited: RequestHandler = (req, res, next) => {
    if (!req.baseUrl.startsWith('/console') || !views) return next(new ApiError(429, 'rate-limited', `more than ${d.ratePerMinute} requests in a minute; wait for the time in Retry-After, then continue`));
    const t = views.t(req);
    return views.page(req, res, 'error', { message: t('console:reports.errors.rateLimited'), back: '/console/reports' }, { title: t('console:errors.refusedTitle'), status: 429 });
  };
  // One limiter for the API and the console's export: a user's requests count together.
  let limiter: RequestHandler | undefined;
  const shared = () => (limiter ??= staffRateLimiter(d.ratePerMinute, onLimited));
  return {
    pages: (r: Router, kit: ConsoleKit) => {
      views = kit.views;
      reportPages(r, kit, d, shared());
    },
    api: (r: Router) => {
      r.use(reportsApi(d, shared()));
    },
  };
}
