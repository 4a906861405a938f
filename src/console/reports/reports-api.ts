/**
 * `/api/staff/v1` for reports (same rules and roles as the console pages):
 *
 * - `GET /agencies` → `[{"id","name"}]` (the city profile's agencies; `name` in Vietnamese).
 * - `GET /reports` → `{"items": [report…], "nextCursor"}` with the list filters (`report-filter.ts`).
 * - `GET /reports.csv` → the same filter as CSV (UTF-8 with BOM).
 * - `GET /reports/:code` → one report (see `report-json.ts`).
 * - `POST /reports/:code/transitions` `{"to","note","internalNote","agency","duplicateOf","photoIds"}`
 *   → 200 with the report; 403 role, 404, 409 illegal transition, 422 missing reason, reply, agency…
 * - `POST /reports/:code/notes` `{"text"}` → 201 with the report (internal note, staff only).
 * - `POST /reports/:code/category` `{"category","note"?}` → 200 with the report (admin, operator).
 * - `POST /photos` (multipart field `photo`) → 201 `{"id"}` (photo pipeline: sniffed, pixel limit,
 *   metadata stripped), for `photoIds` of a resolution.
 *
 * Checks run in this order: 401 (no or bad credentials), 403 (role), 404, 409 (state), 422 (input).
 * Every route is rate limited per user or API key (STAFF_API_RATE_PER_MINUTE, then 429 with
 * `Retry-After`).
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { isReportStatus, type TransitionRequest } from '../../domain/reports/lifecycle';
import { DeskError } from '../../domain/reports/report-desk';
import { DomainError } from '../../domain/shared/errors';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import { ApiError } from '../api/api-errors';
import { jsonBody } from '../api/staff-api';
import { originOf } from '../pages/forms';
import { machineStyle, sendCsv } from './report-csv';
import { filterChoices, parseReportQuery } from './report-filter';
import { reportJson } from './report-json';
import { cityDay } from '../../app/remind-overdue';
import type { ReportDeskDeps } from './desk-deps';
import { requireAnyCapability } from './desk-guards';

const DESK_STATUS = { forbidden: 403, 'not-found': 404, conflict: 409, invalid: 422 } as const;

/** DeskError → ApiError; a missing report from the lifecycle → 404; anything else unchanged. */
export function toApiError(err: unknown): unknown {
  if (err instanceof DeskError) return new ApiError(DESK_STATUS[err.kind], err.code, err.message, err.fields);
  if (err instanceof DomainError && err.code === 'report.not-found') return new ApiError(404, err.code, err.message);
  return err;
}

const Transition = z
  .object({
    to: z.string(),
    note: z.string().nullable().optional(),
    internalNote: z.string().nullable().optional(),
    agency: z.string().nullable().optional(),
    duplicateOf: z.string().nullable().optional(),
    photoIds: z.array(z.string().max(100)).max(20).nullable().optional(),
  })
  .strip();

/** A transition body; 422 naming the fields that are not what they should be. */
export function parseTransition(body: unknown): TransitionRequest {
  const parsed = Transition.safeParse(body);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'body'), code: 'transition.invalid-field' }));
    throw new ApiError(422, 'transition.invalid', `the body must be {"to","note","internalNote","agency","duplicateOf","photoIds"}: check ${[...new Set(fields.map((f) => f.field))].join(', ')}`, fields);
  }
  const b = parsed.data;
  if (!isReportStatus(b.to)) throw new ApiError(422, 'transition.unknown-status', '"to" must be a status: received, assigned, in_progress, resolved, rejected, duplicate, closed', [{ field: 'to', code: 'transition.unknown-status' }]);
  return { to: b.to, note: b.note ?? null, internalNote: b.internalNote ?? null, agency: b.agency ?? null, duplicateOf: b.duplicateOf ?? null, photoIds: b.photoIds ?? [] };
}

/** The API routes; `limiter` is the desk's per-user rate limit (shared with the console's export). */
export function reportsApi(d: ReportDeskDeps, limiter: RequestHandler): express.Router {
  const r = express.Router();
  const read = [requireCapability('reports.read'), limiter];
  const act = [requireAnyCapability('reports.triage', 'reports.work'), limiter];
  const choices = () => filterChoices(d);

  const one = async (req: Request, code: string) => {
    const actor = requireActor(req);
    const report = await d.queries.visible(actor, code);
    const [x] = await d.queries.withHistory(actor, [report]);
    return reportJson(x!);
  };

  r.get('/agencies', ...read, (_req, res) => {
    res.json(d.city.agencies.map((a) => ({ id: a.id, name: a.name.vi })));
  });

  r.get('/reports', ...read, async (req, res) => {
    const actor = requireActor(req);
    const q = parseReportQuery(req.query as Record<string, unknown>, choices());
    const page = await d.queries.list(actor, q.filter, q.cursor, q.limit);
    const items = await d.queries.withHistory(actor, page.items);
    res.json({ items: items.map(reportJson), nextCursor: page.nextCursor });
  });

  r.get('/reports.csv', ...read, async (req, res) => {
    const actor = requireActor(req);
    const q = parseReportQuery(req.query as Record<string, unknown>, choices());
    await sendCsv(res, `reports-${cityDay(d.clock.now(), d.city.timezone)}.csv`, machineStyle(() => d.clock.now()), d.queries.exportBatches(actor, q.filter), (err) =>
      d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'CSV export failed midway'),
    );
  });

  r.get('/reports/:code', ...read, async (req, res) => {
    res.json(await one(req, String(req.params.code)));
  });

  r.post('/reports/:code/transitions', ...act, jsonBody(), async (req, res) => {
    const request = parseTransition(req.body);
    const actor = requireActor(req);
    await d.actions.transition(actor, String(req.params.code), request, originOf(req));
    res.status(200).json(await one(req, String(req.params.code)));
  });

  r.post('/reports/:code/notes', ...act, jsonBody(), async (req, res) => {
    const body = (req.body ?? {}) as { text?: unknown };
    await d.actions.addNote(requireActor(req), String(req.params.code), body.text, originOf(req));
    res.status(201).json(await one(req, String(req.params.code)));
  });

  r.post('/reports/:code/category', requireCapability('reports.triage'), limiter, jsonBody(), async (req, res) => {
    const body = (req.body ?? {}) as { category?: unknown; note?: unknown };
    await d.actions.editCategory(requireActor(req), String(req.params.code), body.category, body.note, originOf(req));
    res.status(200).json(await one(req, String(req.params.code)));
  });

  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: d.photoMaxBytes, files: 1, fields: 5, parts: 6 } }).single('photo');
  const parseUpload: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const code = (err as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') return next(new DeskError('photo.too-large', `the photo is larger than ${d.photoMaxBytes} bytes`, [{ field: 'photo', code: 'photo.too-large' }]));
      if (typeof code === 'string' && code.startsWith('LIMIT_')) return next(new DeskError('photo.missing', 'send one photo as the multipart field "photo"', [{ field: 'photo', code: 'photo.missing' }]));
      return next(new ApiError(400, 'request.malformed-multipart', 'the multipart body could not be read'));
    });
  };
  r.post('/photos', requireCapability('reports.work'), limiter, parseUpload, async (req, res) => {
    const out = await d.actions.uploadPhoto(requireActor(req), req.file?.buffer, originOf(req));
    res.status(201).json(out);
  });

  r.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => next(toApiError(err)));
  return r;
}
