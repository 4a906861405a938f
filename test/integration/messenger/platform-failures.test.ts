import sharp from 'sharp';
import request from 'supertest';
import { pdfFile, rotatedJpegWithGps } from '../../fixtures/images';
import { createHarness, transcript, type Harness } from '../../support/harness';

async function photo(i: number): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 3, background: { r: (i * 41) % 256, g: (i * 97) % 256, b: (i * 13) % 256 } } })
    .jpeg()
    .toBuffer();
}

interface DraftData {
  description?: string;
  photos: Array<{ key: string; thumbKey: string; width: number; height: number }>;
  location?: { lat: number; lng: number; source: string };
  pendingLocation?: { lat: number; lng: number; source: string };
}

describe('the bot survives what the Messenger platform throws at it', () => {
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

  async function statuses(psid: string): Promise<string[]> {
    const r = await h.t.db.query<{ status: string }>('SELECT status FROM inbound_events WHERE conversation_key = $1 ORDER BY id', [`messenger:${psid}`]);
    return r.rows.map((x) => x.status);
  }

  /** Waits until no event of `psid` is pending (failed handling is retried on the next poll). */
  async function settled(psid: string, timeoutMs = 5000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await h.idle();
      const s = await statuses(psid);
      if (!s.includes('pending') || Date.now() > deadline) return s;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const sendCalls = () => h.graph.calls({ method: 'POST', path: '/me/messages' });

  it.each([
    ['a rate limit (#613)', 'rate-limit' as const, 400, 613],
    ['a Graph 500', 'server' as const, 500, 2],
  ])('when a send hits %s, the client retries and the reply still arrives once', async (_name, kind, status, code) => {
    const psid = `pf-retry-${kind}`;
    const before = sendCalls().length;
    h.graph.failNext(kind, 1, { path: '/me/messages' });
    await say(h.webhooks.text({ psid, text: 'PA-KKKKKK' }));

    const calls = sendCalls().slice(before);
    expect(calls.map((c) => c.status)).toEqual([status, 200]);
    expect((calls[0]!.response as { error: { code: number } }).error.code).toBe(code);
    expect(transcript(h.graph, psid).map((m) => m.text)).toEqual([expect.stringMatching(/PA-KKKKKK/)]);
    expect(await statuses(psid)).toEqual(['done']);
  });

  it('when the page token is rejected, nothing crashes, the reply waits and goes out once the token works, before the next answer', async () => {
    const psid = 'pf-token';
    h.graph.failNext('token', 1, { path: '/me/messages' });
    const res = await h.postMessenger(h.webhooks.text({ psid, text: 'PA-TTTTTT' }));
    expect(res.status).toBe(200);
    expect(await settled(psid)).toEqual(['done']);

    // Still serving: health and a fresh webhook.
    expect((await request(h.rt.app).get('/healthz')).status).toBe(200);

    // The token works again (the fake stops failing): the waiting reply goes out after its back-off,
    // and the resident's next message is answered after it, in order.
    await h.graph.waitForMessages(psid, 1, 10_000);
    await say(h.webhooks.text({ psid, text: 'PA-UUUUUU' }));
    expect(transcript(h.graph, psid).map((m) => m.text)).toEqual([
      expect.stringMatching(/Không tìm thấy phản ánh có mã PA-TTTTTT/),
      expect.stringMatching(/Không tìm thấy phản ánh có mã PA-UUUUUU/),
    ]);
    expect(await settled(psid)).toEqual(['done', 'done']);
  });

  it('when a photo URL answers 404, says politely in Vietnamese to send the photo again, and keeps no photo', async () => {
    const psid = 'pf-404';
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: 'Cây đổ chắn ngang đường Lê Lợi' }));
    const seen = h.graph.sentMessages(psid).length;
    await say(h.webhooks.image({ psid, urls: [`${h.graph.url}/cdn/expired-attachment-0001`] }));

    const texts = transcript(h.graph, psid).slice(seen).map((m) => m.text).join('\n');
    expect(texts).toMatch(/chưa tải được ảnh/);
    expect(texts).toMatch(/gửi lại ảnh/);
    expect(texts).not.toMatch(/hệ thống đang gặp sự cố/);
    expect(texts).toMatch(/gửi 1–5 ảnh/); // and asks for the photo again
    expect((await draftOf(psid))!.photos).toEqual([]);
    expect(await statuses(psid)).toEqual(['done', 'done', 'done']);
  });

  it('when a "photo" is really a PDF served as image/jpeg, names the formats that work and adds nothing', async () => {
    const psid = 'pf-pdf';
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: 'Rác thải đổ trộm đầu kiệt 12' }));
    const url = h.graph.hostFile(pdfFile(), 'image/jpeg');
    await say(h.webhooks.image({ psid, urls: [url] }));

    const last = transcript(h.graph, psid).map((m) => m.text).slice(-2).join('\n');
    expect(last).toMatch(/JPEG, PNG, WebP, AVIF hoặc GIF/);
    expect((await draftOf(psid))!.photos).toEqual([]);
    const media = await h.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media');
    const before = media.rows[0]!.n;
    // A real photo afterwards is accepted, so the resident was not stuck.
    await say(h.webhooks.image({ psid, urls: [h.graph.hostFile(await photo(1), 'image/jpeg')] }));
    expect((await draftOf(psid))!.photos).toHaveLength(1);
    expect((await h.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM media')).rows[0]!.n).toBeGreaterThan(before);
  });

  it('when a photo carries GPS inside Huế, offers that place to confirm and stores the photo without EXIF', async () => {
    const psid = 'pf-exif';
    const url = h.graph.hostFile(await rotatedJpegWithGps({ lat: 16.4665, lng: 107.5905 }), 'image/jpeg');
    await say(h.webhooks.image({ psid, urls: [url] }));

    const last = transcript(h.graph, psid).at(-1)!;
    expect(last.text).toMatch(/vị trí chụp/);
    expect(last.text).toMatch(/16\.466/);
    expect(last.payloads).toEqual(['LOCATION_CONFIRM', 'LOCATION_RETRY']);

    const draft = (await draftOf(psid))!;
    expect(draft.photos).toHaveLength(1);
    expect(draft.pendingLocation).toMatchObject({ source: 'exif' });
    expect(draft.pendingLocation!.lat).toBeCloseTo(16.4665, 3);
    expect(draft.pendingLocation!.lng).toBeCloseTo(107.5905, 3);

    const stored = draft.photos[0]!;
    const fetchMedia = async (key: string): Promise<Buffer> => {
      const res = await request(h.rt.app).get(`/media/${key}`).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      return res.body as Buffer;
    };
    for (const [key, upright] of [[stored.key, [400, 600]], [stored.thumbKey, undefined]] as const) {
      const bytes = await fetchMedia(key);
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      if (upright) expect([meta.width, meta.height]).toEqual(upright); // turned upright
      else expect(meta.height!).toBeGreaterThan(meta.width!);
      expect(bytes.includes(Buffer.from('Secret Alley'))).toBe(false);
      expect(bytes.includes(Buffer.from('SpyCam'))).toBe(false);
    }

    await say(h.webhooks.quickReply({ psid, text: 'Đúng vị trí', payload: 'LOCATION_CONFIRM' }));
    expect((await draftOf(psid))!.location).toMatchObject({ source: 'exif' });
  });

  it('when a resident sends more than 5 photos, keeps 5 and says the rest were not saved', async () => {
    const psid = 'pf-six';
    await say(h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: 'Ngập sâu sau mưa ở đường Hùng Vương' }));
    const urls = await Promise.all(Array.from({ length: 6 }, async (_, i) => h.graph.hostFile(await photo(10 + i), 'image/jpeg')));
    await say(h.webhooks.image({ psid, urls }));

    expect((await draftOf(psid))!.photos).toHaveLength(5);
    const texts = transcript(h.graph, psid).map((m) => m.text).join('\n');
    expect(texts).toMatch(/Đã nhận 5 ảnh \(tổng 5\/5\)/);
    expect(texts).toMatch(/tối đa 5 ảnh/);

    // One more later is refused the same way.
    await say(h.webhooks.image({ psid, urls: [h.graph.hostFile(await photo(99), 'image/jpeg')] }));
    expect((await draftOf(psid))!.photos).toHaveLength(5);
    expect(transcript(h.graph, psid).map((m) => m.text).slice(-3).join('\n')).toMatch(/tối đa 5 ảnh/);
  });

  it('when an English-speaking resident taps LANGUAGE, the bot answers in English from then on', async () => {
    const psid = 'pf-english';
    h.graph.setUserProfile(psid, { locale: 'en_US', first_name: 'Alex', last_name: 'Smith' });
    await say(h.webhooks.postback({ psid, payload: 'LANGUAGE', title: '🌐 English' }));
    const switched = transcript(h.graph, psid);
    expect(switched.map((m) => m.text).join('\n')).toMatch(/Switched to English/);
    expect(switched.at(-1)!.text).toMatch(/^Hello! .*\nSwitched to English\.\nHow can we help\?$/); // one message: the welcome (first contact), the note and the menu
    expect(switched.at(-1)!.payloads).toEqual(['REPORT_START', 'ASK_QUESTION', 'MY_REPORTS', 'LANGUAGE']);

    await say(h.webhooks.quickReply({ psid, text: '📷 Report a problem', payload: 'REPORT_START' }));
    await say(h.webhooks.text({ psid, text: 'short' }));
    await say(h.webhooks.text({ psid, text: 'Large pothole in front of 12 Le Loi' }));
    const later = transcript(h.graph, psid).slice(switched.length).map((m) => m.text);
    expect(later.join('\n')).toMatch(/Let's file a report/);
    expect(later.join('\n')).toMatch(/at least 10 characters/);
    expect(later.at(-1)).toMatch(/Please send 1–5 photos/);
    // No Vietnamese bot text after the switch.
    for (const text of later) expect(text).not.toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i);

    // The map picker the bot links to opens in English too.
    await say(h.webhooks.image({ psid, urls: [h.graph.hostFile(await photo(50), 'image/jpeg')] }));
    const ask = h.graph.sentMessages(psid).at(-1)!.message!.attachment!.payload;
    expect(ask.text).toMatch(/Where is it\?/);
    const map = ask.buttons![0]!;
    expect(map.title).toBe('📍 Pick on map');
    expect(new URL(map.url!).searchParams.get('lang')).toBe('en');
  });
});
