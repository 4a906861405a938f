/**
 * What staff do to reports from the console and the JSON API, each authorised here and audited:
 * change the status (through {@link ChangeStatus}: lifecycle, history, the resident's notice),
 * correct the category, write an internal note, upload a result photo.
 *
 * Refusals come in the order the API answers them: the role (403), the report (404: missing, or
 * outside the actor's view), its state (409), the input (422). Audit entries name the report, the
 * statuses, the agency, counts; never the text of a note or a reply (it may hold residents' data).
 */
import { slaHours, type CityProfile } from '../domain/city-profile';
import { dueAt, LifecycleError, mayAttempt, OPEN_STATUSES, type ReportStatus, type TransitionRequest } from '../domain/reports/lifecycle';
import {
  categoryEditable,
  checkInternalNote,
  DeskError,
  mayEditCategory,
  mayUploadPhotos,
  mayWriteNotes,
  type StaffNote,
  type StaffReportsRepo,
} from '../domain/reports/report-desk';
import type { Clock, ProcessedPhoto } from '../domain/reports/ports';
import { DomainError } from '../domain/shared/errors';
import type { StaffActor } from '../domain/staff/actor';
import type { AuditLog } from '../domain/staff/audit';
import type { ChangeStatus, StatusChanged } from './change-status';
import type { RouteReport } from './route-report';
import type { StaffReportQueries } from './staff-report-queries';

export interface StaffReportActionsDeps {
  readonly reports: StaffReportsRepo;
  readonly queries: Pick<StaffReportQueries, 'visible'>;
  readonly changeStatus: Pick<ChangeStatus, 'apply'>;
  readonly recordPhoto: { fromBytes(bytes: Buffer): Promise<ProcessedPhoto> };
  readonly routing: Pick<RouteReport, 'route'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly city: Pick<CityProfile, 'sla'>;
  readonly categories: ReadonlyArray<{ readonly slug: string }>;
}

/** Where a staff request came from (the audit log keeps the address). */
export interface Origin {
  readonly ip: string | null;
}

/** The audit action of a status change. */
export function transitionAction(from: ReportStatus, to: ReportStatus): string {
  switch (to) {
    case 'assigned':
      return from === 'received' ? 'report.assign' : 'report.reroute';
    case 'in_progress':
      return from === 'resolved' ? 'report.reopen' : 'report.start';
    case 'resolved':
      return 'report.resolve';
    case 'rejected':
      return 'report.reject';
    case 'duplicate':
      return 'report.duplicate';
    case 'closed':
      return 'report.close';
    case 'received':
      return 'report.receive';
  }
}

const PHOTO_ERRORS = new Set(['photo.unsupported', 'photo.corrupt', 'photo.too-large', 'photo.too-many-pixels']);

export class StaffReportActions {
  constructor(private readonly d: StaffReportActionsDeps) {}

  /** Moves a report to `request.to`. @throws LifecycleError, DeskError. */
  async transition(actor: StaffActor, code: string, request: TransitionRequest, origin: Origin): Promise<StatusChanged> {
    if (!mayAttempt(actor, request.to)) throw new LifecycleError('lifecycle.forbidden', `a ${actor.role} user may not move a report to ${request.to}`);
    const report = await this.d.queries.visible(actor, code);
    const photoIds = [...new Set(request.photoIds ?? [])];
    // Result photos must be staff uploads (a resident's photo or a made-up id is refused). Checked
    // only where the lifecycle would accept a resolution, so a state conflict still answers 409.
    if (request.to === 'resolved' && report.status === 'in_progress' && photoIds.length > 0) {
      const known = await this.d.reports.uploadedKeys(photoIds);
      const unknown = photoIds.filter((id) => !known.has(id));
      if (unknown.length > 0) throw new DeskError('report.unknown-photo', `unknown photo id(s): ${unknown.map((u) => u.slice(0, 70)).join(', ')}; upload with POST /photos first`, [{ field: 'photoIds', code: 'report.unknown-photo' }]);
    }
    const out = await this.d.changeStatus.apply(report, { ...request, photoIds }, actor);
    await this.d.audit.record({
      actor,
      action: transitionAction(report.status, request.to),
      target: { kind: 'report', id: report.code },
      details: {
        from: report.status,
        to: request.to,
        ...(request.to === 'assigned' ? { agency: out.report.agency } : {}),
        ...(request.to === 'duplicate' ? { duplicateOf: out.report.duplicateOf } : {}),
        ...(request.to === 'resolved' ? { photos: photoIds.length } : {}),
        ...(request.internalNote ? { internalNote: true } : {}),
      },
      ip: origin.ip,
    });
    return out;
  }

  /**
   * Corrects the category (IOC). While the report is open its due time follows the new category's
   * SLA (from filing); while it is `received` the routing proposal is recomputed.
   */
  async editCategory(actor: StaffActor, code: string, category: unknown, reason: unknown, origin: Origin): Promise<void> {
    if (!mayEditCategory(actor)) throw new DeskError('report.forbidden', 'only the IOC (admin, operator) corrects a category');
    const report = await this.d.queries.visible(actor, code);
    if (!categoryEditable(report.status)) throw new DeskError('report.final', `report ${report.code} is ${report.status}; its category no longer changes`);
    const slug = typeof category === 'string' ? category.trim() : '';
    if (!this.d.categories.some((c) => c.slug === slug)) throw new DeskError('report.unknown-category', 'unknown category', [{ field: 'category', code: 'report.unknown-category' }]);
    if (slug === report.category) throw new DeskError('report.same-category', `report ${report.code} is already in that category`, [{ field: 'category', code: 'report.same-category' }]);
    const body = typeof reason === 'string' && reason.trim() !== '' ? checkInternalNote(reason) : null;
    const open = OPEN_STATUSES.includes(report.status);
    const changed = await this.d.reports.changeCategory(report.id, {
      from: report.category,
      to: slug,
      status: report.status,
      dueAt: open ? dueAt(report.createdAt, slaHours(this.d.city, slug)) : null,
      proposedAgency: report.status === 'received' ? this.d.routing.route(report.location, slug).proposedAgency : undefined,
      at: this.d.clock.now(),
      actor,
      body,
    });
    if (!changed) throw new DeskError('report.final', `report ${report.code} changed meanwhile; reload it and try again`);
    await this.d.audit.record({ actor, action: 'report.category', target: { kind: 'report', id: report.code }, details: { from: report.category, to: slug }, ip: origin.ip });
  }

  /** Adds an internal note (staff only, never sent to the resident). */
  async addNote(actor: StaffActor, code: string, text: unknown, origin: Origin): Promise<StaffNote> {
    if (!mayWriteNotes(actor)) throw new DeskError('report.forbidden', 'this role only reads reports');
    const report = await this.d.queries.visible(actor, code);
    const body = checkInternalNote(text);
    const note = await this.d.reports.addNote(report.id, { at: this.d.clock.now(), actor, status: report.status, body });
    await this.d.audit.record({ actor, action: 'report.note', target: { kind: 'report', id: report.code }, details: { note: note.id }, ip: origin.ip });
    return note;
  }

  /** Stores an uploaded result photo through the photo pipeline; returns its id. */
  async uploadPhoto(actor: StaffActor, bytes: Buffer | null | undefined, origin: Origin): Promise<{ id: string }> {
    if (!mayUploadPhotos(actor)) throw new DeskError('report.forbidden', 'only those who resolve reports upload result photos');
    if (!bytes || bytes.length === 0) throw new DeskError('photo.missing', 'send the photo as the multipart field "photo"', [{ field: 'photo', code: 'photo.missing' }]);
    let photo: ProcessedPhoto;
    try {
      photo = await this.d.recordPhoto.fromBytes(bytes);
    } catch (err) {
      if (err instanceof DomainError && PHOTO_ERRORS.has(err.code)) throw new DeskError(err.code as 'photo.unsupported', err.message.split('\n')[0]!.slice(0, 200), [{ field: 'photo', code: err.code }]);
      throw err;
    }
    await this.d.reports.recordUpload(photo.key, actor, this.d.clock.now());
    await this.d.audit.record({ actor, action: 'photo.upload', target: { kind: 'photo', id: photo.key }, details: { width: photo.width, height: photo.height }, ip: origin.ip });
    return { id: photo.key };
  }
}
