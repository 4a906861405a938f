/**
 * Console pages of the report desk:
 *
 * - `GET /console/reports` list with filters, sort and keyset pages (Vietnamese first); the day's
 *   overdue notices for the user on top; links to the map and the CSV export of the same filter.
 * - `GET /console/reports/map` (+ `map.json`): the filter's reports on a clustered map.
 * - `GET /console/reports.csv`: CSV of the filter (UTF-8 with BOM, headers in the user's language).
 * - `GET /console/reports/:code`: one report: photos, map, description, category (editable by the
 *   IOC), ward, agency and proposal, SLA, history with actors, nearby open reports of the same
 *   category (one click marks a duplicate), internal notes, and the actions the user's role allows.
 * - `POST /console/reports/:code/transitions` (urlencoded, or multipart with result photos),
 *   `POST …/category`, `POST …/notes`: each authorised and audited by the use cases; refusals
 *   re-render the report with a polite message and the right status (403, 404, 409, 422).
 * - `GET /console/notices`: overdue reminders of the user's agencies (IOC: all).
 */
import path from 'node:path';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import multer from 'multer';
import { cityDay } from '../../app/remind-overdue';
import type { PhotoView, ReportDetail } from '../../app/staff-report-queries';
import { decideTransition, LifecycleError, REPORT_STATUSES, type ReportStatus, type TransitionRequest } from '../../domain/reports/lifecycle';
import {
  categoryEditable,
  DeskError,
  durationParts,
  mayEditCategory,
  mayWriteNotes,
  NO_AGENCY,
  slaState,
  type ReportFilter,
  type SlaState,
  type StaffReport,
  type TimelineEntry,
} from '../../domain/reports/report-desk';
import type { StaffActor } from '../../domain/staff/actor';
import type { Translate } from '../../i18n';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import type { ConsoleKit } from '../index';
import { field, formOf, originOf, type FormBody } from '../pages/forms';
import type { CommonViewData } from '../render';
import { sendCsv, type CsvStyle } from './report-csv';
import type { ReportDeskDeps } from './desk-deps';
import { requireAnyCapability } from './desk-guards';
import { filterChoices, filterQueryString, parseReportQuery, type ReportQuery } from './report-filter';
import { mapPagePolicy } from './map-policy';

const STATUS_KEYS: Record<ReportStatus, string> = {
  received: 'console:reports.status.received',
  assigned: 'console:reports.status.assigned',
  in_progress: 'console:reports.status.in_progress',
  resolved: 'console:reports.status.resolved',
  rejected: 'console:reports.status.rejected',
  duplicate: 'console:reports.status.duplicate',
  closed: 'console:reports.status.closed',
};

const STATUS_CLASS: Record<ReportStatus, string> = {
  received: 'status-received',
  assigned: 'status-assigned',
  in_progress: 'status-in-progress',
  resolved: 'status-resolved',
  rejected: 'status-ended',
  duplicate: 'status-ended',
  closed: 'status-closed',
};

/** Messages of refusals, by error code (never built by concatenation). */
const ERROR_KEYS: Record<string, string> = {
  'lifecycle.forbidden': 'console:reports.errors.forbidden',
  'lifecycle.not-your-report': 'console:reports.errors.forbidden',
  'report.forbidden': 'console:reports.errors.forbidden',
  'lifecycle.illegal-transition': 'console:reports.errors.illegal',
  'lifecycle.reopen-window-passed': 'console:reports.errors.illegal',
  'lifecycle.not-due-to-close': 'console:reports.errors.illegal',
  'report.final': 'console:reports.errors.final',
  'lifecycle.agency-required': 'console:reports.errors.agencyRequired',
  'lifecycle.unknown-agency': 'console:reports.errors.agencyRequired',
  'lifecycle.same-agency': 'console:reports.errors.sameAgency',
  'lifecycle.reply-required': 'console:reports.errors.replyRequired',
  'lifecycle.reason-required': 'console:reports.errors.reasonRequired',
  'lifecycle.duplicate-of-required': 'console:reports.errors.duplicateRequired',
  'lifecycle.duplicate-of-unknown': 'console:reports.errors.duplicateUnknown',
  'lifecycle.duplicate-of-itself': 'console:reports.errors.duplicateItself',
  'lifecycle.too-many-photos': 'console:reports.errors.tooManyPhotos',
  'lifecycle.note-too-long': 'console:reports.errors.noteTooLong',
  'report.note-too-long': 'console:reports.errors.noteTooLong',
  'report.note-required': 'console:reports.errors.noteRequired',
  'report.unknown-category': 'console:reports.errors.unknownCategory',
  'report.same-category': 'console:reports.errors.sameCategory',
  'report.photo-required': 'console:reports.errors.photoRequired',
  'report.unknown-photo': 'console:reports.errors.photoUnusable',
  'photo.missing': 'console:reports.errors.photoUnusable',
  'photo.unsupported': 'console:reports.errors.photoUnsupported',
  'photo.corrupt': 'console:reports.errors.photoUnsupported',
  'photo.too-large': 'console:reports.errors.photoTooLarge',
  'photo.too-many-pixels': 'console:reports.errors.photoTooLarge',
};

/** Success notices after a redirect (`?done=…`). */
const DONE_KEYS: Record<string, string> = {
  assigned: 'console:reports.done.assigned',
  in_progress: 'console:reports.done.in_progress',
  resolved: 'console:reports.done.resolved',
  rejected: 'console:reports.done.rejected',
  duplicate: 'console:reports.done.duplicate',
  category: 'console:reports.done.category',
  note: 'console:reports.done.note',
};

const FILTER_PROBLEM_KEYS: Record<string, string> = {
  'filter.unknown-value': 'console:reports.filter.problems.unknownValue',
  'filter.not-a-flag': 'console:reports.filter.problems.unknownValue',
  'filter.not-a-date': 'console:reports.filter.problems.notADate',
  'filter.range-reversed': 'console:reports.filter.problems.rangeReversed',
  'filter.q-too-short': 'console:reports.filter.problems.qTooShort',
  'filter.q-too-long': 'console:reports.filter.problems.qTooLong',
  'filter.limit-out-of-range': 'console:reports.filter.problems.unknownValue',
  'report.bad-cursor': 'console:reports.filter.problems.badCursor',
};

const MARKERCLUSTER_DIR = path.dirname(require.resolve('leaflet.markercluster/dist/leaflet.markercluster.js'));
const LEAFLET_DIR = path.dirname(require.resolve('leaflet/dist/leaflet.js'));

/** The console's sizes: result photos per resolution. */
const MAX_FORM_PHOTOS = 5;

const DESK_STATUS = { forbidden: 403, 'not-found': 404, conflict: 409, invalid: 422 } as const;

export function reportPages(r: Router, kit: ConsoleKit, d: ReportDeskDeps, limiter: RequestHandler): void {
  const views = kit.views;
  const read = requireCapability('reports.read');
  const agencyName = (id: string | null, locale: 'vi' | 'en') => (id ? (d.city.agencies.find((a) => a.id === id)?.name[locale] ?? id) : null);
  const wardName = (code: string | null) => (code ? (d.routing.wards.find((w) => w.code === code)?.name ?? code) : null);
  const categoryTitle = (slug: string, locale: 'vi' | 'en') => d.categories.find((c) => c.slug === slug)?.title[locale] ?? slug;
  const policyAgencies = new Set(d.city.agencies.map((a) => a.id));

  const duration = (t: Translate, ms: number) => {
    const p = durationParts(ms);
    if (p.days > 0) return t('console:reports.duration.days', { days: p.days, hours: p.hours });
    if (p.hours > 0) return t('console:reports.duration.hours', { hours: p.hours, minutes: p.minutes });
    return t('console:reports.duration.minutes', { minutes: p.minutes });
  };
  const slaText = (c: CommonViewData, sla: SlaState) =>
    sla.overdue && sla.lateMs !== null
      ? c.t('console:reports.sla.overdue', { late: duration(c.t, sla.lateMs) })
      : sla.lateMs !== null
        ? c.t('console:reports.sla.answeredLate', { late: duration(c.t, sla.lateMs) })
        : sla.leftMs !== null
          ? c.t('console:reports.sla.left', { left: duration(c.t, sla.leftMs) })
          : '';

  /** What a row of the list shows. */
  const row = (c: CommonViewData, report: StaffReport) => {
    const sla = slaState(report, d.clock.now());
    return {
      code: report.code,
      status: c.t(STATUS_KEYS[report.status]),
      statusClass: STATUS_CLASS[report.status],
      category: categoryTitle(report.category, c.locale),
      description: excerpt(report.description, 90),
      ward: wardName(report.ward),
      agency: agencyName(report.agency, c.locale),
      proposed: report.agency ? null : agencyName(report.proposedAgency, c.locale),
      proposedText: report.agency || !report.proposedAgency ? null : c.t('console:reports.proposedShort', { agency: agencyName(report.proposedAgency, c.locale) }),
      createdAt: c.formatTime(report.createdAt),
      dueAt: c.formatTime(report.dueAt),
      overdue: sla.overdue,
      slaText: slaText(c, sla),
      reopened: report.reopened,
    };
  };

  const filterOptions = (c: CommonViewData) => ({
    statuses: REPORT_STATUSES.map((s) => ({ value: s, label: c.t(STATUS_KEYS[s]) })),
    categories: d.categories.map((x) => ({ value: x.slug, label: x.title[c.locale] })),
    wards: d.routing.wards.map((w) => ({ value: w.code, label: w.name })),
    agencies: [{ value: NO_AGENCY, label: c.t('console:reports.filter.noAgency') }, ...d.city.agencies.map((a) => ({ value: a.id, label: a.name[c.locale] }))],
    sorts: (['newest', 'oldest', 'due', 'updated'] as const).map((s) => ({ value: s, label: c.t(SORT_KEYS[s]) })),
  });

  /** The query of a list request, or the problems to show with an empty list. */
  const parseQuery = (req: Request): { query: ReportQuery | null; problems: string[] } => {
    try {
      return { query: parseReportQuery(req.query as Record<string, unknown>, filterChoices(d)), problems: [] };
    } catch (err) {
      if (!(err instanceof DeskError)) throw err;
      const t = views.t(req);
      return { query: null, problems: [...new Set((err.fields ?? [{ field: 'cursor', code: err.code }]).map((f) => t(FILTER_PROBLEM_KEYS[f.code] ?? 'console:reports.filter.problems.unknownValue', { field: t(FIELD_KEYS[f.field] ?? 'console:reports.filter.title') })))] };
    }
  };

  // Leaflet and the cluster plugin for the console's maps (same origin: the CSP stays 'self').
  r.use('/static/map/leaflet', express.static(LEAFLET_DIR, { maxAge: '7d', index: false }));
  r.use('/static/map/markercluster', express.static(MARKERCLUSTER_DIR, { maxAge: '7d', index: false }));

  r.get('/reports', read, async (req, res) => {
    const actor = requireActor(req);
    const c = fast(views.common(req));
    const { query, problems } = parseQuery(req);
    let rows: ReturnType<typeof row>[] = [];
    let next: string | null = null;
    if (query) {
      try {
        const page = await d.queries.list(actor, query.filter, query.cursor, query.limit);
        rows = page.items.map((x) => row(c, x));
        next = page.nextCursor ? `/console/reports${filterQueryString(query.filter, { cursor: page.nextCursor })}` : null;
      } catch (err) {
        if (!(err instanceof DeskError)) throw err;
        problems.push(c.t('console:reports.filter.problems.badCursor'));
      }
    }
    const filter = query?.filter ?? null;
    const qs = filter ? filterQueryString(filter) : '';
    const notices = (await d.notices.forActor(actor, 5)).filter((n) => n.day === cityDay(d.clock.now(), d.city.timezone));
    views.page(
      req,
      res,
      'reports/list',
      {
        rows,
        next,
        first: query?.cursor ? `/console/reports${qs}` : null,
        filter: filter ?? { statuses: [], categories: [], wards: [], agencies: [], overdue: false, reopened: false, from: null, to: null, q: null, sort: 'newest' },
        rawQ: typeof req.query.q === 'string' ? req.query.q : '',
        problems,
        options: filterOptions(c),
        mapHref: `/console/reports/map${qs}`,
        csvHref: `/console/reports.csv${qs}`,
        notices: notices.map((n) => ({ total: n.total, agency: agencyName(n.agency, c.locale) ?? c.t('console:reports.notices.iocQueue'), href: `/console/reports${filterQueryString({ ...emptyFilter(), overdue: true, agencies: [n.agency ?? NO_AGENCY] })}` })),
        filtered: qs !== '',
      },
      { title: c.t('console:reports.title'), status: problems.length ? 422 : 200 },
    );
  });

  r.get('/reports.csv', read, limiter, async (req, res) => {
    const actor = requireActor(req);
    const c = fast(views.common(req));
    const { query, problems } = parseQuery(req);
    if (!query) return views.page(req, res, 'error', { message: problems.join(' '), back: '/console/reports' }, { title: c.t('console:reports.title'), status: 422 });
    const style = labelledCsv(c, d, { agencyName, wardName, categoryTitle });
    return sendCsv(res, `phan-anh-${cityDay(d.clock.now(), d.city.timezone)}.csv`, style, d.queries.exportBatches(actor, query.filter), (err) =>
      d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'CSV export failed midway'),
    );
  });

  r.get('/reports/map', read, async (req, res) => {
    const c = fast(views.common(req));
    const { query, problems } = parseQuery(req);
    const qs = query ? filterQueryString(query.filter) : '';
    mapPagePolicy(res, d.mapTileUrl);
    views.page(
      req,
      res,
      'reports/map',
      { problems, listHref: `/console/reports${qs}`, pointsUrl: `/console/reports/map.json${qs}`, tiles: d.mapTileUrl, center: d.city.map.center, zoom: d.city.map.zoom },
      { title: c.t('console:reports.map.title'), status: problems.length ? 422 : 200 },
    );
  });

  r.get('/reports/map.json', read, async (req, res) => {
    const actor = requireActor(req);
    const c = fast(views.common(req));
    let query: ReportQuery;
    try {
      query = parseReportQuery(req.query as Record<string, unknown>, filterChoices(d));
    } catch (err) {
      if (err instanceof DeskError) return res.status(422).json({ error: { code: err.code, message: err.message, fields: err.fields ?? [] } });
      throw err;
    }
    const { points, truncated } = await d.queries.points(actor, query.filter);
    return res.json({
      truncated,
      points: points.map((p) => ({ code: p.code, lat: p.lat, lng: p.lng, overdue: p.overdue, status: p.status, label: `${p.code} · ${c.t(STATUS_KEYS[p.status])} · ${categoryTitle(p.category, c.locale)}` })),
    });
  });

  r.get('/notices', requireCapability('reports.read'), async (req, res) => {
    const actor = requireActor(req);
    const c = fast(views.common(req));
    const notices = await d.notices.forActor(actor, 60);
    views.page(
      req,
      res,
      'reports/notices',
      {
        notices: notices.map((n) => ({
          day: n.day,
          total: n.total,
          agency: agencyName(n.agency, c.locale) ?? c.t('console:reports.notices.iocQueue'),
          codes: n.reportCodes,
          href: `/console/reports${filterQueryString({ ...emptyFilter(), overdue: true, agencies: [n.agency ?? NO_AGENCY] })}`,
        })),
      },
      { title: c.t('console:reports.notices.title') },
    );
  });

  /** The report page, with an optional refusal message and the values the user typed. */
  const detailPage = async (req: Request, res: Response, code: string, o: { error?: string | null; status?: number; values?: FormBody } = {}) => {
    const actor = requireActor(req);
    const c = fast(views.common(req));
    let detail: ReportDetail;
    try {
      detail = await d.queries.get(actor, code);
    } catch (err) {
      if (err instanceof DeskError && err.kind === 'not-found') return views.page(req, res, 'error', { message: c.t('console:reports.notFound'), back: '/console/reports' }, { title: c.t('console:errors.notFoundTitle'), status: 404 });
      throw err;
    }
    const report = detail.report;
    const done = typeof req.query.done === 'string' ? DONE_KEYS[req.query.done] : undefined;
    mapPagePolicy(res, d.mapTileUrl);
    views.page(
      req,
      res,
      'reports/detail',
      {
        r: row(c, report),
        report,
        detail,
        done: done ? c.t(done) : null,
        error: o.error ?? null,
        values: { note: '', internalNote: '', agency: report.agency ? '' : (report.proposedAgency ?? ''), duplicateOf: '', text: '', category: report.category, categoryNote: '', ...(o.values ?? {}) },
        facts: facts(c, report, detail.sla),
        photos: detail.photos.map(samePage),
        resultPhotos: detail.resultPhotos.map(samePage),
        history: detail.timeline.map((e) => historyLine(c, e, detail.actorNames)),
        nearby: detail.nearby.map((n) => ({ ...n, status: c.t(STATUS_KEYS[n.status]), createdAt: c.formatTime(n.createdAt), description: excerpt(n.description, 80) })),
        actions: availableActions(actor, report),
        canMarkDuplicate: availableActions(actor, report).includes('duplicate'),
        canEditCategory: mayEditCategory(actor) && categoryEditable(report.status),
        canNote: mayWriteNotes(actor),
        canRedact: actor.role === 'admin' || actor.role === 'operator',
        categories: d.categories.map((x) => ({ value: x.slug, label: x.title[c.locale] })),
        agencies: d.city.agencies.map((a) => ({ value: a.id, label: a.name[c.locale], proposed: a.id === report.proposedAgency })),
        canned: {
          resolved: detail.cannedReplies.resolved.map((x) => ({ id: x.id, title: x.title[c.locale], text: x.text[report.locale] })),
          rejected: detail.cannedReplies.rejected.map((x) => ({ id: x.id, title: x.title[c.locale], text: x.text[report.locale] })),
        },
        maxPhotos: MAX_FORM_PHOTOS,
        map: { lat: report.location.lat, lng: report.location.lng, tiles: d.mapTileUrl },
        wardIllustrative: report.ward !== null && !d.routing.areasAuthoritative,
      },
      { title: c.t('console:reports.detailTitle', { code: report.code }), status: o.status },
    );
  };

  /** Which transitions this actor may offer on this report: exactly what the lifecycle would accept. */
  const availableActions = (actor: StaffActor, report: StaffReport): ReportStatus[] =>
    REPORT_STATUSES.filter((to) => {
      const other = d.city.agencies.find((a) => a.id !== report.agency)?.id ?? null;
      const probe: TransitionRequest = { to, note: 'x', agency: other, duplicateOf: 'PA-PROBE', photoIds: [] };
      try {
        decideTransition(report, probe, actor, { now: d.clock.now(), reopenDays: d.reopenDays, agencies: policyAgencies }, { code: 'PA-PROBE' });
        return true;
      } catch (err) {
        return err instanceof LifecycleError && err.kind === 'invalid';
      }
    });

  const facts = (c: CommonViewData, report: StaffReport, sla: SlaState) => ({
    status: c.t(STATUS_KEYS[report.status]),
    statusClass: STATUS_CLASS[report.status],
    category: categoryTitle(report.category, c.locale),
    ward: report.ward ? `${wardName(report.ward)} (${report.ward})` : null,
    agency: agencyName(report.agency, c.locale),
    proposed: report.agency ? null : agencyName(report.proposedAgency, c.locale),
    createdAt: c.formatTime(report.createdAt),
    dueAt: c.formatTime(report.dueAt),
    updatedAt: c.formatTime(report.updatedAt),
    resolvedAt: report.resolvedAt ? c.formatTime(report.resolvedAt) : null,
    sla: slaText(c, sla),
    overdue: sla.overdue,
    channel: report.channel === 'zalo' ? 'Zalo' : report.channel === 'messenger' ? 'Messenger' : 'Open311',
    address: report.address,
    coordinates: `${report.location.lat.toFixed(5)}, ${report.location.lng.toFixed(5)}`,
    reopened: report.reopened,
    reopenCount: report.reopenCount,
    rating: report.rating,
    ratingComment: report.ratingComment,
    publicReply: report.publicReply,
    duplicateOf: report.duplicateOf,
  });

  const historyLine = (c: CommonViewData, e: TimelineEntry, names: ReadonlyMap<string, string>) => ({
    at: c.formatTime(e.at),
    actor: actorLabel(c, e.actor, names),
    kind: e.kind,
    from: e.from ? c.t(STATUS_KEYS[e.from]) : null,
    to: c.t(STATUS_KEYS[e.to]),
    note: e.note,
    internalNote: e.kind === 'category' ? null : e.internalNote,
    categoryChange: e.kind === 'category' ? c.t('console:reports.history.category', { from: categoryTitle(e.categoryFrom ?? '', c.locale), to: categoryTitle(e.categoryTo ?? '', c.locale) }) : null,
    categoryReason: e.kind === 'category' ? e.body : null,
  });

  r.get('/reports/:code', read, (req, res) => detailPage(req, res, String(req.params.code)));

  /** Runs a form action; refusals re-render the report page with the message and the right status. */
  const act = (fn: (req: Request, actor: StaffActor, code: string) => Promise<string>): RequestHandler => async (req, res) => {
    const code = String(req.params.code);
    const actor = requireActor(req);
    try {
      const done = await fn(req, actor, code);
      return res.redirect(303, `/console/reports/${encodeURIComponent(code)}?done=${done}`);
    } catch (err) {
      const t = views.t(req);
      if (err instanceof LifecycleError) {
        const status = err.kind === 'forbidden' ? 403 : err.kind === 'conflict' ? 409 : 422;
        return detailPage(req, res, code, { error: t(ERROR_KEYS[err.code] ?? 'console:reports.errors.generic'), status, values: formOf(req) });
      }
      if (err instanceof DeskError) {
        if (err.kind === 'not-found') return detailPage(req, res, code);
        return detailPage(req, res, code, { error: t(ERROR_KEYS[err.code] ?? 'console:reports.errors.generic'), status: DESK_STATUS[err.kind], values: formOf(req) });
      }
      throw err;
    }
  };

  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: d.photoMaxBytes, files: MAX_FORM_PHOTOS, fields: 20 } }).array('photos', MAX_FORM_PHOTOS);
  const parseForm: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const code = (err as { code?: string }).code;
      const deskCode = code === 'LIMIT_FILE_SIZE' ? 'photo.too-large' : code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE' ? 'lifecycle.too-many-photos' : null;
      if (deskCode === 'lifecycle.too-many-photos') return next(new LifecycleError('lifecycle.too-many-photos', `at most ${MAX_FORM_PHOTOS} result photos`));
      if (deskCode) return next(new DeskError('photo.too-large', 'the photo is too large'));
      return next(err);
    });
  };
  // Errors of the multipart parser reach the page like the use cases' refusals.
  const formErrors = (err: unknown, req: Request, res: Response, next: express.NextFunction) => {
    if (err instanceof LifecycleError || err instanceof DeskError) {
      const t = views.t(req);
      const status = err instanceof DeskError ? DESK_STATUS[err.kind] : 422;
      return void detailPage(req, res, String(req.params.code), { error: t(ERROR_KEYS[err.code] ?? 'console:reports.errors.generic'), status }).catch(next);
    }
    return next(err);
  };

  r.post(
    '/reports/:code/transitions',
    requireAnyCapability('reports.triage', 'reports.work'),
    parseForm,
    act(async (req, actor, code) => {
      const body = formOf(req);
      const to = field(body, 'to');
      if (!(REPORT_STATUSES as readonly string[]).includes(to)) throw new DeskError('report.bad-filter', 'unknown action');
      const request: TransitionRequest = {
        to: to as ReportStatus,
        note: field(body, 'note'),
        internalNote: field(body, 'internalNote'),
        agency: field(body, 'agency') || null,
        duplicateOf: field(body, 'duplicateOf') || null,
      };
      let photoIds: string[] = [];
      if (request.to === 'resolved') {
        const files = (req.files as Express.Multer.File[] | undefined) ?? [];
        // The reply is checked before photos are stored, so a refused form leaves nothing behind.
        if (!(request.note ?? '').trim()) throw new LifecycleError('lifecycle.reply-required', 'resolving needs a public reply');
        if (files.length === 0 && field(body, 'noPhoto') !== 'yes') throw new DeskError('report.photo-required', 'attach 1–5 result photos, or say there is none');
        const report = await d.queries.visible(actor, code);
        if (report.status === 'in_progress') {
          for (const f of files) photoIds.push((await d.actions.uploadPhoto(actor, f.buffer, originOf(req))).id);
        } else photoIds = [];
      }
      await d.actions.transition(actor, code, { ...request, photoIds }, originOf(req));
      return to;
    }),
    formErrors,
  );

  r.post(
    '/reports/:code/category',
    requireCapability('reports.triage'),
    act(async (req, actor, code) => {
      const body = formOf(req);
      await d.actions.editCategory(actor, code, field(body, 'category'), field(body, 'categoryNote'), originOf(req));
      return 'category';
    }),
  );

  r.post(
    '/reports/:code/notes',
    requireAnyCapability('reports.triage', 'reports.work'),
    act(async (req, actor, code) => {
      await d.actions.addNote(actor, code, field(formOf(req), 'text'), originOf(req));
      return 'note';
    }),
  );
}

const SORT_KEYS = {
  newest: 'console:reports.filter.sortNewest',
  oldest: 'console:reports.filter.sortOldest',
  due: 'console:reports.filter.sortDue',
  updated: 'console:reports.filter.sortUpdated',
} as const;

const FIELD_KEYS: Record<string, string> = {
  status: 'console:reports.filter.status',
  category: 'console:reports.filter.category',
  ward: 'console:reports.filter.ward',
  agency: 'console:reports.filter.agency',
  overdue: 'console:reports.filter.overdue',
  reopened: 'console:reports.filter.reopened',
  from: 'console:reports.filter.from',
  to: 'console:reports.filter.to',
  q: 'console:reports.filter.q',
  sort: 'console:reports.filter.sort',
  limit: 'console:reports.filter.title',
  cursor: 'console:reports.filter.title',
};

/**
 * The request's common view data with a memoised translator: i18next's `t` costs a fifth of a
 * millisecond per call, and a page of 50 reports asks for the same few labels hundreds of times.
 */
function fast(c: CommonViewData): CommonViewData {
  const cache = new Map<string, string>();
  const t: Translate = (key, vars) => {
    const k = vars ? `${key}\u0000${JSON.stringify(vars)}` : key;
    let v = cache.get(k);
    if (v === undefined) {
      v = c.t(key, vars);
      cache.set(k, v);
    }
    return v;
  };
  return { ...c, t };
}

/**
 * Photo links of a console page point at this server's `/media` (relative), whatever PUBLIC_URL
 * says: the console may be opened from another host name than the residents' links use.
 */
function samePage(p: PhotoView): PhotoView {
  const path = (u: string) => {
    try {
      return new URL(u).pathname;
    } catch {
      return u;
    }
  };
  return { ...p, url: path(p.url), thumbnailUrl: path(p.thumbnailUrl), ...(p.originalUrl ? { originalUrl: path(p.originalUrl) } : {}) };
}

function emptyFilter(): ReportFilter {
  return { statuses: [], categories: [], wards: [], agencies: [], overdue: false, reopened: false, from: null, to: null, q: null, sort: 'newest' };
}

function excerpt(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : s;
}

function actorLabel(c: CommonViewData, a: { kind: string; id: string }, names: ReadonlyMap<string, string>): string {
  switch (a.kind) {
    case 'resident':
      return c.t('console:reports.actors.resident');
    case 'system':
      return c.t('console:reports.actors.system');
    case 'staff':
      return names.get(`staff:${a.id}`) ?? c.t('console:reports.actors.staff', { id: a.id });
    case 'integration':
      return names.get(`integration:${a.id}`) ?? c.t('console:reports.actors.integration', { id: a.id });
    default:
      return a.kind;
  }
}

/** The console's CSV: headers and names in the user's language, times in the city's time zone. */
function labelledCsv(
  c: CommonViewData,
  d: ReportDeskDeps,
  n: { agencyName: (id: string | null, l: 'vi' | 'en') => string | null; wardName: (code: string | null) => string | null; categoryTitle: (slug: string, l: 'vi' | 'en') => string },
): CsvStyle {
  const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: d.city.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const time = (x: Date | null) => (x ? fmt.format(x) : null);
  const h = (k: string) => c.t(k);
  return {
    header: [
      h('console:reports.csv.code'), h('console:reports.csv.status'), h('console:reports.csv.category'), h('console:reports.csv.description'), h('console:reports.csv.address'),
      h('console:reports.csv.lat'), h('console:reports.csv.lng'), h('console:reports.csv.wardCode'), h('console:reports.csv.ward'), h('console:reports.csv.agency'), h('console:reports.csv.proposed'),
      h('console:reports.csv.createdAt'), h('console:reports.csv.dueAt'), h('console:reports.csv.updatedAt'), h('console:reports.csv.resolvedAt'), h('console:reports.csv.overdue'),
      h('console:reports.csv.lateHours'), h('console:reports.csv.reopenCount'), h('console:reports.csv.rating'),
    ],
    row: (r) => {
      const sla = slaState(r, d.clock.now());
      return [
        r.code, c.t(STATUS_KEYS[r.status]), n.categoryTitle(r.category, c.locale), r.description, r.address, r.location.lat, r.location.lng, r.ward, n.wardName(r.ward),
        n.agencyName(r.agency, c.locale), n.agencyName(r.proposedAgency, c.locale), time(r.createdAt), time(r.dueAt), time(r.updatedAt), time(r.resolvedAt),
        sla.overdue ? c.t('console:reports.csv.yes') : '', sla.lateMs === null ? null : Math.round(sla.lateMs / 360_000) / 10, r.reopenCount, r.rating,
      ];
    },
  };
}
