/**
 * Photo redaction for the IOC's systems, in `/api/staff/v1` (admins, operators; agency keys and
 * users for photos of their reports):
 *
 * - `GET /photos/:key/redaction` → the boxes of the public copy and where they came from.
 * - `PUT /photos/:key/redaction` `{"boxes": [{"x","y","w","h"}], "revision"?}` → saves the boxes
 *   (pixels of the stored photo; inside the image, sides ≥ 4 px, at most 50) and makes the new
 *   public copy; `revision` (from a GET) refuses a save over a newer one with 409.
 * - `POST /photos/:key/redaction/reset` `{"revision"?}` → back to the automatic face boxes.
 *
 * Answers, first that applies: 401, 403 (role), 400 (malformed JSON), 404 (no such photo),
 * 403 `redaction.not-your-report` (agency scope), 409 `redaction.stale`, 422 `redaction.invalid-boxes`
 * with `fields` naming each refused box (`boxes[2]`, code).
 */
import type { Request, Router } from 'express';
import type { PhotoRedaction, StaffRedactionView } from '../../app/photo-redaction';
import { RedactionError } from '../../app/photo-redaction';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import { originOf } from '../pages/forms';
import { ApiError } from './api-errors';
import { jsonBody } from './staff-api';

export interface RedactionApiDeps {
  readonly redaction: PhotoRedaction;
  /** Absolute public URL of a stored key (`PUBLIC_URL/media/<key>`). */
  readonly mediaUrl: (key: string) => string;
}

const KEY_RE = /^[a-f0-9]{64}\.(jpg|webp)$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toApiError(err: unknown): unknown {
  if (!(err instanceof RedactionError)) return err;
  const status = err.kind === 'forbidden' ? 403 : err.kind === 'not-found' ? 404 : err.kind === 'conflict' ? 409 : 422;
  const fields = err.problems.map((p) => ({ field: p.index === null ? 'boxes' : `boxes[${p.index}]`, code: p.code }));
  return new ApiError(status, err.code, err.message, fields);
}

/** The JSON of a redaction. */
export function redactionJson(v: StaffRedactionView, mediaUrl: (key: string) => string) {
  const box = ({ x, y, w, h }: { x: number; y: number; w: number; h: number }) => ({ x, y, w, h });
  return {
    key: v.key,
    width: v.size.width,
    height: v.size.height,
    status: v.status,
    boxes: v.boxes.map(box),
    automatic: { detector: v.detector, detectedAt: v.detectedAt?.toISOString() ?? null, boxes: v.autoBoxes.map((b) => ({ ...box(b), score: b.score })) },
    staff: { boxes: v.staffBoxes?.map(box) ?? null, reviewedAt: v.reviewedAt?.toISOString() ?? null, reviewedBy: v.reviewedBy },
    revision: v.revision,
    public: v.publicCopy ? { url: mediaUrl(v.publicCopy.key), thumbnailUrl: mediaUrl(v.publicCopy.thumbKey) } : null,
    reports: v.reports.map((r) => r.code),
    history: v.history.map((e) => ({ at: e.at.toISOString(), action: e.action, actor: e.actor, boxes: e.boxes.length, revision: e.revision })),
  };
}

export function redactionApi(r: Router, d: RedactionApiDeps): void {
  const guard = requireCapability('reports.work');
  const keyOf = (req: Request): string => {
    const key = String(req.params.key);
    if (!KEY_RE.test(key)) throw new ApiError(404, 'redaction.photo-not-found', 'there is no stored photo with this key');
    return key;
  };
  /** `revision`, checked after the photo was found (so 404 and 403 come first). */
  const revisionOf = async (req: Request, key: string, body: Record<string, unknown>): Promise<number | undefined> => {
    const v = body.revision;
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    await d.redaction.forStaff(key, requireActor(req));
    throw new ApiError(422, 'request.invalid', 'revision must be a whole number from a GET of this redaction', [{ field: 'revision', code: 'revision.invalid' }]);
  };

  r.get('/photos/:key/redaction', guard, async (req, res) => {
    try {
      const key = keyOf(req);
      res.json(redactionJson(await d.redaction.forStaff(key, requireActor(req)), d.mediaUrl));
    } catch (err: unknown) {
      throw toApiError(err);
    }
  });

  r.put('/photos/:key/redaction', guard, jsonBody(), async (req, res) => {
    try {
      const key = keyOf(req);
      const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
      const expectedRevision = await revisionOf(req, key, body);
      const v = await d.redaction.save(key, body.boxes, requireActor(req), { expectedRevision, ...originOf(req) });
      res.json(redactionJson(v, d.mediaUrl));
    } catch (err: unknown) {
      throw toApiError(err);
    }
  });

  r.post('/photos/:key/redaction/reset', guard, jsonBody(), async (req, res) => {
    try {
      const key = keyOf(req);
      const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
      const expectedRevision = await revisionOf(req, key, body);
      res.json(redactionJson(await d.redaction.reset(key, requireActor(req), { expectedRevision, ...originOf(req) }), d.mediaUrl));
    } catch (err: unknown) {
      throw toApiError(err);
    }
  });
}
