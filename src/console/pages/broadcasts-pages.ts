/**
 * Broadcast pages of the console: the list, composing a broadcast (pick resolved cases with
 * filters, pick targets, edit the caption), the draft's preview exactly as it will be posted with
 * what was removed from the residents' words, approval (now or at a time), cancellation, each
 * delivery's state with a manual retry, and the targets (sync from Zalo, label by ward or topic).
 * Composing and cancelling need `broadcasts.compose`; approving and retrying `broadcasts.approve`.
 */
import type { Request, Response, Router } from 'express';
import type { Broadcasts } from '../../app/broadcasts';
import type { CityProfile } from '../../domain/city-profile';
import type { Category } from '../../domain/reports/categories';
import { DomainError } from '../../domain/shared/errors';
import type { AuditLog } from '../../domain/staff/audit';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import type { ConsoleViews } from '../render';
import { field, fields, formOf } from './forms';

export interface BroadcastPagesDeps {
  readonly broadcasts: Broadcasts;
  readonly views: ConsoleViews;
  readonly audit: AuditLog;
  readonly city: CityProfile;
  readonly categories: readonly Category[];
  /** Whether a report whose resident never chose may be published (`publicSite.publishByDefault`). */
  readonly publishByDefault: boolean;
}

/** i18n keys of statuses and states (never built by concatenation). */
const STATUS_KEYS: Record<string, string> = {
  draft: 'broadcasts:status.draft',
  approved: 'broadcasts:status.approved',
  sending: 'broadcasts:status.sending',
  done: 'broadcasts:status.done',
  cancelled: 'broadcasts:status.cancelled',
  pending: 'broadcasts:state.pending',
  sent: 'broadcasts:state.sent',
  failed: 'broadcasts:state.failed',
  uncertain: 'broadcasts:state.uncertain',
};
const REMOVED_KEYS: Record<string, string> = {
  phone: 'broadcasts:removedKind.phone',
  email: 'broadcasts:removedKind.email',
  name: 'broadcasts:removedKind.name',
  'house-number': 'broadcasts:removedKind.house-number',
  mention: 'broadcasts:removedKind.mention',
  link: 'broadcasts:removedKind.link',
};
const ERROR_KEYS: Record<string, string> = {
  'broadcast.not-resolved': 'broadcasts:errors.not-resolved',
  'broadcast.no-result-photo': 'broadcasts:errors.no-result-photo',
  'broadcast.opted-out': 'broadcasts:errors.opted-out',
  'broadcast.photos-not-redacted': 'broadcasts:errors.photos-not-redacted',
  'broadcast.four-eyes': 'broadcasts:errors.four-eyes',
  'broadcast.already-sending': 'broadcasts:errors.already-sending',
  'broadcast.not-draft': 'broadcasts:errors.not-draft',
  'broadcast.invalid': 'broadcasts:errors.invalid',
  'broadcast.forbidden': 'broadcasts:errors.forbidden',
};

export function broadcastPages(r: Router, d: BroadcastPagesDeps): void {
  const compose = requireCapability('broadcasts.compose');
  const approve = requireCapability('broadcasts.approve');
  const t = (req: Request) => d.views.t(req);
  const statusText = (req: Request, s: string) => t(req)(STATUS_KEYS[s] ?? 'broadcasts:status.draft');
  const errorText = (req: Request, err: DomainError) => t(req)(ERROR_KEYS[err.code] ?? 'broadcasts:errors.invalid', { detail: err.message });
  const categoryTitle = (req: Request, slug: string) => d.categories.find((c) => c.slug === slug)?.title[d.views.common(req).locale] ?? slug;

  r.get('/broadcasts', compose, async (req, res) => {
    const list = await d.broadcasts.list(50);
    d.views.page(
      req,
      res,
      'broadcasts/list',
      {
        broadcasts: list.map((b) => ({
          ...b,
          statusText: statusText(req, b.status),
          sent: b.deliveries.filter((x) => x.state === 'sent').length,
          failed: b.deliveries.filter((x) => x.state === 'failed').length,
          codes: b.items.map((i) => i.reportCode).filter(Boolean).join(', '),
        })),
      },
      { title: t(req)('broadcasts:list.title') },
    );
  });

  const newPage = async (req: Request, res: Response, o: { error?: string | null; status?: number; values?: Record<string, unknown> } = {}) => {
    const q = req.query as Record<string, string | undefined>;
    const filter = {
      ward: q.ward || undefined,
      category: q.category || undefined,
      from: q.from ? new Date(`${q.from}T00:00:00+07:00`) : undefined,
      to: q.to ? new Date(Date.parse(`${q.to}T00:00:00+07:00`) + 86_400_000) : undefined,
      minRating: q.rated === 'well' ? 4 : undefined,
      limit: 100,
    };
    const [candidates, targets] = await Promise.all([d.broadcasts.candidates(filter), d.broadcasts.syncTargetsListOnly()]);
    const publishByDefault = d.publishByDefault;
    d.views.page(
      req,
      res,
      'broadcasts/new',
      {
        filter: { ward: q.ward ?? '', category: q.category ?? '', from: q.from ?? '', to: q.to ?? '', rated: q.rated ?? '' },
        categories: d.categories.map((c) => ({ slug: c.slug, title: categoryTitle(req, c.slug) })),
        candidates: candidates.map((c) => ({
          ...c,
          categoryTitle: categoryTitle(req, c.category),
          resolvedText: d.views.common(req).formatTime(c.resolvedAt),
          blocked: !(c.publish ?? publishByDefault) ? t(req)('broadcasts:errors.opted-out') : c.resultPhotos === 0 ? t(req)('broadcasts:errors.no-result-photo') : null,
        })),
        targets,
        values: o.values ?? {},
        error: o.error ?? null,
      },
      { title: t(req)('broadcasts:new.title'), status: o.status },
    );
  };

  r.get('/broadcasts/new', compose, (req, res) => newPage(req, res));

  r.post('/broadcasts', compose, async (req, res) => {
    const body = formOf(req);
    const actor = requireActor(req);
    const input = { reports: fields(body, 'reports'), targets: fields(body, 'targets'), caption: field(body, 'caption') || undefined, locale: field(body, 'locale') === 'en' ? ('en' as const) : ('vi' as const) };
    try {
      const out = await d.broadcasts.compose(input, actor);
      await d.audit.record({ actor, action: 'broadcast.compose', target: { kind: 'broadcast', id: out.broadcast.id }, details: { reports: input.reports.length, targets: input.targets.length } });
      return res.redirect(303, `/console/broadcasts/${out.broadcast.id}`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return newPage(req, res, { error: errorText(req, err), status: 422, values: input });
    }
  });

  const showPage = async (req: Request, res: Response, id: string, o: { error?: string | null; status?: number } = {}): Promise<void> => {
    let b;
    try {
      b = await d.broadcasts.get(id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      res.status(404).type('text').send(t(req)('broadcasts:errors.not-found'));
      return;
    }
    d.views.page(
      req,
      res,
      'broadcasts/show',
      {
        b: { ...b, statusText: statusText(req, b.status) },
        // Cards from this server (the public URL may point elsewhere, behind the proxy).
        preview: { text: b.caption, images: b.items.map((i) => `/media/${i.cardKey}`) },
        deliveries: b.deliveries.map((x) => ({ ...x, stateText: statusText(req, x.state), retryable: x.state === 'failed' || x.state === 'uncertain' })),
        removed: b.removed.map((r) => ({ kind: t(req)(REMOVED_KEYS[r.kind] ?? 'broadcasts:removedKind.name'), value: r.value })),
        error: o.error ?? null,
      },
      { title: `${t(req)('broadcasts:show.title')} ${b.ref}`, status: o.status },
    );
  };

  r.get('/broadcasts/:id', compose, (req, res) => showPage(req, res, String(req.params.id)));

  r.post('/broadcasts/:id/approve', approve, async (req, res) => {
    const id = String(req.params.id);
    const actor = requireActor(req);
    const when = field(formOf(req), 'sendAt');
    try {
      await d.broadcasts.approve(id, actor, when ? new Date(`${when}:00+07:00`) : null);
      await d.audit.record({ actor, action: 'broadcast.approve', target: { kind: 'broadcast', id }, details: { sendAt: when || null } });
      return res.redirect(303, `/console/broadcasts/${id}`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return showPage(req, res, id, { error: errorText(req, err), status: 409 });
    }
  });

  r.post('/broadcasts/:id/cancel', compose, async (req, res) => {
    const id = String(req.params.id);
    const actor = requireActor(req);
    try {
      await d.broadcasts.cancel(id, actor);
      await d.audit.record({ actor, action: 'broadcast.cancel', target: { kind: 'broadcast', id }, details: {} });
      return res.redirect(303, `/console/broadcasts/${id}`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return showPage(req, res, id, { error: errorText(req, err), status: 409 });
    }
  });

  r.post('/broadcasts/:id/deliveries/:delivery/retry', approve, async (req, res) => {
    const id = String(req.params.id);
    const actor = requireActor(req);
    try {
      await d.broadcasts.retry(String(req.params.delivery), actor);
      await d.audit.record({ actor, action: 'broadcast.retry', target: { kind: 'broadcast-delivery', id: String(req.params.delivery) }, details: {} });
      return res.redirect(303, `/console/broadcasts/${id}`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return showPage(req, res, id, { error: errorText(req, err), status: 409 });
    }
  });

  r.get('/broadcast-targets', compose, async (req, res) => {
    d.views.page(req, res, 'broadcasts/targets', { targets: await d.broadcasts.syncTargetsListOnly() }, { title: t(req)('broadcasts:targets.title') });
  });

  r.post('/broadcast-targets/sync', compose, async (req, res) => {
    const actor = requireActor(req);
    const targets = await d.broadcasts.syncTargets();
    await d.audit.record({ actor, action: 'broadcast.targets-sync', target: { kind: 'broadcast-targets', id: 'zalo-groups' }, details: { count: targets.length } });
    res.redirect(303, '/console/broadcast-targets');
  });

  r.post('/broadcast-targets/:id/label', compose, async (req, res) => {
    const actor = requireActor(req);
    const id = String(req.params.id);
    const label = field(formOf(req), 'label');
    await d.broadcasts.labelTarget(id, label || null, actor);
    await d.audit.record({ actor, action: 'broadcast.target-label', target: { kind: 'broadcast-target', id }, details: { label: label || null } });
    res.redirect(303, '/console/broadcast-targets');
  });
}
