/**
 * Photo redaction: what the public sees of a stored photo.
 *
 * 1. A photo is stored (a resident's, or a staff result photo): it is recorded as `pending` and a
 *    `photo-redaction` job is queued ({@link PhotoRedaction.photoStored}). Never on the webhook path.
 * 2. The job finds the faces and makes the public copy with them pixelated ({@link PhotoRedaction.detect}).
 * 3. Staff may then draw their own boxes (plates, house numbers, a missed face), or go back to the
 *    automatic ones; each save makes a new public copy, is kept in the history and audited.
 *
 * **Every public surface** (public status API, public page, Open311, broadcasts) shows a photo only
 * through {@link PhotoRedaction.publicPhotoKey} / {@link PhotoRedaction.publicThumbKey} /
 * {@link PhotoRedaction.publicPhotos}: they answer the key of the redacted copy, or **null while
 * the detector has not run** — such a photo is not public yet and must be left out. The original
 * key is for staff only (`/console/media/:key`).
 */
import { checkBoxes, effectiveBoxes, boxesAfterDetection, type BoxProblem, type DetectedFace, type ImageSize, type RedactionBox, type RedactionStatus } from '../domain/photos/redaction';
import type {
  FaceDetector,
  PhotoOwner,
  PhotoReader,
  PhotoRedactionRecord,
  PhotoRedactionsRepo,
  PhotoStoredListener,
  PublicPhoto,
  RedactionEvent,
  RedactionRenderer,
} from '../domain/photos/ports';
import { DomainError } from '../domain/shared/errors';
import { systemActor, type StaffActor } from '../domain/staff/actor';
import { can, maySeeReport } from '../domain/staff/permissions';
import type { JobSender } from '../jobs/job-queue';
import { photoRedaction } from '../jobs/queues';

export type RedactionErrorCode =
  | 'redaction.forbidden'
  | 'redaction.photo-not-found'
  | 'redaction.not-your-report'
  | 'redaction.stale'
  | 'redaction.invalid-boxes';

export type RedactionErrorKind = 'forbidden' | 'not-found' | 'conflict' | 'invalid';

const KIND: Record<RedactionErrorCode, RedactionErrorKind> = {
  'redaction.forbidden': 'forbidden',
  'redaction.photo-not-found': 'not-found',
  'redaction.not-your-report': 'forbidden',
  'redaction.stale': 'conflict',
  'redaction.invalid-boxes': 'invalid',
};

/**
 * A refused redaction request. `kind` in the order the API checks: the role (forbidden), the photo
 * (not-found), the report's scope (forbidden), the state (conflict: someone saved in between), the
 * boxes (invalid, with `problems`).
 */
export class RedactionError extends DomainError {
  readonly kind: RedactionErrorKind;
  constructor(readonly code: RedactionErrorCode, message: string, readonly problems: readonly BoxProblem[] = []) {
    super(code, message);
    this.name = 'RedactionError';
    this.kind = KIND[code];
  }
}

/** What staff see of a photo's redaction. */
export interface StaffRedactionView {
  readonly key: string;
  readonly size: ImageSize;
  readonly status: RedactionStatus;
  /** The boxes of the public copy. */
  readonly boxes: readonly RedactionBox[];
  readonly autoBoxes: readonly DetectedFace[];
  readonly staffBoxes: readonly RedactionBox[] | null;
  readonly detector: string | null;
  readonly detectedAt: Date | null;
  readonly reviewedBy: PhotoRedactionRecord['reviewedBy'];
  readonly reviewedAt: Date | null;
  readonly revision: number;
  /** The public copy, once the detector has run (null: not public yet). */
  readonly publicCopy: PublicPhoto | null;
  /** Reports holding the photo that this user may see. */
  readonly reports: readonly PhotoOwner[];
  readonly history: readonly RedactionEvent[];
}

export interface PhotoRedactionDeps {
  readonly repo: PhotoRedactionsRepo;
  readonly detector: FaceDetector;
  readonly renderer: RedactionRenderer;
  readonly images: PhotoReader;
  readonly jobs: JobSender;
}

/** Options of a staff change. */
export interface StaffChangeOptions {
  /** The revision the editor started from: a save over someone else's newer one is refused (409). */
  readonly expectedRevision?: number;
  /** The report the editor came from: the photo must belong to it. */
  readonly reportCode?: string;
  readonly ip?: string | null;
}

/** How often a change is recomputed when staff and the detector write at the same moment. */
const RACE_ATTEMPTS = 3;

export class PhotoRedaction implements PhotoStoredListener {
  constructor(private readonly d: PhotoRedactionDeps) {}

  /** A photo was stored: it is pending until the detector job has run. Idempotent per key. */
  async photoStored(key: string, size: ImageSize): Promise<void> {
    await this.d.repo.ensure(key, size);
    await this.d.jobs.send(photoRedaction, { key });
  }

  /**
   * The detector job: finds faces and makes the public copy. `skipped` when this detector already
   * ran on the photo (a repeated job), `unknown` when the photo is not recorded.
   * @throws when the stored file is missing or the detector fails (the job is retried)
   */
  async detect(key: string): Promise<'done' | 'skipped' | 'unknown'> {
    const first = await this.d.repo.find(key);
    if (!first) return 'unknown';
    if (first.detectedAt && first.detector === this.d.detector.version) return 'skipped';
    const original = await this.d.images.get(key);
    if (!original) throw new Error(`stored photo ${key.slice(0, 12)}… is missing from the image store`);
    const { faces } = await this.d.detector.detect(original.data);
    for (let attempt = 1; ; attempt++) {
      const cur = attempt === 1 ? first : await this.d.repo.find(key);
      if (!cur) return 'unknown';
      const next = boxesAfterDetection(cur, faces);
      const boxes = effectiveBoxes({ status: next.status, autoBoxes: faces, staffBoxes: next.staffBoxes });
      const copy = await this.d.renderer.render(key, boxes);
      const applied = await this.d.repo.apply(key, cur.revision, {
        action: 'detected',
        actor: systemActor(photoRedaction.name),
        status: next.status,
        staffBoxes: next.staffBoxes,
        detection: { faces, detector: this.d.detector.version },
        boxes,
        redactedKey: copy.key,
        redactedThumbKey: copy.thumbKey,
      });
      if (applied) return 'done';
      if (attempt >= RACE_ATTEMPTS) throw new Error(`photo ${key.slice(0, 12)}… kept changing while its faces were stored; the job will retry`);
    }
  }

  /** Queues the detector for photos left pending; returns how many were queued. */
  async sweep(limit = 200): Promise<number> {
    const keys = await this.d.repo.stalePending(10, limit);
    for (const key of keys) await this.d.jobs.send(photoRedaction, { key });
    return keys.length;
  }

  // ── What the public may see ──

  /** The public copies of photos by original key; a photo absent from the map is not public yet. */
  publicPhotos(keys: readonly string[]): Promise<Map<string, PublicPhoto>> {
    return this.d.repo.publicCopies(keys);
  }

  /** The key of the photo's redacted copy, or null while the detector has not run (not public yet). */
  async publicPhotoKey(key: string): Promise<string | null> {
    return (await this.d.repo.publicCopies([key])).get(key)?.key ?? null;
  }

  /** The key of the redacted copy's thumbnail, or null while the detector has not run (not public yet). */
  async publicThumbKey(key: string): Promise<string | null> {
    return (await this.d.repo.publicCopies([key])).get(key)?.thumbKey ?? null;
  }

  // ── Staff ──

  /**
   * The photo's redaction as staff see it.
   * @throws RedactionError forbidden / photo-not-found / not-your-report
   */
  async forStaff(key: string, actor: StaffActor, o: Pick<StaffChangeOptions, 'reportCode'> = {}): Promise<StaffRedactionView> {
    const { record, reports } = await this.access(key, actor, o.reportCode);
    return this.view(record, reports);
  }

  /**
   * Whether a user may see the original of a photo: a role that reads reports, with one of the
   * reports holding the photo in their scope. Not the communications role: what it works with goes
   * out to the public, so it gets the redacted copies. Photos of no report (drafts) are nobody's.
   */
  async originalAccess(key: string, actor: StaffActor): Promise<'allowed' | 'forbidden' | 'not-found'> {
    const owners = await this.d.repo.owners(key);
    if (owners.length === 0) return 'not-found';
    if (!can(actor.role, 'reports.read') || actor.role === 'communications') return 'forbidden';
    return owners.some((r) => maySeeReport(actor, r)) ? 'allowed' : 'forbidden';
  }

  /**
   * Saves staff boxes (`[{x, y, w, h}]`, pixels of the stored photo) and makes the new public copy.
   * @throws RedactionError forbidden / photo-not-found / not-your-report / stale / invalid-boxes
   */
  async save(key: string, input: unknown, actor: StaffActor, o: StaffChangeOptions = {}): Promise<StaffRedactionView> {
    const { record, reports } = await this.access(key, actor, o.reportCode);
    this.requireRevision(record, o.expectedRevision);
    const check = checkBoxes(input, record.size);
    if (!check.ok) throw new RedactionError('redaction.invalid-boxes', `the boxes were refused: ${check.problems.map((p) => `${p.index === null ? 'list' : `box ${p.index}`} (${p.code})`).join(', ')}`, check.problems);
    const boxes = check.boxes;
    const copy = await this.d.renderer.render(key, boxes);
    const applied = await this.d.repo.apply(key, record.revision, {
      action: 'saved',
      actor,
      status: 'reviewed',
      staffBoxes: boxes,
      boxes,
      redactedKey: copy.key,
      redactedThumbKey: copy.thumbKey,
      audit: {
        actor,
        action: 'photo.redact',
        target: { kind: 'photo', id: key },
        details: { boxes: boxes.length, automatic: record.autoBoxes.length, reports: reports.map((r) => r.code), revision: record.revision + 1 },
        ip: o.ip ?? null,
      },
    });
    if (!applied) throw this.stale();
    return this.view(applied, reports);
  }

  /**
   * Goes back to the automatic boxes (the photo stays pending if the detector has not run).
   * @throws RedactionError forbidden / photo-not-found / not-your-report / stale
   */
  async reset(key: string, actor: StaffActor, o: StaffChangeOptions = {}): Promise<StaffRedactionView> {
    const { record, reports } = await this.access(key, actor, o.reportCode);
    this.requireRevision(record, o.expectedRevision);
    const status: RedactionStatus = record.detectedAt ? 'auto' : 'pending';
    const boxes = effectiveBoxes({ status, autoBoxes: record.autoBoxes, staffBoxes: null });
    const copy = await this.d.renderer.render(key, boxes);
    const applied = await this.d.repo.apply(key, record.revision, {
      action: 'reset',
      actor,
      status,
      staffBoxes: null,
      boxes,
      redactedKey: copy.key,
      redactedThumbKey: copy.thumbKey,
      audit: {
        actor,
        action: 'photo.redaction-reset',
        target: { kind: 'photo', id: key },
        details: { boxes: boxes.length, reports: reports.map((r) => r.code), revision: record.revision + 1 },
        ip: o.ip ?? null,
      },
    });
    if (!applied) throw this.stale();
    return this.view(applied, reports);
  }

  /** Role, then photo, then the report's scope (the order of the API's answers). */
  private async access(key: string, actor: StaffActor, reportCode: string | undefined): Promise<{ record: PhotoRedactionRecord; reports: PhotoOwner[] }> {
    if (!can(actor.role, 'reports.work')) throw new RedactionError('redaction.forbidden', 'your role may not redact photos');
    const record = await this.d.repo.find(key);
    if (!record) throw new RedactionError('redaction.photo-not-found', 'there is no stored photo with this key');
    const owners = await this.d.repo.owners(key);
    if (reportCode !== undefined && !owners.some((r) => r.code === reportCode)) throw new RedactionError('redaction.photo-not-found', `report ${reportCode} has no such photo`);
    const visible = owners.filter((r) => maySeeReport(actor, r));
    const seesAll = actor.role === 'admin' || actor.role === 'operator';
    if (!seesAll && visible.length === 0) throw new RedactionError('redaction.not-your-report', 'this photo belongs to no report routed to your agencies or wards');
    return { record, reports: visible };
  }

  private requireRevision(record: PhotoRedactionRecord, expected: number | undefined): void {
    if (expected !== undefined && expected !== record.revision) throw this.stale();
  }

  private stale(): RedactionError {
    return new RedactionError('redaction.stale', 'the redaction changed since you opened it (someone saved, or the detector finished); reload and try again');
  }

  private async view(r: PhotoRedactionRecord, reports: readonly PhotoOwner[]): Promise<StaffRedactionView> {
    return {
      key: r.key,
      size: r.size,
      status: r.status,
      boxes: effectiveBoxes(r),
      autoBoxes: r.autoBoxes,
      staffBoxes: r.staffBoxes,
      detector: r.detector,
      detectedAt: r.detectedAt,
      reviewedBy: r.reviewedBy,
      reviewedAt: r.reviewedAt,
      revision: r.revision,
      publicCopy: r.detectedAt && r.redactedKey && r.redactedThumbKey ? { key: r.redactedKey, thumbKey: r.redactedThumbKey } : null,
      reports,
      history: await this.d.repo.history(r.key, 50),
    };
  }
}
