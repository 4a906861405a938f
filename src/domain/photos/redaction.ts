/**
 * Photo redaction: which regions of a stored photo are pixelated before anyone outside the staff
 * sees it. Pure rules: boxes, their validation, the margin and block size of the pixelation, how
 * detected faces merge, and which boxes count.
 *
 * A stored photo (its content key, the "original") goes through three states:
 *
 * | status     | meaning                                                         | public copy            |
 * |------------|-----------------------------------------------------------------|------------------------|
 * | `pending`  | the face detector has not run yet                               | none: not public yet   |
 * | `auto`     | the detector ran; its face boxes are pixelated                  | the automatic boxes    |
 * | `reviewed` | staff saved their boxes (plates, house numbers, missed faces…)  | the staff boxes        |
 *
 * The public copy exists only once detection has run ({@link isPublishable}), even when staff saved
 * boxes before it: a face the detector finds after a review is added to the staff boxes (see
 * {@link boxesAfterDetection}), because no person has looked at it yet. A box staff deleted after
 * seeing it stays deleted.
 *
 * Coordinates are pixels of the stored photo (at most 1600 px on the long side), origin top left.
 */

/** A rectangle in pixels of the stored photo. */
export interface RedactionBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A face found by the detector, with its confidence (0..1). */
export interface DetectedFace extends RedactionBox {
  readonly score: number;
}

export const REDACTION_STATUSES = ['pending', 'auto', 'reviewed'] as const;
export type RedactionStatus = (typeof REDACTION_STATUSES)[number];

/** At most this many boxes per photo (a crowd is better blurred as one box). */
export const MAX_BOXES = 50;
/** Smallest side of a box, in pixels: anything smaller hides nothing and is a slip of the mouse. */
export const MIN_BOX_SIDE = 4;

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/** Why a list of boxes was refused; `index` is the box's position (null: the list itself). */
export type BoxProblemCode =
  | 'redaction.not-a-list'
  | 'redaction.too-many-boxes'
  | 'redaction.not-a-box'
  | 'redaction.outside-image'
  | 'redaction.too-small';

export interface BoxProblem {
  readonly index: number | null;
  readonly code: BoxProblemCode;
}

export type BoxCheck = { readonly ok: true; readonly boxes: readonly RedactionBox[] } | { readonly ok: false; readonly problems: readonly BoxProblem[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks boxes sent by staff (`[{x, y, w, h}]` in pixels of the stored photo) and returns them as
 * whole pixels, each widened to the pixel grid (floor of the start, ceiling of the end) so rounding
 * never uncovers anything. A box must lie inside the image (a sub-pixel overhang from rounding in a
 * browser is clamped, not refused), have sides of at least {@link MIN_BOX_SIDE} px, and there may
 * be at most {@link MAX_BOXES}. Every problem is reported, not only the first.
 */
export function checkBoxes(input: unknown, size: ImageSize): BoxCheck {
  if (!Array.isArray(input)) return { ok: false, problems: [{ index: null, code: 'redaction.not-a-list' }] };
  if (input.length > MAX_BOXES) return { ok: false, problems: [{ index: null, code: 'redaction.too-many-boxes' }] };
  const problems: BoxProblem[] = [];
  const boxes: RedactionBox[] = [];
  input.forEach((raw, index) => {
    if (!isRecord(raw) || !isFiniteNumber(raw.x) || !isFiniteNumber(raw.y) || !isFiniteNumber(raw.w) || !isFiniteNumber(raw.h)) {
      problems.push({ index, code: 'redaction.not-a-box' });
      return;
    }
    const { x, y, w, h } = raw;
    // Half a pixel of slack: browsers compute coordinates in floating point.
    if (w <= 0 || h <= 0 || x < -0.5 || y < -0.5 || x + w > size.width + 0.5 || y + h > size.height + 0.5) {
      problems.push({ index, code: 'redaction.outside-image' });
      return;
    }
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(size.width, Math.ceil(x + w));
    const y1 = Math.min(size.height, Math.ceil(y + h));
    if (x1 - x0 < MIN_BOX_SIDE || y1 - y0 < MIN_BOX_SIDE) {
      problems.push({ index, code: 'redaction.too-small' });
      return;
    }
    boxes.push({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, boxes };
}

/**
 * The region actually pixelated for a box: the box plus a margin on every side of 15% of its longer
 * side (at least 4 px), clipped to the image. Detectors draw tight boxes (brow to chin) and people
 * draw hasty ones; the margin takes in hair, ears and the edge of a plate.
 */
export function pixelationRegion(box: RedactionBox, size: ImageSize): RedactionBox {
  const margin = Math.max(4, Math.round(0.15 * Math.max(box.w, box.h)));
  const x0 = Math.max(0, box.x - margin);
  const y0 = Math.max(0, box.y - margin);
  const x1 = Math.min(size.width, box.x + box.w + margin);
  const y1 = Math.min(size.height, box.y + box.h + margin);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/** Blocks across the longer side of a region: few enough that no face or plate character survives. */
export const BLOCKS_ACROSS = 6;
/** The smallest block, in pixels. */
export const MIN_BLOCK = 6;

/** Side of the square blocks a region is pixelated with. */
export function blockSize(region: RedactionBox): number {
  return Math.max(MIN_BLOCK, Math.ceil(Math.max(region.w, region.h) / BLOCKS_ACROSS));
}

const area = (b: RedactionBox) => b.w * b.h;

function intersection(a: RedactionBox, b: RedactionBox): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Share of `inner`'s area that `outer` covers (0..1). */
export function coverage(inner: RedactionBox, outer: RedactionBox): number {
  const a = area(inner);
  return a > 0 ? intersection(inner, outer) / a : 0;
}

/** Whether two boxes are one face seen twice: they overlap by half of the smaller one. */
function sameFace(a: RedactionBox, b: RedactionBox): boolean {
  return intersection(a, b) >= 0.5 * Math.min(area(a), area(b));
}

const union = (a: DetectedFace, b: DetectedFace): DetectedFace => {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y, score: Math.max(a.score, b.score) };
};

/**
 * One box per face from detections that see faces more than once (the whole image and overlapping
 * tiles): boxes that overlap by half of the smaller are replaced by their union (the larger cover
 * is the safer one), keeping the best score. Highest scores first; at most {@link MAX_BOXES}.
 */
export function mergeDetections(faces: readonly DetectedFace[]): DetectedFace[] {
  let merged = [...faces].sort((a, b) => b.score - a.score);
  for (let changed = true; changed; ) {
    changed = false;
    const out: DetectedFace[] = [];
    for (const f of merged) {
      const i = out.findIndex((o) => sameFace(o, f));
      if (i >= 0) {
        out[i] = union(out[i]!, f);
        changed = true;
      } else out.push(f);
    }
    merged = out;
  }
  return merged.slice(0, MAX_BOXES);
}

/** Whole pixels inside the image (detectors answer in floating point, sometimes past the edge). */
export function snapToImage(face: DetectedFace, size: ImageSize): DetectedFace | null {
  const x0 = Math.max(0, Math.floor(face.x));
  const y0 = Math.max(0, Math.floor(face.y));
  const x1 = Math.min(size.width, Math.ceil(face.x + face.w));
  const y1 = Math.min(size.height, Math.ceil(face.y + face.h));
  if (x1 - x0 < MIN_BOX_SIDE || y1 - y0 < MIN_BOX_SIDE) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0, score: Math.round(face.score * 1000) / 1000 };
}

/** What the redaction of one photo holds (storage shape, without history). */
export interface RedactionState {
  readonly status: RedactionStatus;
  readonly autoBoxes: readonly DetectedFace[];
  /** Null until staff save boxes (and again after a reset to the automatic boxes). */
  readonly staffBoxes: readonly RedactionBox[] | null;
  readonly detectedAt: Date | null;
}

/** The boxes the public copy pixelates. */
export function effectiveBoxes(s: Pick<RedactionState, 'status' | 'autoBoxes' | 'staffBoxes'>): RedactionBox[] {
  const boxes = s.status === 'reviewed' && s.staffBoxes ? s.staffBoxes : s.autoBoxes;
  return boxes.map(({ x, y, w, h }) => ({ x, y, w, h }));
}

/** Whether a public copy may be shown: only once the detector has run. */
export function isPublishable(s: Pick<RedactionState, 'detectedAt'>): boolean {
  return s.detectedAt !== null;
}

/**
 * The state after the detector ran. Not reviewed: the automatic boxes. Reviewed before the
 * detector ran: the staff boxes plus every detected face they do not already cover (by half), since
 * no person has seen those. Reviewed after an earlier detection (a rerun): the staff boxes as they are.
 */
export function boxesAfterDetection(current: RedactionState, faces: readonly DetectedFace[]): { status: RedactionStatus; staffBoxes: readonly RedactionBox[] | null } {
  if (current.status !== 'reviewed' || current.staffBoxes === null) return { status: 'auto', staffBoxes: null };
  if (current.detectedAt !== null) return { status: 'reviewed', staffBoxes: current.staffBoxes };
  const added = faces.filter((f) => !current.staffBoxes!.some((s) => coverage(f, s) >= 0.5)).map(({ x, y, w, h }) => ({ x, y, w, h }));
  return { status: 'reviewed', staffBoxes: [...current.staffBoxes, ...added].slice(0, MAX_BOXES) };
}
