/**
 * Every durable job queue: its name, the zod schema of its payload, its retry and back-off policy,
 * the idempotency key of a job and, for scheduled work, when it runs. Handlers are registered in
 * `src/main.ts`; this module knows nothing of them.
 */
import { z } from 'zod';

export interface QueuePolicy {
  /** Attempts after the first. */
  readonly retryLimit: number;
  /** Seconds before the first retry (doubled each time when `backoff`). */
  readonly retryDelaySeconds: number;
  readonly backoff: boolean;
  /** A job running longer than this is considered failed and retried. */
  readonly expireInSeconds: number;
}

export interface QueueDef<P> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
  readonly policy: QueuePolicy;
  /** The same key twice is one job (pg-boss singleton key); null: no deduplication. */
  readonly key: (payload: P) => string | null;
  /** Scheduled work: cron expression and time zone. */
  readonly cron?: { readonly expression: string; readonly tz: string };
}

const define = <P>(q: QueueDef<P>): QueueDef<P> => q;

const CITY_TZ = 'Asia/Ho_Chi_Minh';

/** A resident's notice about one public change of their report (one history event). */
export const residentNotice = define({
  name: 'report-status-notification',
  payload: z.object({ reportId: z.string().regex(/^\d+$/), eventId: z.string().regex(/^\d+$/) }).strict(),
  policy: { retryLimit: 5, retryDelaySeconds: 30, backoff: true, expireInSeconds: 120 },
  key: (p) => `event:${p.eventId}`,
});
export type ResidentNoticeJob = z.infer<typeof residentNotice.payload>;

/** Closes reports resolved more than REOPEN_DAYS ago (hourly). */
export const closeResolved = define({
  name: 'close-resolved-reports',
  payload: z.object({}).passthrough(),
  policy: { retryLimit: 2, retryDelaySeconds: 60, backoff: true, expireInSeconds: 600 },
  key: () => null,
  cron: { expression: '17 * * * *', tz: CITY_TZ },
});

/** Reminds agencies of their overdue reports (every morning). */
export const overdueReminders = define({
  name: 'overdue-reminders',
  payload: z.object({}).passthrough(),
  policy: { retryLimit: 2, retryDelaySeconds: 300, backoff: true, expireInSeconds: 600 },
  key: () => null,
  cron: { expression: '0 7 * * *', tz: CITY_TZ },
});

/** Purges residents' raw messages after INBOX_RETENTION_DAYS (every night). */
export const purgeRetained = define({
  name: 'purge-retained-messages',
  payload: z.object({}).passthrough(),
  policy: { retryLimit: 2, retryDelaySeconds: 600, backoff: true, expireInSeconds: 1800 },
  key: () => null,
  cron: { expression: '30 3 * * *', tz: CITY_TZ },
});

/** One (broadcast, target) delivery; `round` counts manual retries and crash recoveries. */
export const broadcastDelivery = define({
  name: 'broadcast-delivery',
  payload: z.object({ deliveryId: z.string().regex(/^\d+$/), round: z.number().int().min(0).max(1000) }).strict(),
  // Rate limits and spam brakes are waited out: up to 8 tries over about two hours.
  policy: { retryLimit: 8, retryDelaySeconds: 30, backoff: true, expireInSeconds: 60 },
  key: (p) => `delivery:${p.deliveryId}:${p.round}`,
});
export type BroadcastDeliveryJob = z.infer<typeof broadcastDelivery.payload>;

/** Composes the week's digest draft for the communications officers (Monday morning). */
export const weeklyDigest = define({
  name: 'weekly-digest',
  payload: z.object({}).passthrough(),
  policy: { retryLimit: 2, retryDelaySeconds: 300, backoff: true, expireInSeconds: 600 },
  key: () => null,
  cron: { expression: '0 6 * * 1', tz: CITY_TZ },
});

// ── Photo redaction (src/app/photo-redaction.ts) ──
/** Content key of a stored photo: 64 hex digits and an extension. */
const mediaKey = z.string().regex(/^[a-f0-9]{64}\.(jpg|webp)$/);

/**
 * Finds the faces in a stored photo and makes its public copy (queued when a photo is stored).
 * One job per photo however often it is stored; the detector runs one photo at a time per
 * process. Until it has run, the photo is not public.
 */
export const photoRedaction = define({
  name: 'photo-redaction',
  payload: z.object({ key: mediaKey }).strict(),
  policy: { retryLimit: 4, retryDelaySeconds: 30, backoff: true, expireInSeconds: 300 },
  key: (p) => `photo:${p.key}`,
});
export type PhotoRedactionJob = z.infer<typeof photoRedaction.payload>;

/** Queues detection of photos left pending (lost or failed jobs, photos older than redaction). */
export const photoRedactionSweep = define({
  name: 'photo-redaction-sweep',
  payload: z.object({}).passthrough(),
  policy: { retryLimit: 1, retryDelaySeconds: 120, backoff: false, expireInSeconds: 300 },
  key: () => null,
  cron: { expression: '*/10 * * * *', tz: CITY_TZ },
});
// ── end of photo redaction ──

// ── Issue 13: the weekly report to the People's Committee ──
/**
 * Computes and stores the weekly report of the week that just ended (or of `weekStart`, a Monday),
 * every Monday at 07:00 city time; the console lists the stored reports. Idempotent per week.
 */
export const weeklyReport = define({
  name: 'weekly-report',
  payload: z.object({ weekStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).passthrough(),
  policy: { retryLimit: 3, retryDelaySeconds: 300, backoff: true, expireInSeconds: 900 },
  key: (p) => (p.weekStart ? `week:${p.weekStart}` : null),
  cron: { expression: '0 7 * * 1', tz: CITY_TZ },
});
// ── end of issue 13 ──

/** Where jobs whose payload fails validation go, with the reason (never retried). */
export const deadLetter = define({
  name: 'dead-letter',
  payload: z.object({ queue: z.string(), reason: z.string(), data: z.unknown() }).strict(),
  policy: { retryLimit: 0, retryDelaySeconds: 0, backoff: false, expireInSeconds: 60 },
  key: () => null,
});

export const ALL_QUEUES: readonly QueueDef<unknown>[] = [residentNotice, closeResolved, overdueReminders, purgeRetained, broadcastDelivery, weeklyDigest, photoRedaction, photoRedactionSweep, weeklyReport, deadLetter] as QueueDef<unknown>[];
