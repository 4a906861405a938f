/**
 * `/api/staff/v1` for broadcasts (roles as in the console: `broadcasts.compose` composes and
 * cancels, `broadcasts.approve` approves and retries; anyone who reads reports sees targets):
 *
 * - `GET /broadcast-targets` → `[{"id","kind","name","status","members","reason"?,"label"?}]`
 * - `POST /broadcast-targets/sync` → refreshes the Zalo groups from the API, then the list
 * - `POST /broadcasts` `{"reports":[code…],"targets":[id…],"caption"?,"locale"?}` → 201
 *   `{"id","status":"draft","preview":{"text","images":[url…]},"removed":[…]}`; 422 for a report that
 *   is not resolved, has no result photo, was opted out, or whose photos are not yet redacted
 * - `POST /broadcasts/:id/approve` `{"sendAt"?}` → 200 the broadcast (queued)
 * - `POST /broadcasts/:id/cancel` → 200 the broadcast
 * - `GET /broadcasts/:id` → `{"id","status","deliveries":[{"target","state","platformId","error"}],…}`
 * - `POST /broadcasts/deliveries/:id/retry` → 200 the delivery (failed or uncertain only)
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { Broadcasts } from '../../app/broadcasts';
import type { BroadcastRecord, DeliveryRecord } from '../../domain/broadcasts/ports';
import { DomainError } from '../../domain/shared/errors';
import type { AuditLog } from '../../domain/staff/audit';
import { requireActor } from '../auth/context';
import { requireCapability } from '../auth/guards';
import { ApiError, type ApiErrorStatus } from './api-errors';
import { jsonBody } from './staff-api';

const ComposeBody = z
  .object({
    reports: z.array(z.string().min(1).max(20)).min(1).max(20),
    targets: z.array(z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String)).min(1).max(200),
    caption: z.string().max(1800).optional(),
    locale: z.enum(['vi', 'en']).optional(),
  })
  .strict();

const ApproveBody = z.object({ sendAt: z.string().datetime({ offset: true }).optional() }).strict();

/** Status of a broadcast DomainError code. */
function statusOf(code: string): ApiErrorStatus {
  if (code === 'broadcast.forbidden' || code === 'broadcast.four-eyes') return 403;
  if (code === 'broadcast.not-found' || code === 'broadcast.target-not-found') return 404;
  if (code === 'broadcast.not-draft' || code === 'broadcast.already-sending' || code === 'broadcast.finished' || code === 'broadcast.not-retryable') return 409;
  return 422;
}

export const deliveryJson = (d: DeliveryRecord) => ({
  id: d.id,
  target: { id: d.target.id, kind: d.target.kind, name: d.target.name },
  state: d.state,
  platformId: d.platformId,
  link: d.link,
  error: d.error,
});

export function broadcastJson(b: BroadcastRecord, preview: { text: string; images: readonly string[] }) {
  return {
    id: b.id,
    ref: b.ref,
    status: b.status,
    kind: b.kind,
    locale: b.locale,
    reports: b.items.map((i) => i.reportCode).filter((c): c is string => c !== null),
    sendAt: b.sendAt?.toISOString() ?? null,
    approvedAt: b.approvedAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    preview,
    removed: b.removed,
    deliveries: b.deliveries.map(deliveryJson),
  };
}

export function broadcastsApi(r: Router, d: { broadcasts: Broadcasts; audit: AuditLog }): void {
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DomainError && err.code.startsWith('broadcast.')) throw new ApiError(statusOf(err.code), err.code, err.message);
      throw err;
    }
  };
  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const p = schema.safeParse(body ?? {});
    if (!p.success) throw new ApiError(422, 'request.invalid', 'the body does not have the expected fields', p.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', code: i.code })));
    return p.data;
  };

  r.get('/broadcast-targets', requireCapability('reports.read'), async (_req, res) => {
    const targets = await d.broadcasts.syncTargetsListOnly();
    res.json(targets.map((t) => ({ id: t.id, kind: t.kind, name: t.name, status: t.status, members: t.members, ...(t.reason ? { reason: t.reason } : {}), ...(t.label ? { label: t.label } : {}) })));
  });

  r.post('/broadcast-targets/sync', requireCapability('broadcasts.compose'), async (req, res) => {
    const targets = await run(() => d.broadcasts.syncTargets());
    await d.audit.record({ actor: requireActor(req), action: 'broadcast.targets-sync', target: { kind: 'broadcast-targets', id: 'zalo-groups' }, details: { count: targets.length } });
    res.json(targets.map((t) => ({ id: t.id, kind: t.kind, name: t.name, status: t.status, members: t.members, ...(t.reason ? { reason: t.reason } : {}) })));
  });

  r.post('/broadcasts', requireCapability('broadcasts.compose'), jsonBody(), async (req, res) => {
    const body = parse(ComposeBody, req.body);
    const actor = requireActor(req);
    const out = await run(() => d.broadcasts.compose(body, actor));
    await d.audit.record({ actor, action: 'broadcast.compose', target: { kind: 'broadcast', id: out.broadcast.id }, details: { reports: body.reports.length, targets: body.targets.length } });
    res.status(201).json({ id: out.broadcast.id, status: out.broadcast.status, preview: out.preview, removed: out.broadcast.removed, ref: out.broadcast.ref });
  });

  r.get('/broadcasts/:id', requireCapability('reports.read'), async (req, res) => {
    const b = await run(() => d.broadcasts.get(String(req.params.id)));
    res.json(broadcastJson(b, d.broadcasts.preview(b)));
  });

  r.post('/broadcasts/:id/approve', requireCapability('broadcasts.approve'), jsonBody(), async (req, res) => {
    const actor = requireActor(req);
    const id = String(req.params.id);
    await run(() => d.broadcasts.get(id));
    const body = parse(ApproveBody, req.body);
    const b = await run(() => d.broadcasts.approve(id, actor, body.sendAt ? new Date(body.sendAt) : null));
    await d.audit.record({ actor, action: 'broadcast.approve', target: { kind: 'broadcast', id }, details: { sendAt: body.sendAt ?? null } });
    res.json(broadcastJson(b, d.broadcasts.preview(b)));
  });

  r.post('/broadcasts/:id/cancel', requireCapability('broadcasts.compose'), async (req, res) => {
    const actor = requireActor(req);
    const b = await run(() => d.broadcasts.cancel(String(req.params.id), actor));
    await d.audit.record({ actor, action: 'broadcast.cancel', target: { kind: 'broadcast', id: b.id }, details: {} });
    res.json(broadcastJson(b, d.broadcasts.preview(b)));
  });

  r.post('/broadcasts/deliveries/:id/retry', requireCapability('broadcasts.approve'), async (req, res) => {
    const actor = requireActor(req);
    const dlv = await run(() => d.broadcasts.retry(String(req.params.id), actor));
    await d.audit.record({ actor, action: 'broadcast.retry', target: { kind: 'broadcast-delivery', id: dlv.id }, details: {} });
    res.json(deliveryJson(dlv));
  });
}
