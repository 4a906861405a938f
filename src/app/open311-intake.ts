/**
 * What an integration does through Open311: file a report (the same `FileReport` checks, photo
 * pipeline and service-area rule as a chat report, channel `open311`, filed by the API key's
 * pseudo-resident) and post an update (the same `ChangeStatus` as the console: the lifecycle
 * decides, the resident is notified). The submitter's e-mail, name and phone are never stored:
 * the report does not need them and no notice goes to an Open311 filer.
 */
import crypto from 'node:crypto';
import { transitionForUpdate } from '../domain/public/open311';
import type { Open311Store } from '../domain/public/ports';
import { LifecycleError } from '../domain/reports/lifecycle';
import type { Clock, PhotoIngest, Report } from '../domain/reports/ports';
import { DomainError } from '../domain/shared/errors';
import type { Locale } from '../domain/shared/ids';
import type { StaffActor } from '../domain/staff/actor';
import type { ChangeStatus } from './change-status';
import type { FileReport } from './file-report';

export interface Open311Request {
  readonly serviceCode: string;
  readonly point: { readonly lat: number; readonly lng: number } | null;
  readonly addressString: string | null;
  readonly description: string;
  readonly mediaUrls: readonly string[];
  readonly locale: Locale;
}

export interface Open311Update {
  readonly code: string;
  /** The integration's own id of this update: the same id twice is one update. */
  readonly clientUpdateId: string;
  readonly status: string;
  readonly description: string | null;
  readonly mediaUrls: readonly string[];
  readonly agency: string | null;
  readonly duplicateOf: string | null;
}

export interface Open311IntakeDeps {
  readonly fileReport: Pick<FileReport, 'fileDirect'>;
  readonly changeStatus: Pick<ChangeStatus, 'execute'>;
  readonly photos: PhotoIngest;
  readonly store: Open311Store;
  readonly clock: Clock;
}

export class Open311Intake {
  constructor(private readonly d: Open311IntakeDeps) {}

  /**
   * Files a service request for an API key.
   * @throws DomainError (see `FileReport.fileDirect`), and `open311.not-an-api-key` when the actor
   *   is not an integration.
   */
  async submit(actor: StaffActor, req: Open311Request): Promise<{ report: Report; token: string }> {
    if (actor.kind !== 'integration') throw new DomainError('open311.not-an-api-key', 'Open311 requests are filed with an API key');
    const residentId = await this.d.store.submitterFor(actor.id);
    const report = await this.d.fileReport.fileDirect({
      residentId,
      channel: 'open311',
      locale: req.locale,
      category: req.serviceCode,
      description: req.description,
      point: req.point,
      address: req.point ? null : req.addressString,
      photoUrls: req.mediaUrls,
    });
    const token = crypto.randomBytes(16).toString('base64url');
    await this.d.store.saveToken(token, report.id, actor.id, this.d.clock.now());
    return { report, token };
  }

  /**
   * Applies an update posted by an integration, once per (key, update id): a repeated POST answers
   * the event of the first one and changes nothing.
   * @throws DomainError `open311.unsupported-status`, `report.not-found`, a photo's code, or a
   *   LifecycleError (forbidden / conflict / invalid), exactly as the console would get.
   */
  async update(actor: StaffActor, u: Open311Update): Promise<{ eventId: string; repeated: boolean }> {
    if (actor.kind !== 'integration') throw new DomainError('open311.not-an-api-key', 'Open311 updates are posted with an API key');
    const earlier = await this.d.store.updateEvent(actor.id, u.clientUpdateId);
    if (earlier) return { eventId: earlier, repeated: true };
    const probe = transitionForUpdate({ ...u, photoIds: [] });
    if (probe === 'unsupported') throw new DomainError('open311.unsupported-status', `status ${u.status} is not one this server takes`);
    let photoIds: string[] = [];
    if (probe.to === 'resolved' && u.mediaUrls.length > 0) {
      const { results } = await this.d.photos.ingestMany(u.mediaUrls, 5);
      photoIds = results.map((r) => {
        if (r.status === 'rejected') throw r.reason instanceof DomainError ? r.reason : new DomainError('photo.failed');
        return r.value.key;
      });
    } else if (u.mediaUrls.length > 0 && probe.to !== 'resolved') {
      throw new LifecycleError('lifecycle.too-many-photos', 'photos belong to a resolution (FIXED or CLOSED)');
    }
    const request = transitionForUpdate({ ...u, photoIds });
    if (request === 'unsupported') throw new DomainError('open311.unsupported-status');
    const out = await this.d.changeStatus.execute(u.code, request, actor);
    await this.d.store.saveUpdate(actor.id, u.clientUpdateId, out.eventId, this.d.clock.now());
    return { eventId: out.eventId, repeated: false };
  }
}
