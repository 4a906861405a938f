/**
 * Ports of photo redaction; `storage/` and `media/` implement them.
 */
import type { Actor } from '../staff/actor';
import type { AuditEntry } from '../staff/audit';
import type { DetectedFace, ImageSize, RedactionBox, RedactionState, RedactionStatus } from './redaction';

/** What changed a redaction, kept in its history. */
export type RedactionAction = 'detected' | 'saved' | 'reset';

export interface RedactionEvent {
  readonly at: Date;
  readonly action: RedactionAction;
  /** Who: a staff user, an integration key, or the system (the detector job). */
  readonly actor: { readonly kind: Actor['kind']; readonly id: string | null };
  /** The boxes pixelated after this change. */
  readonly boxes: readonly RedactionBox[];
  readonly revision: number;
}

/** The redaction of one stored photo. */
export interface PhotoRedactionRecord extends RedactionState {
  /** The original's content key (staff only). */
  readonly key: string;
  readonly size: ImageSize;
  /** `face-api@1.7.15 ssd-mobilenet-v1 …`: what produced {@link RedactionState.autoBoxes}. */
  readonly detector: string | null;
  readonly reviewedBy: { readonly kind: Actor['kind']; readonly id: string } | null;
  readonly reviewedAt: Date | null;
  /** The public copy and its thumbnail; null while pending. */
  readonly redactedKey: string | null;
  readonly redactedThumbKey: string | null;
  /** Goes up by one with every change (optimistic concurrency of the editors). */
  readonly revision: number;
  readonly updatedAt: Date;
}

/** One change, written with its history event (and audit entry) in one transaction. */
export interface RedactionChange {
  readonly action: RedactionAction;
  readonly actor: Actor;
  readonly status: RedactionStatus;
  readonly staffBoxes: readonly RedactionBox[] | null;
  /** Set by the detector only. */
  readonly detection?: { readonly faces: readonly DetectedFace[]; readonly detector: string };
  /** The boxes pixelated in the new public copy (for the history). */
  readonly boxes: readonly RedactionBox[];
  readonly redactedKey: string;
  readonly redactedThumbKey: string;
  readonly audit?: AuditEntry;
}

/** A report that holds a photo (resident's or result photo), for the readers' scope. */
export interface PhotoOwner {
  readonly reportId: string;
  readonly code: string;
  readonly status: string;
  readonly agency: string | null;
  readonly ward: string | null;
}

/** The public copy of a photo: content keys of the redacted JPEG and its thumbnail. */
export interface PublicPhoto {
  readonly key: string;
  readonly thumbKey: string;
}

export interface PhotoRedactionsRepo {
  /** Records a stored photo as `pending` (nothing if it is known already), committed at once whatever transaction the caller is in. */
  ensure(key: string, size: ImageSize): Promise<void>;
  find(key: string): Promise<PhotoRedactionRecord | null>;
  /**
   * Applies a change if the redaction is still at `expectedRevision` (else returns null: someone
   * else changed it first); appends the history event and writes `change.audit` in the same
   * transaction.
   */
  apply(key: string, expectedRevision: number, change: RedactionChange): Promise<PhotoRedactionRecord | null>;
  history(key: string, limit: number): Promise<RedactionEvent[]>;
  /** Public copies of photos whose detection has run; keys without one are absent. */
  publicCopies(keys: readonly string[]): Promise<Map<string, PublicPhoto>>;
  /** Reports that hold the photo, by report id. */
  owners(key: string): Promise<PhotoOwner[]>;
  /**
   * Stored photos the detector has not handled for `olderThanMinutes` (lost or failed jobs, photos
   * stored before redaction existed), recording unknown ones as pending; at most `limit`.
   */
  stalePending(olderThanMinutes: number, limit: number): Promise<string[]>;
}

/** Finds faces in a stored photo. */
export interface FaceDetector {
  /** Names the model and settings, stored with the boxes it finds. */
  readonly version: string;
  detect(jpeg: Buffer): Promise<{ faces: DetectedFace[]; size: ImageSize }>;
}

/** Produces the public copy of a photo: each box's region pixelated, stored with a thumbnail. */
export interface RedactionRenderer {
  render(originalKey: string, boxes: readonly RedactionBox[]): Promise<PublicPhoto>;
}

/** Reads stored photo bytes (the originals, for the detector and the staff). */
export interface PhotoReader {
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
}

/** Told of every photo the pipeline stores (resident photos and staff result photos alike). */
export interface PhotoStoredListener {
  photoStored(key: string, size: ImageSize): Promise<void>;
}
