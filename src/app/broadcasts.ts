/**
 * Broadcasting resolved cases: composing a draft (a before/after card per case, a caption from an
 * editable template with the residents' personal data removed), approving it (now or for later),
 * cancelling it, and the deliveries to each target (a Zalo group or the Facebook Page), each once
 * even when a process dies mid-send: a delivery whose outcome is unknown is looked up on the
 * platform by the broadcast's reference before it is sent again.
 */
import { checkApproval, checkCancel, daysToResolve, eligibility, renderCaption, type BroadcastTarget } from '../domain/broadcasts/broadcast';
import type { BroadcastRecord, BroadcastsRepo, CardRenderer, CardStore, DeliveryRecord, GroupDirectory, TargetPublishers } from '../domain/broadcasts/ports';
import { scrubResidentText, streetAndWard } from '../domain/broadcasts/privacy';
import type { CityProfile } from '../domain/city-profile';
import type { Category } from '../domain/reports/categories';
import type { Clock, ReportsRepo } from '../domain/reports/ports';
import type { Report } from '../domain/reports/report';
import { DomainError, PlatformApiError } from '../domain/shared/errors';
import type { Locale } from '../domain/shared/ids';
import type { Actor } from '../domain/staff/actor';
import { can } from '../domain/staff/permissions';
import type { JobSender } from '../jobs/job-queue';
import { broadcastDelivery } from '../jobs/queues';
import type { Logger } from '../logger';

/** The public (redacted) key of a photo, or null while it is not yet safe to show. */
export interface PublicPhotos {
  publicKey(key: string): Promise<string | null>;
}

export const MAX_CASES_PER_BROADCAST = 20;
export const DELIVERY_LEASE_MS = 45_000;

/** Default caption templates; the officer edits them per broadcast. */
export const DEFAULT_TEMPLATES: Readonly<Record<Locale, { readonly head: string; readonly line: string; readonly foot: string }>> = {
  vi: {
    head: '✅ {city} đã xử lý xong phản ánh của người dân:',
    line: '• {code} – {category} tại {place}: xử lý trong {days} ngày.',
    foot: 'Gửi phản ánh qua Zalo OA hoặc fanpage của thành phố. {ref}',
  },
  en: {
    head: '✅ {city} has resolved these residents\' reports:',
    line: '• {code} – {category} at {place}: resolved in {days} days.',
    foot: 'Report a problem on the city\'s Zalo OA or Facebook Page. {ref}',
  },
};

export interface BroadcastsDeps {
  readonly broadcasts: BroadcastsRepo;
  readonly reports: ReportsRepo;
  readonly cards: CardRenderer;
  readonly cardStore: CardStore;
  readonly publicPhotos: PublicPhotos;
  readonly publishers: TargetPublishers;
  readonly groups?: GroupDirectory;
  readonly jobs: JobSender;
  readonly city: Pick<CityProfile, 'name' | 'timezone'> & { readonly broadcasts?: { readonly fourEyes?: boolean } };
  /** Whether a report whose resident never chose may be published (`publicSite.publishByDefault`). */
  readonly publishByDefault: boolean;
  readonly categories: readonly Category[];
  readonly wardName: (code: string | null) => string | null;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly mediaUrl: (key: string) => string;
}

export interface ComposeInput {
  readonly reports: readonly string[];
  readonly targets: readonly string[];
  /** Caption template; default {@link DEFAULT_TEMPLATES}. Placeholders: {city} {code} {category} {place} {days} {reply} {description} {ref} {lines}. */
  readonly caption?: string;
  readonly locale?: Locale;
}

export interface ComposedBroadcast {
  readonly broadcast: BroadcastRecord;
  readonly preview: { readonly text: string; readonly images: readonly string[] };
}

export class Broadcasts {
  constructor(private readonly d: BroadcastsDeps) {}

  /** Resolved reports that may be picked (the console filters further). */
  async eligibilityOf(report: Report): Promise<ReturnType<typeof eligibility>> {
    const photos = [...report.photos, ...report.resultPhotos];
    const publicKeys = await Promise.all(photos.map((p) => this.d.publicPhotos.publicKey(p.key)));
    return eligibility(
      { status: report.status, resolvedAt: report.resolvedAt, resultPhotos: report.resultPhotos, publish: report.publish },
      { publishByDefault: this.d.publishByDefault, photosPublic: photos.length > 0 && publicKeys.every((k) => k !== null) },
    );
  }

  /** Composes a draft: one card per case, the caption scrubbed of personal data. */
  async compose(input: ComposeInput, actor: Actor): Promise<ComposedBroadcast> {
    if (!isStaff(actor) || !can(actor.role, 'broadcasts.compose')) throw new DomainError('broadcast.forbidden', 'this role may not compose broadcasts');
    const codes = [...new Set(input.reports.map((c) => c.trim().toUpperCase()).filter(Boolean))];
    if (codes.length === 0 || codes.length > MAX_CASES_PER_BROADCAST) throw new DomainError('broadcast.invalid', `pick 1 to ${MAX_CASES_PER_BROADCAST} resolved reports`);
    const targetIds = [...new Set(input.targets)];
    if (targetIds.length === 0) throw new DomainError('broadcast.invalid', 'pick at least one target');
    const targets = await this.d.broadcasts.targets(targetIds);
    if (targets.length !== targetIds.length) throw new DomainError('broadcast.invalid', 'a target does not exist; sync the targets and pick again');
    const locale: Locale = input.locale === 'en' ? 'en' : 'vi';

    const reports: Report[] = [];
    for (const code of codes) {
      const r = await this.d.reports.findByCode(code);
      if (!r) throw new DomainError('broadcast.invalid', `there is no report ${code}`);
      const problem = await this.eligibilityOf(r);
      if (problem) throw new DomainError(problem, `report ${code} cannot be broadcast (${problem})`);
      reports.push(r);
    }

    const items: Array<{ reportId: string; cardKey: string }> = [];
    const removed: Array<{ kind: string; value: string }> = [];
    const lines: string[] = [];
    const template = input.caption?.trim() || null;
    const single: Record<string, string> = {};
    for (const r of reports) {
      const before = (await this.d.publicPhotos.publicKey(r.photos[0]!.key))!;
      const after = (await this.d.publicPhotos.publicKey(r.resultPhotos[0]!.key))!;
      const place = streetAndWard(r.address, this.d.wardName(r.ward));
      const days = daysToResolve(r.createdAt, r.resolvedAt!);
      const category = this.categoryTitle(r.category, locale);
      const card = await this.d.cards.renderCase({
        beforeKey: before,
        afterKey: after,
        category,
        place,
        filedOn: this.date(r.createdAt, locale),
        resolvedOn: this.date(r.resolvedAt!, locale),
        days,
        code: r.code,
        locale,
      });
      items.push({ reportId: r.id, cardKey: await this.d.cardStore.put(card) });
      const reply = this.scrub(r.publicReply ?? '', removed);
      const description = this.scrub(r.description, removed);
      const values = { city: this.d.city.name[locale], code: r.code, category, place, days: String(days), reply, description };
      lines.push(renderCaption(DEFAULT_TEMPLATES[locale].line, values));
      if (reports.length === 1) Object.assign(single, values);
    }
    const defaults = DEFAULT_TEMPLATES[locale];
    // What the officer typed may quote a resident too (a pasted phone number): scrubbed before use.
    const body = template ? this.scrub(template, removed) : `${defaults.head}\n{lines}\n${defaults.foot}`;
    const created = await this.d.broadcasts.create({
      kind: 'cases',
      locale,
      caption: body,
      captionEn: null,
      removed,
      author: actor,
      items,
      targetIds,
    });
    const text = this.finalCaption(body, { ...single, city: this.d.city.name[locale], lines: lines.join('\n'), ref: created.ref }, reports.map((r) => r.code), created.ref);
    await this.d.broadcasts.setCaption(created.id, text, removed);
    const broadcast = (await this.d.broadcasts.get(created.id))!;
    return { broadcast, preview: this.preview(broadcast) };
  }

  /** What the post will look like: the caption and the cards, exactly as sent. */
  preview(b: BroadcastRecord): { text: string; images: string[] } {
    return { text: b.caption, images: b.items.map((i) => this.d.mediaUrl(i.cardKey)) };
  }

  /** Approves a draft and queues a delivery per target (at `sendAt`, or now). */
  async approve(id: string, actor: Actor, sendAt: Date | null = null): Promise<BroadcastRecord> {
    const b = await this.get(id);
    checkApproval(actor, b.authorId, b.status, this.d.city.broadcasts?.fourEyes ?? false);
    if (sendAt && sendAt.getTime() < this.d.clock.now().getTime() - 60_000) throw new DomainError('broadcast.invalid', 'sendAt is in the past');
    const deliveries = await this.d.broadcasts.approve(id, actor, sendAt);
    for (const dlv of deliveries) {
      if (dlv.target.status === 'disabled') {
        // Shown as such and skipped with the reason (an expired GMF asset, a group the OA left).
        await this.d.broadcasts.markFailed(dlv.id, `target disabled: ${dlv.target.reason ?? 'disabled'}`);
        continue;
      }
      await this.d.jobs.send(broadcastDelivery, { deliveryId: dlv.id, round: 0 }, sendAt ? { startAfter: sendAt } : {});
    }
    return this.get(id);
  }

  async cancel(id: string, actor: Actor): Promise<BroadcastRecord> {
    if (!isStaff(actor) || !can(actor.role, 'broadcasts.compose')) throw new DomainError('broadcast.forbidden', 'this role may not cancel broadcasts');
    const b = await this.get(id);
    checkCancel(b.status, b.deliveries.some((x) => x.state !== 'pending' && x.state !== 'cancelled' && x.state !== 'failed'));
    await this.d.broadcasts.cancel(id, actor);
    return this.get(id);
  }

  /** Sends a failed or uncertain delivery again (an officer's manual retry). */
  async retry(deliveryId: string, actor: Actor): Promise<DeliveryRecord> {
    if (!isStaff(actor) || !can(actor.role, 'broadcasts.approve')) throw new DomainError('broadcast.forbidden', 'this role may not retry deliveries');
    const d = await this.d.broadcasts.reopenDelivery(deliveryId);
    if (!d) throw new DomainError('broadcast.not-retryable', 'only a failed or uncertain delivery can be retried');
    await this.d.jobs.send(broadcastDelivery, { deliveryId, round: d.attempts + 1 });
    return d;
  }

  /**
   * The delivery job: claims the delivery (lease), looks the post up first when an earlier attempt
   * may have reached the platform, posts otherwise, and records the outcome. A transient platform
   * failure (rate limit, spam brake #368, outage) is thrown for the job to retry later; `-237`
   * (group disabled), `-403` (OA not in group) and other refusals fail the delivery with the reason.
   */
  async deliver(deliveryId: string): Promise<'sent' | 'failed' | 'skipped' | 'found'> {
    const claimed = await this.d.broadcasts.claim(deliveryId, DELIVERY_LEASE_MS);
    if (!claimed) return 'skipped';
    const { broadcast, target } = claimed;
    const publisher = this.d.publishers[target.kind];
    if (!publisher) {
      await this.d.broadcasts.markFailed(deliveryId, `${target.kind} is not configured`);
      return 'failed';
    }
    if (target.status === 'disabled') {
      await this.d.broadcasts.markFailed(deliveryId, `target disabled: ${target.reason ?? 'disabled'}`);
      return 'failed';
    }
    try {
      if (claimed.previous === 'sending' || claimed.previous === 'uncertain') {
        // An earlier attempt may have posted: find it before posting again (exactly one post per target).
        const found = await publisher.find(target, broadcast.ref);
        if (found) {
          await this.d.broadcasts.markSent(deliveryId, found.platformId, found.link);
          this.d.logger.info({ deliveryId, target: target.kind }, 'delivery found on the platform after an interrupted send');
          return 'found';
        }
      }
      const cards: Buffer[] = [];
      for (const item of broadcast.items) {
        const bytes = await this.d.cardStore.get(item.cardKey);
        if (!bytes) throw new DomainError('broadcast.card-missing', `card ${item.cardKey} is missing`);
        cards.push(bytes);
      }
      const out = await publisher.post(target, cards, broadcast.caption);
      await this.d.broadcasts.markSent(deliveryId, out.platformId, out.link);
      this.d.logger.info({ deliveryId, target: target.kind, broadcast: broadcast.ref }, 'broadcast delivered');
      return 'sent';
    } catch (err) {
      if (err instanceof PlatformApiError && !err.retryable) {
        await this.d.broadcasts.markFailed(deliveryId, `${err.code}: ${err.message}`);
        this.d.logger.warn({ deliveryId, code: err.code }, 'broadcast delivery refused by the platform');
        return 'failed';
      }
      if (err instanceof DomainError) {
        await this.d.broadcasts.markFailed(deliveryId, err.message);
        return 'failed';
      }
      // Maybe posted (timeout, reset after sending): look it up before the next attempt.
      const maybeSent = !(err instanceof PlatformApiError) || err.code === 'network' || err.status === undefined || (err.status ?? 0) >= 500;
      await this.d.broadcasts.release(deliveryId, maybeSent ? 'uncertain' : 'pending', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  /**
   * Deliveries a dead process left `sending` (their lease expired), `uncertain`, or `pending` with
   * no job left to run them (its job died with the process): queued again so
   * they settle (looked up, then sent or failed). Run at start-up and every few seconds.
   */
  async settleStalled(): Promise<number> {
    const ids = await this.d.broadcasts.stalled(100, DELIVERY_LEASE_MS);
    for (const id of ids) await this.d.jobs.send(broadcastDelivery, { deliveryId: id, round: Math.floor(this.d.clock.now().getTime() / 15_000) % 1000 });
    return ids.length;
  }

  /** Resolved reports to pick from (opted-out ones and those without a result photo are marked, not hidden). */
  candidates(f: Parameters<BroadcastsRepo['candidates']>[0]) {
    return this.d.broadcasts.candidates(f);
  }

  /** Names a target for the officers (a ward or a topic). */
  async labelTarget(targetId: string, label: string | null, actor: Actor): Promise<void> {
    if (!isStaff(actor) || !can(actor.role, 'broadcasts.compose')) throw new DomainError('broadcast.forbidden', 'this role may not label targets');
    await this.d.broadcasts.setLabel(targetId, label && label.trim() ? label.trim().slice(0, 80) : null);
  }

  async list(limit = 50): Promise<BroadcastRecord[]> {
    return this.d.broadcasts.list(limit);
  }

  /** The targets as last synced, with the Facebook Page when it is configured. */
  async syncTargetsListOnly(): Promise<BroadcastTarget[]> {
    return this.d.broadcasts.listTargets();
  }

  /** Refreshes the Zalo groups from the API (status, members; an expired asset shows as disabled). */
  async syncTargets(): Promise<BroadcastTarget[]> {
    if (this.d.groups) await this.d.broadcasts.syncGroups(await this.d.groups.list());
    return this.d.broadcasts.listTargets();
  }

  /**
   * The week's digest, composed for the officers to review: one card with the week's figures and
   * the best-rated cases among the week's resolutions.
   */
  async composeWeeklyDigest(figures: { weekStart: string; received: number; resolved: number; medianDays: number | null; topCodes: readonly string[] }, author: Actor): Promise<BroadcastRecord | null> {
    if (await this.d.broadcasts.weekDigestExists(figures.weekStart)) return null;
    const t = (vi: string, en: string) => (this.d.city.name.vi ? vi : en);
    const lines = [
      t(`Tiếp nhận: ${figures.received} phản ánh`, `Received: ${figures.received}`),
      t(`Đã xử lý: ${figures.resolved}`, `Resolved: ${figures.resolved}`),
      t(`Thời gian xử lý (trung vị): ${figures.medianDays ?? '–'} ngày`, `Median days to resolve: ${figures.medianDays ?? '–'}`),
    ];
    const card = await this.d.cards.renderDigest({ title: `${this.d.city.name.vi} – tuần ${figures.weekStart}`, lines, locale: 'vi' });
    const items: Array<{ reportId: string | null; cardKey: string }> = [{ reportId: null, cardKey: await this.d.cardStore.put(card) }];
    const codes: string[] = [];
    for (const code of figures.topCodes.slice(0, 5)) {
      const r = await this.d.reports.findByCode(code);
      if (!r || (await this.eligibilityOf(r))) continue;
      const card2 = await this.d.cards.renderCase({
        beforeKey: (await this.d.publicPhotos.publicKey(r.photos[0]!.key))!,
        afterKey: (await this.d.publicPhotos.publicKey(r.resultPhotos[0]!.key))!,
        category: this.categoryTitle(r.category, 'vi'),
        place: streetAndWard(r.address, this.d.wardName(r.ward)),
        filedOn: this.date(r.createdAt, 'vi'),
        resolvedOn: this.date(r.resolvedAt!, 'vi'),
        days: daysToResolve(r.createdAt, r.resolvedAt!),
        code: r.code,
        locale: 'vi',
      });
      items.push({ reportId: r.id, cardKey: await this.d.cardStore.put(card2) });
      codes.push(r.code);
    }
    const created = await this.d.broadcasts.create({ kind: 'digest', locale: 'vi', caption: '', captionEn: null, removed: [], author, items, targetIds: [], weekStart: figures.weekStart });
    const caption = [`📊 ${this.d.city.name.vi} – kết quả tiếp nhận, xử lý phản ánh tuần ${figures.weekStart}`, ...lines.map((l) => `• ${l}`), codes.length ? `Tiêu biểu: ${codes.join(', ')}` : '', created.ref].filter(Boolean).join('\n');
    await this.d.broadcasts.setCaption(created.id, caption, []);
    return this.get(created.id);
  }

  /** The weekly job: last week's digest draft (Monday to Sunday in the city's time), once per week. */
  async weeklyDigest(author: Actor): Promise<BroadcastRecord | null> {
    const now = this.d.clock.now();
    // Vietnam is UTC+7 all year: the last Monday 00:00 local, a week back.
    const local = new Date(now.getTime() + 7 * 3_600_000);
    const dow = (local.getUTCDay() + 6) % 7;
    const thisMonday = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - dow) - 7 * 3_600_000;
    const from = new Date(thisMonday - 7 * 86_400_000);
    const to = new Date(thisMonday);
    const weekStart = new Date(from.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const f = await this.d.broadcasts.weekFigures(from, to);
    return this.composeWeeklyDigest({ weekStart, ...f }, author);
  }

  async get(id: string): Promise<BroadcastRecord> {
    const b = await this.d.broadcasts.get(id);
    if (!b) throw new DomainError('broadcast.not-found', `there is no broadcast ${id}`);
    return b;
  }

  private scrub(text: string, removed: Array<{ kind: string; value: string }>): string {
    const s = scrubResidentText(text);
    removed.push(...s.removed);
    return s.text;
  }

  /** Renders the caption and makes sure every post carries its case codes and its reference. */
  private finalCaption(template: string, values: Record<string, string>, codes: readonly string[], ref: string): string {
    const text = renderCaption(template, values);
    const missing = codes.filter((c) => !text.includes(c));
    let out = text;
    if (missing.length > 0) out += `\n${missing.join(', ')}`;
    if (!out.includes(ref)) out += `\n${ref}`;
    return [...out].slice(0, 1900).join('');
  }

  private categoryTitle(slug: string, locale: Locale): string {
    return this.d.categories.find((c) => c.slug === slug)?.title[locale] ?? slug;
  }

  private date(d: Date, locale: Locale): string {
    return d.toLocaleDateString(locale === 'vi' ? 'vi-VN' : 'en-GB', { timeZone: this.d.city.timezone, day: '2-digit', month: '2-digit', year: 'numeric' });
  }
}

function isStaff(a: Actor): a is Extract<Actor, { kind: 'staff' | 'integration' }> {
  return a.kind === 'staff' || a.kind === 'integration';
}
