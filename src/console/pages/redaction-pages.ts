/**
 * The redaction page of a report photo, `/console/reports/:code/photos/:key/redact` (admins,
 * operators, agency users for their reports): the original with the boxes that will be pixelated
 * (automatic faces first), drawn, moved, resized and deleted with a mouse, a finger or the keyboard
 * (`/console/static/redaction.js`, no inline script), a preview, save (a plain form with the CSRF
 * field) and reset to the automatic boxes. Each save makes a new public copy and is audited.
 *
 * `/console/media/:key` serves originals to staff who may read a report holding the photo (never the
 * communications role, whose work goes public); the public only ever gets `/media/<redacted key>`.
 */
import type { Request, Response, Router } from 'express';
import type { PhotoRedaction, StaffRedactionView } from '../../app/photo-redaction';
import { RedactionError } from '../../app/photo-redaction';
import type { BoxProblem, RedactionBox } from '../../domain/photos/redaction';
import { BLOCKS_ACROSS, MAX_BOXES, MIN_BLOCK, MIN_BOX_SIDE } from '../../domain/photos/redaction';
import type { PhotoReader } from '../../domain/photos/ports';
import type { Translate } from '../../i18n';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import type { ConsoleViews } from '../render';
import { field, formOf, originOf } from './forms';

export interface RedactionPagesDeps {
  readonly views: ConsoleViews;
  readonly redaction: PhotoRedaction;
  readonly images: PhotoReader;
}

const CODE_RE = /^PA-[2-9A-HJ-NP-Z]{6,10}$/;
const KEY_RE = /^[a-f0-9]{64}\.(jpg|webp)$/;

const PROBLEM_KEYS: Record<BoxProblem['code'], string> = {
  'redaction.not-a-list': 'console:redaction.problems.notAList',
  'redaction.too-many-boxes': 'console:redaction.problems.tooMany',
  'redaction.not-a-box': 'console:redaction.problems.notABox',
  'redaction.outside-image': 'console:redaction.problems.outside',
  'redaction.too-small': 'console:redaction.problems.tooSmall',
};

const STATUS_KEYS = { pending: 'console:redaction.status.pending', auto: 'console:redaction.status.auto', reviewed: 'console:redaction.status.reviewed' } as const;
const ACTION_KEYS = { detected: 'console:redaction.history.detected', saved: 'console:redaction.history.saved', reset: 'console:redaction.history.reset' } as const;

/** The page's path for a report and photo. */
export const redactionPath = (code: string, key: string) => `/console/reports/${code}/photos/${key}/redact`;

const sameBox = (a: RedactionBox, b: RedactionBox) => a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

function whoText(t: Translate, actor: { kind: string; id: string | null }): string {
  if (actor.kind === 'staff') return t('console:redaction.who.staff', { id: actor.id ?? '?' });
  if (actor.kind === 'integration') return t('console:redaction.who.integration', { id: actor.id ?? '?' });
  return t('console:redaction.who.system');
}

export function redactionPages(r: Router, d: RedactionPagesDeps): void {
  const guard = requireCapability('reports.work');

  const errorPage = (req: Request, res: Response, err: RedactionError) => {
    const t = d.views.t(req);
    const status = err.kind === 'forbidden' ? 403 : err.kind === 'not-found' ? 404 : err.kind === 'conflict' ? 409 : 422;
    const message =
      err.code === 'redaction.not-your-report' ? t('console:redaction.notYourReport') : err.kind === 'forbidden' ? t('console:errors.forbidden') : err.kind === 'not-found' ? t('console:errors.notFound') : err.message;
    const title = status === 403 ? t('console:errors.forbiddenTitle') : status === 404 ? t('console:errors.notFoundTitle') : t('console:errors.refusedTitle');
    d.views.page(req, res, 'error', { message }, { title, status });
  };

  const params = (req: Request): { code: string; key: string } | null => {
    const code = String(req.params.code ?? '').toUpperCase();
    const key = String(req.params.key ?? '');
    return CODE_RE.test(code) && KEY_RE.test(key) ? { code, key } : null;
  };

  const notFound = (req: Request, res: Response) => errorPage(req, res, new RedactionError('redaction.photo-not-found', 'not found'));

  const editPage = (req: Request, res: Response, code: string, v: StaffRedactionView, o: { problems?: readonly BoxProblem[]; error?: string | null; notice?: string | null; status?: number; draft?: unknown } = {}) => {
    const t = d.views.t(req);
    const auto = v.status === 'auto';
    // Each box knows whether it is one the detector found (shown differently, with its score).
    const boxes = v.boxes.map((b) => {
      const face = v.autoBoxes.find((a) => sameBox(a, b));
      return { x: b.x, y: b.y, w: b.w, h: b.h, auto: auto || face !== undefined, score: face ? face.score : null };
    });
    const labels = {
      box: t('console:redaction.js.box', { n: '{n}' }),
      autoBox: t('console:redaction.js.autoBox', { n: '{n}', score: '{score}' }),
      count: t('console:redaction.js.count', { count: '{count}' }),
      none: t('console:redaction.js.none'),
      remove: t('console:redaction.js.remove'),
      unsaved: t('console:redaction.js.unsaved'),
      tooMany: t('console:redaction.js.tooMany', { max: MAX_BOXES }),
      previewOn: t('console:redaction.preview'),
      previewOff: t('console:redaction.previewOff'),
      size: t('console:redaction.js.size', { x: '{x}', y: '{y}', w: '{w}', h: '{h}' }),
    };
    const publicUrl = v.publicCopy ? `/media/${v.publicCopy.key}` : null;
    d.views.page(
      req,
      res,
      'redaction/edit',
      {
        code,
        key: v.key,
        action: redactionPath(code, v.key),
        originalUrl: `/console/media/${v.key}`,
        publicUrl,
        width: v.size.width,
        height: v.size.height,
        statusText: t(STATUS_KEYS[v.status]),
        statusClass: v.status === 'pending' ? 'badge-bad' : v.status === 'reviewed' ? 'badge-ok' : '',
        pending: v.detectedAt === null,
        detector: v.detector,
        detectedAt: v.detectedAt,
        autoCount: v.autoBoxes.length,
        revision: v.revision,
        reports: v.reports.map((x) => x.code),
        // The editor's state and its words, read by redaction.js from data attributes (CSP: no inline script).
        boxesJson: JSON.stringify(o.draft ?? boxes),
        labelsJson: JSON.stringify(labels),
        rulesJson: JSON.stringify({ maxBoxes: MAX_BOXES, minSide: MIN_BOX_SIDE, blocksAcross: BLOCKS_ACROSS, minBlock: MIN_BLOCK }),
        history: v.history.map((e) => ({ at: e.at, action: t(ACTION_KEYS[e.action]), who: whoText(t, e.actor), boxes: e.boxes.length })),
        problems: (o.problems ?? []).map((p) => (p.index === null ? t(PROBLEM_KEYS[p.code]) : t('console:redaction.problems.box', { n: p.index + 1, problem: t(PROBLEM_KEYS[p.code]) }))),
        error: o.error ?? null,
        notice: o.notice ?? null,
      },
      { title: t('console:redaction.title', { code }), status: o.status },
    );
  };

  r.get('/reports/:code/photos/:key/redact', guard, async (req, res) => {
    const p = params(req);
    if (!p) return notFound(req, res);
    try {
      const v = await d.redaction.forStaff(p.key, requireActor(req), { reportCode: p.code });
      const t = d.views.t(req);
      const notice = req.query.saved === '1' ? t('console:redaction.saved') : req.query.reset === '1' ? t('console:redaction.wasReset') : null;
      return editPage(req, res, p.code, v, { notice });
    } catch (err: unknown) {
      if (err instanceof RedactionError) return errorPage(req, res, err);
      throw err;
    }
  });

  r.post('/reports/:code/photos/:key/redact', guard, async (req, res) => {
    const p = params(req);
    if (!p) return notFound(req, res);
    const body = formOf(req);
    const actor = requireActor(req);
    const revision = Number(field(body, 'revision'));
    let boxes: unknown;
    try {
      boxes = JSON.parse(field(body, 'boxes') || 'null');
    } catch {
      boxes = null; // refused below as "not a list", after the access checks
    }
    try {
      await d.redaction.save(p.key, boxes, actor, { reportCode: p.code, expectedRevision: Number.isInteger(revision) ? revision : undefined, ...originOf(req) });
      return res.redirect(303, `${redactionPath(p.code, p.key)}?saved=1`);
    } catch (err: unknown) {
      if (!(err instanceof RedactionError) || (err.kind !== 'invalid' && err.kind !== 'conflict')) {
        if (err instanceof RedactionError) return errorPage(req, res, err);
        throw err;
      }
      // Show the page again with what was refused (the drawing kept when it was readable).
      const v = await d.redaction.forStaff(p.key, actor, { reportCode: p.code });
      const t = d.views.t(req);
      if (err.kind === 'conflict') return editPage(req, res, p.code, v, { error: t('console:redaction.stale'), status: 409 });
      return editPage(req, res, p.code, v, { problems: err.problems, status: 422, draft: Array.isArray(boxes) ? boxes : undefined });
    }
  });

  r.post('/reports/:code/photos/:key/redact/reset', guard, async (req, res) => {
    const p = params(req);
    if (!p) return notFound(req, res);
    const revision = Number(field(formOf(req), 'revision'));
    try {
      await d.redaction.reset(p.key, requireActor(req), { reportCode: p.code, expectedRevision: Number.isInteger(revision) ? revision : undefined, ...originOf(req) });
      return res.redirect(303, `${redactionPath(p.code, p.key)}?reset=1`);
    } catch (err: unknown) {
      if (!(err instanceof RedactionError)) throw err;
      if (err.kind !== 'conflict') return errorPage(req, res, err);
      const v = await d.redaction.forStaff(p.key, requireActor(req), { reportCode: p.code });
      return editPage(req, res, p.code, v, { error: d.views.t(req)('console:redaction.stale'), status: 409 });
    }
  });

  // Originals, for staff only (not cached anywhere: the console answers no-store).
  r.get('/media/:key', requireCapability('reports.read'), async (req, res) => {
    const key = String(req.params.key);
    if (!KEY_RE.test(key)) return notFound(req, res);
    const access = await d.redaction.originalAccess(key, requireActor(req));
    if (access === 'not-found') return notFound(req, res);
    if (access === 'forbidden') return errorPage(req, res, new RedactionError('redaction.not-your-report', 'not allowed'));
    const img = await d.images.get(key);
    if (!img) return notFound(req, res);
    return res.type(img.contentType).send(img.data);
  });
}
