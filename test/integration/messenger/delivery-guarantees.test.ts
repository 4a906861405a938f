import sharp from 'sharp';
import { newMid } from '../../../dev/fakes/messenger-webhooks';
import { createHarness, transcript, type Harness } from '../../support/harness';

/** A small JPEG of one colour (distinct colours give distinct content hashes). */
async function photo(i: number): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 } } })
    .jpeg()
    .toBuffer();
}

const HUE = { lat: 16.4665, lng: 107.5905 };

describe('Messenger events are acknowledged fast and handled once, in order', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterEach(() => h.graph.slow(0));
  afterAll(async () => h.close());

  async function events(psid: string): Promise<Array<{ dedupe_key: string; status: string }>> {
    const r = await h.t.db.query<{ dedupe_key: string; status: string }>(
      'SELECT dedupe_key, status FROM inbound_events WHERE conversation_key = $1 ORDER BY id',
      [`messenger:${psid}`],
    );
    return r.rows;
  }

  async function drafts(psid: string): Promise<Array<{ data: { photos: unknown[]; location?: { lat: number; lng: number } } }>> {
    const r = await h.t.db.query<{ data: { photos: unknown[]; location?: { lat: number; lng: number } } }>(
      'SELECT d.data FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1',
      [psid],
    );
    return r.rows;
  }

  it('when Meta delivers the same message twice (same mid), acknowledges both and replies once', async () => {
    const psid = 'dg-same-mid';
    const req = h.webhooks.text({ psid, text: 'Xin chào, tôi muốn hỏi', mid: newMid() });

    const first = await h.postMessenger(req);
    expect(first.status).toBe(200);
    await h.idle();
    const repliesAfterFirst = h.graph.sentMessages(psid).length;
    expect(repliesAfterFirst).toBeGreaterThan(0);

    const second = await h.postMessenger(req);
    expect(second.status).toBe(200);
    await h.idle();

    expect(h.graph.sentMessages(psid)).toHaveLength(repliesAfterFirst);
    expect(await events(psid)).toEqual([{ dedupe_key: `mid:${JSON.parse(req.body).entry[0].messaging[0].message.mid}`, status: 'done' }]);
  });

  it('when the redelivery races the original (both in flight at once), still replies once', async () => {
    const psid = 'dg-same-mid-race';
    const req = h.webhooks.text({ psid, text: 'PA-RRRRRR' });
    const [a, b] = await Promise.all([h.postMessenger(req), h.postMessenger(req)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.idle();
    expect(transcript(h.graph, psid).map((m) => m.text)).toEqual([expect.stringMatching(/PA-RRRRRR/)]);
    expect(await events(psid)).toHaveLength(1);
  });

  it('when one batched POST carries the same message twice, stores and answers it once', async () => {
    const psid = 'dg-same-mid-batch';
    const one = h.webhooks.text({ psid, text: 'PA-WWWWWW' });
    const res = await h.postMessenger(h.webhooks.batch([one, one]));
    expect(res.status).toBe(200);
    await h.idle();
    expect(transcript(h.graph, psid).map((m) => m.text)).toEqual([expect.stringMatching(/PA-WWWWWW/)]);
    expect(await events(psid)).toHaveLength(1);
  });

  it('when a postback without mid is redelivered with its original timestamp, handles it once', async () => {
    const psid = 'dg-postback';
    const timestamp = Date.now() - 5_000;
    const build = () =>
      h.webhooks.event({
        sender: { id: psid },
        recipient: { id: h.webhooks.pageId },
        timestamp,
        postback: { title: 'Báo cáo của tôi', payload: 'MY_REPORTS' },
      });

    expect((await h.postMessenger(build())).status).toBe(200);
    await h.idle();
    expect((await h.postMessenger(build())).status).toBe(200);
    await h.idle();

    expect(transcript(h.graph, psid).map((m) => m.text)).toEqual([expect.stringMatching(/chưa gửi phản ánh nào/)]);
    expect(await events(psid)).toEqual([{ dedupe_key: `postback:${psid}:${timestamp}:MY_REPORTS`, status: 'done' }]);

    // The same button tapped again later carries a new timestamp: a new event, answered again.
    const later = h.webhooks.event({
      sender: { id: psid },
      recipient: { id: h.webhooks.pageId },
      timestamp: timestamp + 1000,
      postback: { title: 'Báo cáo của tôi', payload: 'MY_REPORTS' },
    });
    expect((await h.postMessenger(later)).status).toBe(200);
    await h.idle();
    expect(h.graph.sentMessages(psid)).toHaveLength(2);
  });

  it('handles the messages of one resident in the order they arrived, even while replies are slow', async () => {
    const psid = 'dg-order';
    const codes = ['PA-AAAAA2', 'PA-BBBBB3', 'PA-CCCCC4', 'PA-DDDDD5', 'PA-EEEEE6'];
    h.graph.slow(60); // later messages arrive while earlier ones are still being answered
    const t0 = Date.now();
    for (const [i, code] of codes.entries()) {
      const res = await h.postMessenger(h.webhooks.text({ psid, text: code, timestamp: t0 + i }));
      expect(res.status).toBe(200);
    }
    await h.idle();
    const replies = transcript(h.graph, psid).map((m) => m.text);
    expect(replies).toHaveLength(5);
    replies.forEach((text, i) => expect(text).toContain(codes[i]));
  });

  it('THE RACE: a photo and a location sent at the same moment both land in the one draft', async () => {
    const psid = 'dg-race';
    const url = h.graph.hostFile(await photo(1), 'image/jpeg');
    const [r1, r2] = await Promise.all([
      h.postMessenger(h.webhooks.image({ psid, urls: [url] })),
      h.postMessenger(h.webhooks.location({ psid, ...HUE })),
    ]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    await h.idle();

    const rows = await drafts(psid);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.data.photos).toHaveLength(1);
    expect(rows[0]!.data.location).toMatchObject(HUE);
    expect((await events(psid)).map((e) => e.status)).toEqual(['done', 'done']);
  });

  it('20 events from one resident at once still make exactly one draft', async () => {
    const psid = 'dg-twenty';
    const urls = await Promise.all(Array.from({ length: 10 }, async (_, i) => h.graph.hostFile(await photo(100 + i), 'image/jpeg')));
    const reqs = [
      ...urls.map((url) => h.webhooks.image({ psid, urls: [url] })),
      ...Array.from({ length: 5 }, (_, i) => h.webhooks.location({ psid, lat: HUE.lat + i / 10_000, lng: HUE.lng })),
      ...Array.from({ length: 5 }, () => h.webhooks.postback({ psid, payload: 'REPORT_START' })),
    ];
    expect(reqs).toHaveLength(20);
    const res = await Promise.all(reqs.map((r) => h.postMessenger(r)));
    expect(res.map((r) => r.status)).toEqual(Array(20).fill(200));
    await h.idle();

    const residents = await h.t.db.query('SELECT id FROM residents WHERE platform_user_id = $1', [psid]);
    expect(residents.rows).toHaveLength(1);
    const rows = await drafts(psid);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.data.photos).toHaveLength(5); // the per-report maximum
    expect(rows[0]!.data.location).toBeDefined();
    const ev = await events(psid);
    expect(ev).toHaveLength(20);
    expect(ev.every((e) => e.status === 'done')).toBe(true);
  });

  it('acknowledges the webhook without waiting for the conversation to reply', async () => {
    const psid = 'dg-fast-ack';
    h.graph.slow(1500);
    const t0 = Date.now();
    const res = await h.postMessenger(h.webhooks.text({ psid, text: 'PA-FFFFF7' }));
    const ackMs = Date.now() - t0;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(1000);
    expect(h.graph.sentMessages(psid)).toHaveLength(0);
    // The event is durable before the 200 went out.
    expect(await events(psid)).toHaveLength(1);

    await h.idle();
    const sent = h.graph.sentMessageRecords(psid);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.at.getTime() - t0).toBeGreaterThanOrEqual(1400);
    expect(await events(psid)).toEqual([expect.objectContaining({ status: 'done' })]);
  });
});
