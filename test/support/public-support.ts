/**
 * Helpers of the issue-13 tests (Open311, the public page, analytics): an app with a first admin,
 * a clock the test moves, a stand-in for photo redaction, API keys of each role, reports in the
 * states a test needs, and a staff actor to move them.
 */
import sharp from 'sharp';
import type { ApplicationOptions } from '../../src/main';
import type { StaffActor, StaffRole } from '../../src/domain/staff/actor';
import type { TransitionRequest } from '../../src/domain/reports/lifecycle';
import { ADMIN, adminActor, TestClock } from '../integration/console/console-support';
import { createHarness, type Harness } from './harness';

export { TestClock };

/** Photo redaction stand-in: every stored photo counts as redacted except those listed. */
export class FakeRedaction {
  readonly notYet = new Set<string>();
  readonly asked: string[] = [];
  publicPhotos = async (keys: readonly string[]): Promise<Map<string, { key: string; thumbKey: string }>> => {
    this.asked.push(...keys);
    return new Map(keys.filter((k) => !this.notYet.has(k)).map((k) => [k, { key: k, thumbKey: k }]));
  };
}

export interface PublicHarness extends Harness {
  readonly clock: TestClock;
  readonly redaction: FakeRedaction;
}

export async function publicHarness(o: { env?: Record<string, string>; runtime?: Partial<ApplicationOptions>; redaction?: FakeRedaction | null } = {}): Promise<PublicHarness> {
  const clock = new TestClock();
  const redaction = o.redaction === null ? null : (o.redaction ?? new FakeRedaction());
  const h = await createHarness({
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...o.env },
    runtime: { clock, ...(redaction ? { publicPhotos: redaction } : {}), ...o.runtime },
  });
  return Object.assign(h, { clock, redaction: redaction ?? new FakeRedaction() });
}

let keySeq = 0;

/** A new API key of `role` (agency keys get HEPCO unless told); returns the `pak_…` secret and its actor. */
export async function apiKey(h: Harness, role: StaffRole, o: { agencies?: string[]; name?: string } = {}): Promise<{ key: string; actor: StaffActor }> {
  keySeq += 1;
  const scope = role === 'agency' ? { agencies: o.agencies ?? ['hepco'] } : {};
  const { record, key } = await h.rt.staff.accounts.createApiKey(await adminActor(h), { name: o.name ?? `${role} system ${keySeq}`, role, ...scope }, { ip: null });
  return { key, actor: { kind: 'integration', id: record.id, role, agencies: [...record.agencies], wards: [...record.wards] } };
}

/** A JPEG the fakes can host (a different colour each time, so keys differ). */
export async function photo(seed = Math.floor(Math.random() * 200)): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: seed, g: 120, b: 255 - seed } } }).jpeg().toBuffer();
}

/** A URL the app may download (the fake Graph API hosts it; its host is in MEDIA_FETCH_ALLOW). */
export async function hostedPhoto(h: Harness, seed?: number): Promise<string> {
  return h.graph.hostFile(await photo(seed), 'image/jpeg');
}

/**
 * Files a report directly through `FileReport.fileDirect` (the same checks and pipeline as a chat
 * report) for a Messenger (or Zalo) resident, with one photo.
 */
export async function fileAs(
  h: Harness,
  psid: string,
  o: { category?: string; description?: string; lat?: number; lng?: number; address?: string | null; photos?: number; channel?: 'messenger' | 'zalo' } = {},
): Promise<{ code: string; id: string; residentId: string }> {
  const channel = o.channel ?? 'messenger';
  const residentId = (await h.rt.residents.touch(channel, psid, new Date())).id;
  const urls = await Promise.all(Array.from({ length: o.photos ?? 1 }, () => hostedPhoto(h)));
  const r = await h.rt.useCases.fileReport.fileDirect({
    residentId,
    channel,
    locale: 'vi',
    category: o.category ?? 'road-damage',
    description: o.description ?? 'Ổ gà lớn giữa đường, xe máy dễ ngã',
    point: { lat: o.lat ?? 16.4665, lng: o.lng ?? 107.5905 },
    address: o.address === undefined ? '12, Lê Lợi, Phường Thuận Hóa, Thành phố Huế, 49000, Việt Nam' : o.address,
    photoUrls: urls,
  });
  return { code: r.code, id: r.id, residentId };
}

/** Moves a report as the first admin would in the console. */
export async function move(h: Harness, code: string, request: TransitionRequest, actor?: StaffActor): Promise<string> {
  const out = await h.rt.useCases.changeStatus.execute(code, request, actor ?? (await adminActor(h)));
  return out.eventId;
}

/** Takes a report through assigned → in_progress → resolved with a reply and a result photo. */
export async function resolve(h: Harness, code: string, reply = 'Đã vá ổ gà, cảm ơn bạn đã phản ánh.', withPhoto = true): Promise<void> {
  await move(h, code, { to: 'assigned', agency: 'so-xay-dung' });
  await move(h, code, { to: 'in_progress' });
  const photoIds = withPhoto ? [(await h.rt.useCases.recordPhoto.fromBytes(await photo(7))).key] : [];
  await move(h, code, { to: 'resolved', note: reply, photoIds });
}
