/**
 * Helpers of the photo redaction tests: a report filed with a given photo (through the signed
 * Messenger webhooks, as a resident would), waiting for the face detector job, and a gate in front
 * of the real detector so a test can look at a photo before detection has run.
 */
import type { FaceDetector } from '../../src/domain/photos/ports';
import type { Harness } from './harness';

/** Files a report whose one photo is `jpeg`; returns its code, id and the stored photo's key. */
export async function fileReportWithPhoto(h: Harness, psid: string, jpeg: Buffer): Promise<{ code: string; id: string; key: string; thumbKey: string }> {
  const url = h.graph.hostFile(jpeg, 'image/jpeg');
  for (const req of [
    h.webhooks.postback({ psid, payload: 'REPORT_START' }),
    h.webhooks.text({ psid, text: 'Xe máy đậu chắn lối đi bộ trước chợ' }),
    h.webhooks.image({ psid, urls: [url] }),
    h.webhooks.location({ psid, lat: 16.4665, lng: 107.5905 }),
    h.webhooks.quickReply({ psid, text: 'Lấn chiếm', payload: 'CATEGORY:encroachment' }),
    h.webhooks.quickReply({ psid, text: 'Gửi', payload: 'REPORT_CONFIRM' }),
  ]) {
    const res = await h.postMessenger(req);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await h.idle();
  }
  const r = await h.t.db.query<{ code: string; id: string; media_key: string; thumb_key: string }>(
    `SELECT r.code, r.id::text AS id, p.media_key, p.thumb_key FROM reports r JOIN residents x ON x.id = r.resident_id
     JOIN report_photos p ON p.report_id = r.id WHERE x.platform_user_id = $1 ORDER BY r.id DESC LIMIT 1`,
    [psid],
  );
  const row = r.rows[0];
  if (!row) throw new Error(`no report with a photo was filed for ${psid}; check the conversation`);
  return { code: row.code, id: row.id, key: row.media_key, thumbKey: row.thumb_key };
}

/** Polls until `check` answers something truthy (the job runs in the background); fails after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the face detector job has handled the photo; returns its row. */
export async function waitForDetection(h: Harness, key: string): Promise<{ status: string; auto_boxes: Array<{ x: number; y: number; w: number; h: number; score: number }>; detector: string; redacted_key: string; redacted_thumb_key: string; revision: number }> {
  return waitFor(`face detection of ${key.slice(0, 12)}…`, async () => {
    const r = await h.t.db.query('SELECT status, auto_boxes, detector, redacted_key, redacted_thumb_key, revision FROM photo_redactions WHERE media_key = $1 AND detected_at IS NOT NULL', [key]);
    return r.rows[0] as Awaited<ReturnType<typeof waitForDetection>> | undefined;
  });
}

/** The real detector behind a gate: detection waits until {@link GatedDetector.open} is called. */
export class GatedDetector implements FaceDetector {
  readonly version: string;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  /** Photos that reached the gate. */
  arrived = 0;

  constructor(private readonly real: FaceDetector) {
    this.version = real.version;
  }

  open(): void {
    this.release();
  }

  async detect(jpeg: Buffer): ReturnType<FaceDetector['detect']> {
    this.arrived++;
    await this.gate;
    return this.real.detect(jpeg);
  }
}
