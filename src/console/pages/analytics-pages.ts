/**
 * Analytics in the console (issue 13), for every role that reads reports (viewer and above; an
 * agency user's figures cover their agencies and wards):
 *
 * - `GET /console/analytics?from=YYYY-MM-DD&weeks=N` — the dashboard: received / resolved / overdue
 *   per week, per ward, category, agency and channel; median and 90th percentile of the time to
 *   first response and to resolution; reopen rate; satisfaction. SVG charts and tables.
 * - `GET /console/analytics/figures.csv?from&weeks` — the same figures as CSV.
 * - `GET /console/analytics/weekly?week=YYYY-MM-DD` — the printable weekly report to the People's
 *   Committee (A4, Vietnamese administrative layout), live figures; `/weekly/figures.csv` its CSV.
 * - `GET /console/analytics/weekly-reports` — the reports stored by the Monday job;
 *   `POST` (IOC: `reports.triage`) stores one now; `/weekly-reports/:week` and
 *   `/weekly-reports/:week/figures.csv` show a stored one exactly as it was made.
 *
 * The weekly report is the IOC's document for the whole city: agency users (scoped) get 403 there.
 */
import type { Request, Response } from 'express';
import type { Analytics, AnalyticsScope } from '../../app/analytics';
import { addDays, isMonday, MAX_WEEKS, mondayOf, type Figures } from '../../domain/analytics/figures';
import type { CityProfile } from '../../domain/city-profile';
import type { WeeklyReportLetterhead } from '../../domain/public/public-site-profile';
import type { Category } from '../../domain/reports/categories';
import { zonedMidnight } from '../../domain/shared/zoned-time';
import { reportVisibility } from '../../domain/staff/permissions';
import { requireActor } from '../auth/context';
import { AccessError } from '../auth/errors';
import { requireCapability } from '../auth/guards';
import type { ConsoleExtension } from '../index';
import { scopeText } from './home-pages';
import { originOf } from './forms';
import { figuresCsv, figuresView, formatters, type Labels } from '../analytics/figures-view';

export interface AnalyticsPagesDeps {
  readonly analytics: Analytics;
  readonly city: CityProfile;
  readonly categories: readonly Category[];
  readonly wardName: (code: string) => string | null;
  readonly letterhead: WeeklyReportLetterhead | undefined;
}

const WEEK_CHOICES = [4, 8, 12, 26, 52] as const;
const DEFAULT_WEEKS = 12;

export function analyticsPages(d: AnalyticsPagesDeps): ConsoleExtension {
  const labels: Labels = {
    ward: d.wardName,
    category: (slug, locale) => d.categories.find((c) => c.slug === slug)?.title[locale] ?? null,
    agency: (id, locale) => d.city.agencies.find((a) => a.id === id)?.name[locale] ?? null,
  };
  const tz = d.city.timezone;

  /** A date (any day) as the Monday of its week, or null. */
  const mondayParam = (raw: unknown): string | null => {
    if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return null;
    const midnight = zonedMidnight(raw, tz);
    return midnight ? mondayOf(new Date(midnight.getTime() + 12 * 3_600_000), tz) : null;
  };

  const scopeOf = (req: Request): AnalyticsScope => {
    const v = reportVisibility(requireActor(req));
    return v.kind === 'routed' ? { agencies: v.agencies, wards: v.wards } : null;
  };

  /** The weekly report is the IOC's city-wide document. */
  const requireCityWide = (req: Request) => {
    if (reportVisibility(requireActor(req)).kind === 'routed') throw new AccessError('auth.forbidden', 'the weekly report covers the whole city; agency users see their figures on the dashboard');
  };

  return (r, { views, audit }) => {
    const period = (req: Request) => {
      const weeksRaw = Number.parseInt(String(req.query.weeks ?? ''), 10);
      const weeks = Number.isInteger(weeksRaw) && weeksRaw >= 1 && weeksRaw <= MAX_WEEKS ? weeksRaw : DEFAULT_WEEKS;
      const from = mondayParam(req.query.from) ?? d.analytics.defaultStart(weeks);
      return { from, weeks };
    };

    r.get('/analytics', requireCapability('reports.read'), async (req, res) => {
      const { t, locale } = views.common(req);
      const actor = requireActor(req);
      const { from, weeks } = period(req);
      const figures = await d.analytics.figures(from, weeks, scopeOf(req));
      const choices = WEEK_CHOICES.includes(weeks as (typeof WEEK_CHOICES)[number]) ? WEEK_CHOICES : [...WEEK_CHOICES, weeks].sort((a, b) => a - b);
      views.page(req, res, 'analytics/dashboard', {
        v: figuresView(figures, t, locale, labels),
        from,
        weeks,
        choices,
        scope: actor.role === 'agency' ? scopeText(actor, d.city, locale, t) : null,
        csv: `/console/analytics/figures.csv?from=${from}&weeks=${weeks}`,
        weekly: actor.role === 'agency' ? null : '/console/analytics/weekly',
        stored: actor.role === 'agency' ? null : '/console/analytics/weekly-reports',
      }, { title: t('analytics:title') });
    });

    r.get('/analytics/figures.csv', requireCapability('reports.read'), async (req, res) => {
      const { t, locale } = views.common(req);
      const { from, weeks } = period(req);
      const figures = await d.analytics.figures(from, weeks, scopeOf(req));
      sendCsv(res, `phan-anh-${from}-${weeks}-tuan.csv`, figuresCsv(figures, t, locale, labels));
    });

    const weeklyPage = (req: Request, res: Response, figures: Figures, note: string, week: string, csv: string) => {
      const { t, locale } = views.common(req);
      const fmt = formatters(locale);
      const now = new Date();
      const local = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now).split('-');
      views.partial(req, res, 'analytics/weekly', {
        v: figuresView(figures, t, locale, labels),
        letter: d.letterhead ?? null,
        city: { name: d.city.name[locale], ioc: d.city.ioc[locale] },
        dateParts: { y: local[0], m: local[1], d: local[2] },
        week,
        weekEnd: fmt.day(addDays(week, 6)),
        weekStart: fmt.day(week),
        note,
        csv,
        title: `${t('analytics:weekly.title')} ${fmt.day(week)}`,
      });
    };

    r.get('/analytics/weekly', requireCapability('reports.read'), async (req, res) => {
      requireCityWide(req);
      const { t, formatTime } = views.common(req);
      const week = mondayParam(req.query.week) ?? d.analytics.lastWeek();
      const figures = await d.analytics.figures(week, 1);
      weeklyPage(req, res, figures, t('analytics:weekly.live', { time: formatTime(new Date()) }), week, `/console/analytics/weekly/figures.csv?week=${week}`);
    });

    r.get('/analytics/weekly/figures.csv', requireCapability('reports.read'), async (req, res) => {
      requireCityWide(req);
      const { t, locale } = views.common(req);
      const week = mondayParam(req.query.week) ?? d.analytics.lastWeek();
      sendCsv(res, `bao-cao-tuan-${week}.csv`, figuresCsv(await d.analytics.figures(week, 1), t, locale, labels));
    });

    r.get('/analytics/weekly-reports', requireCapability('reports.read'), async (req, res) => {
      requireCityWide(req);
      const { t } = views.common(req);
      const list = await d.analytics.listWeekly();
      const done = typeof req.query.done === 'string' && isMonday(req.query.done) ? req.query.done : null;
      views.page(req, res, 'analytics/weekly-list', {
        reports: list,
        done: done ? t('analytics:list.done', { week: formatters(views.common(req).locale).day(done) }) : null,
        bad: req.query.bad === '1',
        lastWeek: d.analytics.lastWeek(),
      }, { title: t('analytics:list.title') });
    });

    r.post('/analytics/weekly-reports', requireCapability('reports.triage'), async (req, res) => {
      const actor = requireActor(req);
      const week = mondayParam((req.body as Record<string, unknown> | undefined)?.week);
      if (!week) return res.redirect(303, '/console/analytics/weekly-reports?bad=1');
      await d.analytics.generateWeekly(week, actor.id);
      await audit.record({ actor, action: 'analytics.weekly-report', target: { kind: 'weekly-report', id: week }, details: { week }, ip: originOf(req).ip });
      return res.redirect(303, `/console/analytics/weekly-reports?done=${week}`);
    });

    r.get('/analytics/weekly-reports/:week', requireCapability('reports.read'), async (req, res, next) => {
      requireCityWide(req);
      const { t, formatTime } = views.common(req);
      const stored = await d.analytics.storedWeekly(String(req.params.week));
      if (!stored) return next();
      const by = stored.generatedBy === 'system' ? t('analytics:weekly.byJob') : t('analytics:weekly.byStaff');
      return weeklyPage(req, res, stored.figures, t('analytics:weekly.stored', { time: formatTime(stored.generatedAt), by }), stored.weekStart, `/console/analytics/weekly-reports/${stored.weekStart}/figures.csv`);
    });

    r.get('/analytics/weekly-reports/:week/figures.csv', requireCapability('reports.read'), async (req, res, next) => {
      requireCityWide(req);
      const { t, locale } = views.common(req);
      const stored = await d.analytics.storedWeekly(String(req.params.week));
      if (!stored) return next();
      return sendCsv(res, `bao-cao-tuan-${stored.weekStart}.csv`, figuresCsv(stored.figures, t, locale, labels));
    });
  };
}

function sendCsv(res: Response, filename: string, body: string): void {
  res.setHeader('content-disposition', `attachment; filename="${filename}"`);
  res.type('text/csv; charset=utf-8').send(body);
}
