/**
 * Open311 GeoReport v2 at `/open311/v2` (http://wiki.open311.org/GeoReport_v2), with mySociety's
 * service request updates extension. Every resource answers `.json` and `.xml` (no extension: XML,
 * the required format).
 *
 * | method | resource | what |
 * |---|---|---|
 * | GET | `discovery` | endpoints, formats, contact |
 * | GET | `services` | the report categories (service_name in `locale` vi/en, description in the other) |
 * | GET | `services/{service_code}` | service definition: `attributes: []` (we ask none) |
 * | GET | `requests` | `service_request_id` (comma list; overrides the rest), `service_code` (comma list), `start_date`, `end_date` (w3), `status` (open, closed); default the last 90 days, at most 1,000, newest first |
 * | POST | `requests` | `api_key` (a console API key; or `Authorization: Bearer`), `service_code`, `lat`+`long` or `address_string`, `description`, `media_url`; `email`, `first_name`, `last_name`, `phone`, `device_id`, `account_id` are accepted and dropped |
 * | GET | `requests/{service_request_id}` | one-element list |
 * | GET | `tokens/{token}` | `[{service_request_id, token}]` |
 * | GET | `servicerequestupdates` | public changes (`start_date`, `end_date`, last 90 days by default) |
 * | POST | `servicerequestupdates` | an integration key posts `service_request_id`, `update_id`, `status`, `updated_datetime`, `description`, `media_url` (+ our `agency`, `duplicate_of`) |
 *
 * Errors are `[{"code", "description"}]` (`<errors><error>…`) with 400 (bad or missing field, a
 * refused change), 403 (api_key missing or invalid, or the key's role may not make that change) and
 * 404 (unknown resource, service_code, service_request_id, token or jurisdiction_id).
 *
 * Privacy: every request goes through `PublicReports` (redacted text, street and ward, rounded
 * point, redacted photos only, opt-out honoured). Submitters' personal fields are never stored,
 * echoed or logged.
 */
import express, { type Request, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Open311Intake } from '../../app/open311-intake';
import type { PublicReports, PublicReportView, PublicUpdateView } from '../../app/public-reports';
import type { CityProfile } from '../../domain/city-profile';
import { formatW3cDatetime, OPEN311_MAX_RESULTS, parseW3cDatetime, requestWindow } from '../../domain/public/open311';
import type { PublicFacts } from '../../domain/public/public-site-profile';
import type { Category } from '../../domain/reports/categories';
import { LifecycleError, OPEN_STATUSES, REPORT_STATUSES, type ReportStatus } from '../../domain/reports/lifecycle';
import { DomainError } from '../../domain/shared/errors';
import type { Locale } from '../../domain/shared/ids';
import type { StaffActor } from '../../domain/staff/actor';
import type { AuditLog } from '../../domain/staff/audit';
import type { Clock } from '../../domain/reports/ports';
import type { Logger } from '../../logger';
import { sendErrors, sendList, sendObject, type Doc, type Format } from './open311-format';

export interface Open311RouterDeps {
  readonly reports: Pick<PublicReports, 'open311' | 'updates' | 'updateById'>;
  readonly intake: Open311Intake;
  /** The actor of an API key (`pak_…`), or null when unknown or revoked. */
  readonly resolveApiKey: (raw: string) => Promise<StaffActor | null>;
  readonly tokenCode: (token: string) => Promise<string | null>;
  readonly audit: AuditLog;
  readonly city: CityProfile;
  readonly categories: readonly Category[];
  readonly facts: PublicFacts;
  readonly publicUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Requests per minute and client (default 300). */
  readonly perMinute?: number;
}

const CODE_RE = /^PA-[2-9A-HJ-NP-Z]{6,10}$/;
const MAX_TEXT = 4000;

class Open311Error extends Error {
  constructor(readonly status: 400 | 403 | 404, message: string) {
    super(message);
  }
}

/** `requests.json` → ['requests', 'json']; no extension → XML. */
function splitFormat(file: string): { name: string; fmt: Format | null } {
  const i = file.lastIndexOf('.');
  if (i < 0) return { name: file, fmt: 'xml' };
  const ext = file.slice(i + 1).toLowerCase();
  return { name: file.slice(0, i), fmt: ext === 'json' ? 'json' : ext === 'xml' ? 'xml' : null };
}

/** A parameter from the query or the form body, as one string (first of repeats). */
function param(req: Request, name: string): string | null {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const v = body[name] ?? (req.query as Record<string, unknown>)[name];
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'number') return String(first);
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : null;
}

function params(req: Request, name: string): string[] {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const v = body[name] ?? body[`${name}[]`] ?? (req.query as Record<string, unknown>)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
}

const commaList = (s: string | null): string[] => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);

export function open311Router(d: Open311RouterDeps): Router {
  const r = express.Router();
  const tz = d.city.timezone;
  const w3 = (x: Date | null) => (x ? formatW3cDatetime(x, tz) : null);
  const base = `${d.publicUrl}/open311/v2`;
  const categoryBySlug = new Map(d.categories.map((c) => [c.slug, c]));
  const agencyName = (id: string | null, locale: Locale) => (id ? d.city.agencies.find((a) => a.id === id)?.name[locale] ?? id : null);

  r.use(rateLimit({ windowMs: 60_000, limit: d.perMinute ?? 300, standardHeaders: 'draft-8', legacyHeaders: false, handler: (req, res) => sendErrors(res, formatOf(req), 429, 'too many requests; try again in a minute') }));
  r.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }), express.json({ limit: '64kb' }));

  const formatOf = (req: Request): Format => (splitFormat(String(req.params.file ?? req.path.split('/').pop() ?? '')).fmt ?? 'xml');
  const localeOf = (req: Request): Locale => (/^en/i.test(param(req, 'locale') ?? '') ? 'en' : 'vi');

  /** Runs a handler with the resource's format; Open311Error and domain errors become the specification's errors. */
  const handle = (names: readonly string[], fn: (req: Request, res: Response, fmt: Format, name: string) => Promise<void>) => async (req: Request, res: Response) => {
    const { name, fmt } = splitFormat(String(req.params.file));
    if (!fmt) return sendErrors(res, 'xml', 404, 'unknown format; use .json or .xml');
    if (!names.includes(name) && names.length > 0) return sendErrors(res, fmt, 404, 'no such resource');
    try {
      checkJurisdiction(req);
      await fn(req, res, fmt, name);
    } catch (err) {
      const [status, message] = describeError(err);
      if (status === 500) d.logger.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'Open311 request failed');
      sendErrors(res, fmt, status, message);
    }
  };

  function checkJurisdiction(req: Request): void {
    const j = param(req, 'jurisdiction_id');
    const known = d.facts.open311.jurisdictionIds;
    if (j !== null && known.length > 0 && !known.includes(j)) throw new Open311Error(404, `jurisdiction_id ${j} was not found`);
  }

  async function apiKeyActor(req: Request): Promise<StaffActor> {
    const header = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.get('authorization') ?? '')?.[1];
    const key = param(req, 'api_key') ?? header ?? null;
    if (!key) throw new Open311Error(403, 'api_key is missing');
    const actor = await d.resolveApiKey(key);
    if (!actor || actor.kind !== 'integration') throw new Open311Error(403, 'api_key is invalid or revoked');
    return actor;
  }

  function describeError(err: unknown): [400 | 403 | 404 | 500, string] {
    if (err instanceof Open311Error) return [err.status, err.message];
    if (err instanceof LifecycleError) return [err.kind === 'forbidden' ? 403 : 400, `${err.code}: ${err.message}`];
    if (err instanceof DomainError) {
      switch (err.code) {
        case 'report.unknown-category':
          return [404, 'service_code was not found'];
        case 'report.not-found':
          return [404, 'service_request_id was not found'];
        case 'report.outside-city':
          return [400, 'the location is outside the service area of the city'];
        case 'report.address-not-found':
          return [400, 'address_string could not be found in the city'];
        case 'report.location-required':
          return [400, 'lat and long, or address_string, are required'];
        case 'report.description-too-short':
          return [400, 'description is required (10 characters or more)'];
        case 'report.description-too-long':
          return [400, 'description is too long'];
        case 'open311.unsupported-status':
          return [400, err.message];
        default:
          if (err.code.startsWith('photo.')) return [400, `media_url could not be used (${err.code})`];
          return [400, err.code];
      }
    }
    const e = err as { type?: string };
    if (e.type === 'entity.parse.failed' || e.type === 'entity.too.large') return [400, 'the request body could not be read'];
    return [500, 'internal error'];
  }

  // ── Discovery and services ──
  r.get('/:file', handle(['discovery', 'services', 'requests', 'servicerequestupdates'], async (req, res, fmt, name) => {
    switch (name) {
      case 'discovery':
        return sendObject(res, fmt, 'discovery', {
          changeset: d.facts.open311.changeset,
          contact: d.facts.open311.contact,
          key_service: d.facts.open311.keyService,
          endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: d.facts.open311.changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
        });
      case 'services': {
        const locale = localeOf(req);
        const other: Locale = locale === 'vi' ? 'en' : 'vi';
        return sendList(res, fmt, 'services', 'service', d.categories.map((c) => ({
          service_code: c.slug,
          service_name: c.title[locale],
          description: c.title[other],
          metadata: false,
          type: 'realtime',
          keywords: c.phrases.join(', '),
          group: d.city.shortName[locale],
        })));
      }
      case 'requests':
        return getRequests(req, res, fmt);
      case 'servicerequestupdates':
        return getUpdates(req, res, fmt);
    }
  }));

  r.get('/:dir/:file', async (req, res, next) => {
    const dir = String(req.params.dir);
    const { name, fmt } = splitFormat(String(req.params.file));
    if (!fmt) return sendErrors(res, 'xml', 404, 'unknown format; use .json or .xml');
    try {
      checkJurisdiction(req);
      if (dir === 'services') {
        if (!categoryBySlug.has(name)) throw new Open311Error(404, `service_code ${name} was not found`);
        return sendObject(res, fmt, 'service_definition', { service_code: name, attributes: [] });
      }
      if (dir === 'requests') {
        const code = name.toUpperCase();
        const found = CODE_RE.test(code) ? await d.reports.open311({ codes: [code], start: new Date(0), end: d.clock.now(), limit: 1 }) : [];
        if (found.length === 0) throw new Open311Error(404, `service_request_id ${name} was not found`);
        return sendList(res, fmt, 'service_requests', 'request', found.map((v) => requestDoc(v, localeOf(req))));
      }
      if (dir === 'tokens') {
        const code = /^[A-Za-z0-9_-]{10,64}$/.test(name) ? await d.tokenCode(name) : null;
        if (!code) throw new Open311Error(404, `token ${name} was not found`);
        return sendList(res, fmt, 'service_requests', 'request', [{ service_request_id: code, token: name }]);
      }
      return next();
    } catch (err) {
      const [status, message] = describeError(err);
      if (status === 500) d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'Open311 request failed');
      return sendErrors(res, fmt, status, message);
    }
  });

  function requestDoc(v: PublicReportView, locale: Locale): Doc {
    const c = categoryBySlug.get(v.category);
    return {
      service_request_id: v.code,
      status: v.open311Status,
      status_notes: v.reply,
      service_name: c?.title[locale] ?? v.category,
      service_code: v.category,
      description: v.description,
      agency_responsible: agencyName(v.agency, locale),
      service_notice: null,
      requested_datetime: w3(v.createdAt),
      updated_datetime: w3(v.updatedAt),
      expected_datetime: w3(v.dueAt),
      address: v.place,
      address_id: null,
      zipcode: null,
      lat: v.lat,
      long: v.lng,
      media_url: v.photos[0]?.url ?? null,
    };
  }

  function dateParam(req: Request, name: string): Date | null {
    const raw = param(req, name);
    if (raw === null) return null;
    const d2 = parseW3cDatetime(raw, tz);
    if (!d2) throw new Open311Error(400, `${name} must be a w3 datetime such as 2026-03-01T00:00:00+07:00`);
    return d2;
  }

  function windowOf(req: Request): { start: Date; end: Date } {
    const w = requestWindow(dateParam(req, 'start_date'), dateParam(req, 'end_date'), d.clock.now());
    if ('problem' in w) throw new Open311Error(400, w.problem === 'range-too-long' ? 'start_date and end_date may not span more than 90 days' : 'start_date is after end_date');
    return w;
  }

  async function getRequests(req: Request, res: Response, fmt: Format): Promise<void> {
    const locale = localeOf(req);
    const ids = commaList(param(req, 'service_request_id'));
    let views: PublicReportView[];
    if (ids.length > 0) {
      // The specification: a list of ids overrides every other argument.
      const codes = ids.map((x) => x.toUpperCase()).filter((x) => CODE_RE.test(x));
      views = codes.length ? await d.reports.open311({ codes, start: new Date(0), end: d.clock.now(), limit: OPEN311_MAX_RESULTS }) : [];
    } else {
      const categories = commaList(param(req, 'service_code'));
      const unknown = categories.filter((c) => !categoryBySlug.has(c));
      if (unknown.length > 0) throw new Open311Error(404, `service_code ${unknown.join(',')} was not found`);
      const wanted = commaList(param(req, 'status')).map((s) => s.toLowerCase());
      if (wanted.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open, closed or both (comma separated)');
      const statuses: ReportStatus[] = [];
      if (wanted.includes('open')) statuses.push(...OPEN_STATUSES);
      if (wanted.includes('closed')) statuses.push(...REPORT_STATUSES.filter((s) => !OPEN_STATUSES.includes(s)));
      const { start, end } = windowOf(req);
      views = await d.reports.open311({ categories, statuses, start, end, limit: OPEN311_MAX_RESULTS });
    }
    sendList(res, fmt, 'service_requests', 'request', views.map((v) => requestDoc(v, locale)));
  }

  function updateDoc(u: PublicUpdateView): Doc {
    return {
      update_id: u.updateId,
      service_request_id: u.code,
      status: u.status,
      updated_datetime: w3(u.at),
      description: u.description,
      media_url: u.mediaUrl ?? '',
      external_status_code: u.reportStatus,
    };
  }

  async function getUpdates(req: Request, res: Response, fmt: Format): Promise<void> {
    const { start, end } = windowOf(req);
    const updates = await d.reports.updates(start, end);
    sendList(res, fmt, 'service_request_updates', 'request_update', updates.map(updateDoc));
  }

  // ── Writing ──
  r.post('/:file', handle(['requests', 'servicerequestupdates'], async (req, res, fmt, name) => {
    const actor = await apiKeyActor(req);
    if (name === 'requests') return postRequest(req, res, fmt, actor);
    return postUpdate(req, res, fmt, actor);
  }));

  async function postRequest(req: Request, res: Response, fmt: Format, actor: StaffActor): Promise<void> {
    const serviceCode = param(req, 'service_code');
    if (!serviceCode) throw new Open311Error(400, 'service_code is required');
    if (!categoryBySlug.has(serviceCode)) throw new Open311Error(404, `service_code ${serviceCode} was not found`);
    const lat = param(req, 'lat');
    const long = param(req, 'long');
    const addressString = param(req, 'address_string');
    let point: { lat: number; lng: number } | null = null;
    if (lat !== null || long !== null) {
      const la = Number(lat);
      const lo = Number(long);
      if (lat === null || long === null || !Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
        throw new Open311Error(400, 'lat and long must both be given, as WGS84 decimal degrees');
      }
      point = { lat: la, lng: lo };
    } else if (!addressString) {
      throw new Open311Error(400, param(req, 'address_id') ? 'address_id is not supported here; send lat and long, or address_string' : 'a location is required: lat and long, or address_string');
    }
    const description = param(req, 'description') ?? '';
    if ([...description].length > MAX_TEXT) throw new Open311Error(400, 'description is too long');
    const { report, token } = await d.intake.submit(actor, {
      serviceCode,
      point,
      addressString: addressString ? addressString.slice(0, 300) : null,
      description,
      mediaUrls: params(req, 'media_url').slice(0, 5),
      locale: localeOf(req),
    });
    await d.audit.record({ actor, action: 'open311.request', target: { kind: 'report', id: report.code }, details: { serviceCode, photos: report.photos.length } });
    d.logger.info({ code: report.code, apiKey: actor.id }, 'Open311 service request filed');
    const locale = localeOf(req);
    const due = report.dueAt ? formatW3cDatetime(report.dueAt, tz) : null;
    const notice = locale === 'en'
      ? `Received as ${report.code}.${due ? ` ${d.city.name.en} answers by ${due}.` : ''}`
      : `Đã tiếp nhận phản ánh ${report.code}.${due ? ` ${d.city.name.vi} trả lời trước ${due}.` : ''}`;
    sendList(res, fmt, 'service_requests', 'request', [{ service_request_id: report.code, service_notice: notice, account_id: null, token }]);
  }

  async function postUpdate(req: Request, res: Response, fmt: Format, actor: StaffActor): Promise<void> {
    const code = param(req, 'service_request_id');
    if (!code) throw new Open311Error(400, 'service_request_id is required');
    if (!CODE_RE.test(code.toUpperCase())) throw new Open311Error(404, `service_request_id ${code} was not found`);
    const updateId = param(req, 'update_id');
    if (!updateId || updateId.length > 200) throw new Open311Error(400, 'update_id is required (200 characters at most)');
    const status = param(req, 'status');
    if (!status) throw new Open311Error(400, 'status is required');
    const when = param(req, 'updated_datetime');
    if (!when || !parseW3cDatetime(when, tz)) throw new Open311Error(400, 'updated_datetime is required, as a w3 datetime');
    const description = param(req, 'description');
    if (description === null) throw new Open311Error(400, 'description is required');
    if ([...description].length > MAX_TEXT) throw new Open311Error(400, 'description is too long');
    const out = await d.intake.update(actor, {
      code: code.toUpperCase(),
      clientUpdateId: updateId,
      status,
      description,
      mediaUrls: params(req, 'media_url').slice(0, 5),
      agency: param(req, 'agency'),
      duplicateOf: param(req, 'duplicate_of'),
    });
    if (!out.repeated) {
      await d.audit.record({ actor, action: 'open311.update', target: { kind: 'report', id: code.toUpperCase() }, details: { status: status.toUpperCase(), eventId: out.eventId } });
    }
    sendList(res, fmt, 'service_request_updates', 'request_update', [{ update_id: out.eventId }]);
  }

  r.use((req, res) => sendErrors(res, splitFormat(req.path.split('/').pop() ?? '').fmt ?? 'xml', 404, 'no such resource'));
  return r;
}
