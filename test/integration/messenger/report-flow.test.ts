import sharp from 'sharp';
import request from 'supertest';
import { createHarness, transcript, type Harness } from '../../support/harness';
import { waitFor } from '../../support/redaction';

async function photo(color: [number, number, number] = [200, 30, 30]): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: { r: color[0], g: color[1], b: color[2] } } }).jpeg().toBuffer();
}

describe('a resident files a report on Messenger', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  async function say(psid: string, req: { body: string; headers: Record<string, string> }) {
    const res = await h.postMessenger(req);
    expect(res.status).toBe(200);
    await h.idle();
  }

  it('when the resident taps Get Started, replies with a welcome and the menu', async () => {
    const psid = 'psid-welcome';
    await say(psid, h.webhooks.postback({ psid, payload: 'GET_STARTED', title: 'Bắt đầu' }));
    const msgs = transcript(h.graph, psid);
    expect(msgs.map((m) => m.text).join('\n')).toMatch(/Thành phố Huế/);
    expect(msgs.at(-1)!.payloads).toEqual(['REPORT_START', 'ASK_QUESTION', 'MY_REPORTS', 'LANGUAGE']);
  });

  it('walks through description → photo → typed address → category → confirm and returns a PA- code', async () => {
    const psid = 'psid-order-1';
    await say(psid, h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    expect(transcript(h.graph, psid).at(-1)!.text).toMatch(/mô tả/i);

    await say(psid, h.webhooks.text({ psid, text: 'Ổ gà rất lớn giữa đường, xe máy dễ té' }));
    expect(transcript(h.graph, psid).at(-1)!.text).toMatch(/ảnh/);

    const url = h.graph.hostFile(await photo(), 'image/jpeg');
    await say(psid, h.webhooks.image({ psid, urls: [url] }));
    const afterPhoto = h.graph.sentMessages(psid).at(-1)!;
    expect(afterPhoto.message?.attachment?.payload.template_type).toBe('button');
    const mapButton = afterPhoto.message!.attachment!.payload.buttons![0]!;
    expect(mapButton.type).toBe('web_url');
    expect(mapButton.url).toMatch(/^http:\/\/bot\.test\/webview\/location\?t=/);

    await say(psid, h.webhooks.text({ psid, text: '12 Lê Lợi' }));
    const confirm = transcript(h.graph, psid).at(-1)!;
    expect(confirm.text).toMatch(/Lê Lợi/);
    expect(confirm.payloads).toEqual(['LOCATION_CONFIRM', 'LOCATION_RETRY']);

    await say(psid, h.webhooks.quickReply({ psid, text: 'Đúng vị trí', payload: 'LOCATION_CONFIRM' }));
    const cat = transcript(h.graph, psid).at(-1)!;
    expect(cat.payloads[0]).toBe('CATEGORY:road-damage');
    expect(cat.payloads.length).toBeLessThanOrEqual(13);

    await say(psid, h.webhooks.quickReply({ psid, text: 'Đường, vỉa hè hư', payload: 'CATEGORY:road-damage' }));
    const summary = transcript(h.graph, psid).at(-1)!;
    expect(summary.text).toMatch(/Ổ gà rất lớn/);
    expect(summary.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);

    await say(psid, h.webhooks.quickReply({ psid, text: 'Gửi', payload: 'REPORT_CONFIRM' }));
    const doneMessage = transcript(h.graph, psid).at(-1)!;
    const done = doneMessage.text;
    const code = done.match(/PA-[2-9A-HJ-NP-Z]{6,10}/)?.[0];
    expect(code).toBeDefined();
    // With the code, whether the city may publish the result; a tap on PUBLISH_OK is stored on the report.
    expect(doneMessage.payloads).toEqual(['PUBLISH_OK', 'PUBLISH_NO']);
    await say(psid, h.webhooks.quickReply({ psid, text: 'Đồng ý công khai', payload: 'PUBLISH_OK' }));
    expect(transcript(h.graph, psid).at(-1)!.text).toContain(code!);
    expect((await h.t.db.query('SELECT publish FROM reports WHERE code = $1', [code])).rows[0]).toEqual({ publish: true });

    const stored = await h.t.db.query<{ category: string; description: string; photos: number }>(
      'SELECT category, description, (SELECT count(*)::int FROM report_photos p WHERE p.report_id = r.id) AS photos FROM reports r WHERE code = $1', [code]);
    expect(stored.rows[0]).toEqual({ category: 'road-damage', description: 'Ổ gà rất lớn giữa đường, xe máy dễ té', photos: 1 });

    const api = await request(h.rt.app).get(`/api/reports/${code}`);
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({ code, status: 'received', category: 'road-damage', location: { lat: expect.any(Number), lng: expect.any(Number) } });
    expect(api.body.photos.length).toBeLessThanOrEqual(1);
    expect(JSON.stringify(api.body)).not.toContain(psid);
    // A photo is public once the face detector (a background job) has made its redacted copy.
    const published = await waitFor('the public copy of the photo', async () => {
      const r = await request(h.rt.app).get(`/api/reports/${code}`);
      return r.body.photos.length === 1 ? (r.body as { photos: Array<{ url: string }> }) : null;
    });
    const media = await request(h.rt.app).get(new URL(published.photos[0]!.url).pathname);
    expect(media.status).toBe(200);
    expect(media.headers['content-type']).toBe('image/jpeg');
  });

  it('accepts the parts in another order: photo first (starting the report), then location pin, then text', async () => {
    const psid = 'psid-order-2';
    const url = h.graph.hostFile(await photo([10, 120, 40]), 'image/jpeg');
    await say(psid, h.webhooks.image({ psid, urls: [url] }));
    expect(transcript(h.graph, psid).map((m) => m.text).join('\n')).toMatch(/mô tả/i);
    await say(psid, h.webhooks.location({ psid, lat: 16.4667, lng: 107.5905 }));
    await say(psid, h.webhooks.text({ psid, text: 'Đèn đường kiệt 45 tắt cả tuần nay' }));
    const cat = transcript(h.graph, psid).at(-1)!;
    expect(cat.payloads[0]).toBe('CATEGORY:street-lights');
    await say(psid, h.webhooks.quickReply({ psid, text: 'Đèn', payload: 'CATEGORY:street-lights' }));
    await say(psid, h.webhooks.quickReply({ psid, text: 'Gửi', payload: 'REPORT_CONFIRM' }));
    expect(transcript(h.graph, psid).at(-1)!.text).toMatch(/PA-[2-9A-HJ-NP-Z]{6,10}/);
  });

  it('refuses a location outside the city with an explanation and keeps asking for one', async () => {
    const psid = 'psid-outside';
    await say(psid, h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(psid, h.webhooks.location({ psid, lat: 10.7731, lng: 106.7004 }));
    expect(transcript(h.graph, psid).map((m) => m.text).join('\n')).toMatch(/ngoài địa bàn Thành phố Huế/);
    const draft = await h.t.db.query("SELECT data FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1", [psid]);
    expect(draft.rows[0]!.data.location).toBeUndefined();
  });

  it('"hủy" cancels the draft at any step', async () => {
    const psid = 'psid-cancel';
    await say(psid, h.webhooks.postback({ psid, payload: 'REPORT_START' }));
    await say(psid, h.webhooks.text({ psid, text: 'Rác đổ trộm đầu kiệt 12 Phan Đình Phùng' }));
    await say(psid, h.webhooks.text({ psid, text: 'hủy' }));
    expect(transcript(h.graph, psid).at(-1)!.text).toMatch(/Đã hủy/);
    const n = await h.t.db.query("SELECT count(*)::int AS n FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1", [psid]);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('"my reports" lists the last reports and a code shows its status', async () => {
    const psid = 'psid-order-1';
    await say(psid, h.webhooks.text({ psid, text: 'Báo cáo của tôi' }));
    const list = transcript(h.graph, psid).at(-1)!.text;
    expect(list).toMatch(/PA-[2-9A-HJ-NP-Z]{6,10}/);
    const code = list.match(/PA-[2-9A-HJ-NP-Z]{6,10}/)![0];
    await say(psid, h.webhooks.text({ psid, text: code.toLowerCase() }));
    expect(transcript(h.graph, psid).at(-1)!.text).toMatch(/Đã tiếp nhận/);
  });
});
