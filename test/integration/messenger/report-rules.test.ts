import fs from 'node:fs';
import { waitForDetection } from '../../support/redaction';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { CODE_ALPHABET } from '../../../src/domain/reports/report-code';
import { PgReportsRepo } from '../../../src/storage/reports-repo';
import { createHarness, transcript, type Harness } from '../../support/harness';

/** Category slugs as the city maintains them (header row skipped). */
const CATEGORY_SLUGS = fs
  .readFileSync(path.resolve(__dirname, '../../../content/reports/categories.tsv'), 'utf8')
  .split(/\r?\n/)
  .filter((l) => l.trim() !== '')
  .slice(1)
  .map((l) => l.split('\t')[0]!);

const HUE = { lat: 16.4665, lng: 107.5905 };
const chars = (s: string) => Array.from(s).length;

async function photo(i: number): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: (i * 59) % 256, g: (i * 17) % 256, b: (i * 83) % 256 } } })
    .jpeg()
    .toBuffer();
}

interface DraftData {
  description?: string;
  category?: string;
  updatedAt: string;
}

describe('the rules a report follows on Messenger', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  async function say(req: { body: string; headers: Record<string, string> }): Promise<void> {
    const res = await h.postMessenger(req);
    expect(res.status).toBe(200);
    await h.idle();
  }

  async function draftOf(psid: string): Promise<DraftData | null> {
    const r = await h.t.db.query<{ data: DraftData }>(
      'SELECT d.data FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1',
      [psid],
    );
    return r.rows[0]?.data ?? null;
  }

  /** Description, photo and location pin: the bot then asks for the category. */
  async function upToCategory(psid: string, description: string): Promise<void> {
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: description }));
    await say(h.webhooks.image({ psid, urls: [h.graph.hostFile(await photo(chars(psid)), 'image/jpeg')] }));
    await say(h.webhooks.location({ psid, ...HUE }));
  }

  it('reaches all 14 categories through paged quick replies with short titles', async () => {
    expect(CATEGORY_SLUGS).toHaveLength(14);
    const psid = 'rr-categories';
    await upToCategory(psid, 'Có chuyện cần phản ánh ở khu này lâu rồi');

    const page1 = h.graph.sentMessages(psid).at(-1)!.message!;
    const q1 = page1.quick_replies ?? [];
    expect(q1.length).toBeLessThanOrEqual(13);
    const more = q1.find((q) => String(q.payload).startsWith('PAGE:'));
    expect(more?.payload).toBe('PAGE:1');

    await say(h.webhooks.quickReply({ psid, text: more!.title!, payload: 'PAGE:1' }));
    const page2 = h.graph.sentMessages(psid).at(-1)!.message!;
    const q2 = page2.quick_replies ?? [];
    expect(q2.length).toBeLessThanOrEqual(13);
    expect(q2.length).toBeGreaterThan(0);

    const offered = [...q1, ...q2].map((q) => String(q.payload)).filter((p) => p.startsWith('CATEGORY:'));
    for (const slug of CATEGORY_SLUGS) expect(offered).toContain(`CATEGORY:${slug}`);
    expect(new Set(offered).size).toBe(offered.length); // no category on both pages
    for (const q of [...q1, ...q2]) {
      expect(q.content_type).toBe('text');
      expect(chars(q.title ?? '')).toBeGreaterThan(0);
      expect(chars(q.title ?? '')).toBeLessThanOrEqual(20);
    }

    // A category from the second page is accepted.
    const last = CATEGORY_SLUGS.find((s) => q2.some((q) => q.payload === `CATEGORY:${s}`))!;
    await say(h.webhooks.quickReply({ psid, text: 'x', payload: `CATEGORY:${last}` }));
    expect((await draftOf(psid))!.category).toBe(last);
    expect(transcript(h.graph, psid).at(-1)!.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);
  });

  it('when the description is shorter than 10 characters, asks politely for more and stores nothing', async () => {
    const psid = 'rr-short';
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: 'ổ gà' }));
    expect(transcript(h.graph, psid).at(-1)!.text).toMatch(/Mô tả hơi ngắn.*ít nhất 10 ký tự/);
    expect((await draftOf(psid))!.description).toBeUndefined();

    await say(h.webhooks.text({ psid, text: 'Ổ gà lớn giữa đường Trần Hưng Đạo' }));
    expect((await draftOf(psid))!.description).toBe('Ổ gà lớn giữa đường Trần Hưng Đạo');
  });

  it('counts characters as a person does: an 8-letter description typed with decomposed accents (NFD) is still too short', async () => {
    const psid = 'rr-short-nfd';
    const typed = 'Ổ gà lớn'.normalize('NFD'); // 8 letters, 13 code points (some keyboards send this form)
    expect(Array.from(typed).length).toBeGreaterThanOrEqual(10);
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: typed }));
    expect(transcript(h.graph, psid).at(-1)!.text).toMatch(/Mô tả hơi ngắn/);
    expect((await draftOf(psid))!.description).toBeUndefined();
  });

  it('keeps a draft that has been idle for less than 24 hours', async () => {
    const psid = 'rr-idle-23h';
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: 'Cống thoát nước bị tắc ở kiệt 7' }));
    const recent = new Date(Date.now() - 23 * 3_600_000).toISOString();
    await h.t.db.query(
      `UPDATE report_drafts SET data = jsonb_set(data, '{updatedAt}', to_jsonb($1::text))
       WHERE resident_id = (SELECT id FROM residents WHERE platform_user_id = $2)`,
      [recent, psid],
    );
    const seen = h.graph.sentMessages(psid).length;
    await say(h.webhooks.text({ psid, text: 'Chào bạn' }));
    expect(transcript(h.graph, psid).slice(seen).map((m) => m.text).join('\n')).not.toMatch(/đã được hủy/);
    expect((await draftOf(psid))!.description).toBe('Cống thoát nước bị tắc ở kiệt 7');
  });

  it('when a draft has been idle for more than 24 hours, drops it and says so the next time the resident writes', async () => {
    const psid = 'rr-idle';
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: 'Đèn đường kiệt 45 tắt cả tuần nay' }));
    expect(await draftOf(psid)).not.toBeNull();

    const stale = new Date(Date.now() - 25 * 3_600_000).toISOString();
    await h.t.db.query(
      `UPDATE report_drafts SET data = jsonb_set(data, '{updatedAt}', to_jsonb($1::text))
       WHERE resident_id = (SELECT id FROM residents WHERE platform_user_id = $2)`,
      [stale, psid],
    );
    const seen = h.graph.sentMessages(psid).length;
    await say(h.webhooks.text({ psid, text: 'Chào bạn' }));

    const after = transcript(h.graph, psid).slice(seen).map((m) => m.text);
    expect(after[0]).toMatch(/đã được hủy vì hơn 24 giờ không có cập nhật/);
    expect(await draftOf(psid)).toBeNull();
  });

  it('REPORT_EDIT then EDIT:category clears the category and asks for it again', async () => {
    const psid = 'rr-edit';
    await upToCategory(psid, 'Rác thải đổ trộm đầu kiệt 12 Phan Đình Phùng');
    await say(h.webhooks.quickReply({ psid, text: 'Rác thải', payload: 'CATEGORY:waste' }));
    expect(transcript(h.graph, psid).at(-1)!.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);

    await say(h.webhooks.quickReply({ psid, text: '✏️ Sửa', payload: 'REPORT_EDIT' }));
    const which = transcript(h.graph, psid).at(-1)!;
    expect(which.payloads).toEqual(['EDIT:description', 'EDIT:photos', 'EDIT:location', 'EDIT:category', 'REPORT_REVIEW']); // the last one keeps the report as is

    await say(h.webhooks.quickReply({ psid, text: 'Loại sự việc', payload: 'EDIT:category' }));
    const asked = transcript(h.graph, psid).at(-1)!;
    expect(asked.text).toMatch(/Sự việc thuộc loại nào|Mình đoán đây là/);
    expect(asked.payloads.filter((p) => p.startsWith('CATEGORY:')).length).toBeGreaterThan(0);
    expect((await draftOf(psid))!.category).toBeUndefined();

    await say(h.webhooks.quickReply({ psid, text: 'Ô nhiễm', payload: 'CATEGORY:pollution' }));
    const summary = transcript(h.graph, psid).at(-1)!;
    expect(summary.text).toMatch(/Ô nhiễm/);
    expect(summary.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);
  });

  it('report codes are PA- plus 6–10 unambiguous characters, unique across 200 reports', async () => {
    const resident = await h.rt.residents.touch('messenger', 'rr-codes', new Date());
    const repo = new PgReportsRepo(h.t.db);
    const codes: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const made = await Promise.all(
        Array.from({ length: 20 }, () =>
          repo.submit({
            residentId: resident.id,
            channel: 'messenger',
            category: 'other',
            description: 'Báo cáo thử nghiệm mã số',
            place: { ...HUE, address: null, source: 'platform' },
            ward: null,
            createdAt: new Date(),
            dueAt: new Date(Date.now() + 72 * 3_600_000),
            locale: 'vi',
            photos: [],
          }),
        ),
      );
      codes.push(...made.map((r) => r.code));
    }
    expect(codes).toHaveLength(200);
    const shape = new RegExp(`^PA-[${CODE_ALPHABET}]{6,10}$`);
    for (const code of codes) {
      expect(code).toMatch(shape);
      expect(code.slice(3)).not.toMatch(/[01IO]/);
    }
    expect(new Set(codes).size).toBe(200);
    const stored = await h.t.db.query<{ n: number }>('SELECT count(DISTINCT code)::int AS n FROM reports WHERE resident_id = $1', [resident.id]);
    expect(stored.rows[0]!.n).toBe(200);
  });

  it.each([['an unknown code', 'PA-ZZZZZZZ'], ['an unknown code in lower case', 'pa-zzzzzzz'], ['something that is not a code', 'hello']])(
    'GET /api/reports/<%s> answers 404',
    async (_name, code) => {
      const res = await request(h.rt.app).get(`/api/reports/${code}`);
      expect(res.status).toBe(404);
    },
  );

  it('the public report JSON has exactly the public keys and never the resident’s psid', async () => {
    const psid = 'rr-public-9876543210';
    await upToCategory(psid, 'Cây xanh gãy nhánh chắn lối đi Lê Lợi');
    await say(h.webhooks.quickReply({ psid, text: 'Cây xanh', payload: 'CATEGORY:trees' }));
    await say(h.webhooks.quickReply({ psid, text: 'Gửi', payload: 'REPORT_CONFIRM' }));
    const code = transcript(h.graph, psid).at(-1)!.text.match(/PA-[2-9A-HJ-NP-Z]{6,10}/)?.[0];
    expect(code).toBeDefined();

    // Photos are public once the face detector's job has made their redacted copy.
    const key = (await h.t.db.query<{ media_key: string }>('SELECT p.media_key FROM report_photos p JOIN reports r ON r.id = p.report_id WHERE r.code = $1', [code])).rows[0]!.media_key;
    await waitForDetection(h, key);
    for (const asked of [code!, code!.toLowerCase()]) {
      const res = await request(h.rt.app).get(`/api/reports/${asked}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['address', 'category', 'code', 'createdAt', 'location', 'photos', 'status', 'updatedAt']);
      expect(res.body).toMatchObject({ code, status: 'received', category: 'trees' });
      expect(Object.keys(res.body.location).sort()).toEqual(['lat', 'lng']);
      expect(res.body.photos).toHaveLength(1);
      const raw = JSON.stringify(res.body);
      expect(raw).not.toContain(psid);
      expect(raw).not.toContain('9876543210');
      expect(raw).not.toMatch(/resident|psid|description/i);
    }
  });
});
