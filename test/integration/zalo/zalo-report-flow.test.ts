import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { signZalo } from '../../../src/channels/zalo/zalo-signature';
import { sendPhotoToZalo } from '../../../src/channels/zalo/zalo-photos';
import { createHarness, TEST_ZALO, zaloTranscript, type Harness } from '../../support/harness';

const FIXTURES = path.join(__dirname, '../../fixtures/zalo');

async function photo(bytes = 800): Promise<Buffer> {
  return sharp({ create: { width: bytes, height: 600, channels: 3, background: { r: 120, g: 90, b: 30 } } }).jpeg().toBuffer();
}

describe('a resident files a report on the city Zalo OA', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  async function send(req: { body: string; headers: Record<string, string> }) {
    const res = await h.postZalo(req);
    expect(res.status).toBe(200);
    await h.idle();
  }

  it.each(fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')))('accepts the documented %s with a valid signature and refuses it with a wrong one', async (file) => {
    const raw = JSON.stringify(JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')));
    const good = await h.postZalo({ body: raw, headers: { 'content-type': 'application/json', 'x-zevent-signature': signZalo(raw, TEST_ZALO.appId, TEST_ZALO.oaSecretKey) } });
    expect(good.status).toBe(200);
    const bad = await h.postZalo({ body: raw, headers: { 'content-type': 'application/json', 'x-zevent-signature': signZalo(raw, TEST_ZALO.appId, 'wrong-secret') } });
    expect(bad.status).toBe(401);
    const missing = await h.postZalo({ body: raw, headers: { 'content-type': 'application/json' } });
    expect(missing.status).toBe(401);
    await h.idle();
  });

  it('runs the whole report with list-template buttons whose payloads carry the Messenger tokens', async () => {
    const userId = '5519028374615903001';
    await send(h.zaloWebhooks.userSendText({ userId, text: '#REPORT_START' }));
    expect(zaloTranscript(h.zalo, userId).at(-1)!.text).toMatch(/mô tả/i);

    const url = h.zalo.hostFile(await photo(), 'image/jpeg');
    await send(h.zaloWebhooks.userSendImage({ userId, imageUrls: [url], text: 'Cột đèn kiệt 45 Phan Đình Phùng tắt cả tuần' }));
    const askLoc = zaloTranscript(h.zalo, userId).at(-1)!;
    expect(askLoc.links[0]).toMatch(/\/webview\/location\?t=/);

    await send(h.zaloWebhooks.userSendLocation({ userId, lat: '16.4598', lng: '107.5862', text: 'Kiệt 45 Phan Đình Phùng' }));
    const cat = zaloTranscript(h.zalo, userId).at(-1)!;
    expect(cat.payloads[0]).toBe('CATEGORY:street-lights');
    expect(cat.payloads.length).toBeLessThanOrEqual(5);

    await send(h.zaloWebhooks.userSendText({ userId, text: '#CATEGORY:street-lights' }));
    expect(zaloTranscript(h.zalo, userId).at(-1)!.payloads).toEqual(['REPORT_CONFIRM', 'REPORT_EDIT', 'REPORT_CANCEL']);
    await send(h.zaloWebhooks.userSendText({ userId, text: '#REPORT_CONFIRM' }));
    const all = zaloTranscript(h.zalo, userId).map((m) => m.text).join('\n');
    expect(all).toMatch(/PA-[2-9A-HJ-NP-Z]{6,10}/);
    // With the code, whether the city may publish the result (tapped: #PUBLISH_NO keeps it private).
    expect(zaloTranscript(h.zalo, userId).at(-1)!.payloads).toEqual(['PUBLISH_OK', 'PUBLISH_NO']);
    await send(h.zaloWebhooks.userSendText({ userId, text: '#PUBLISH_NO' }));
    const chosen = await h.t.db.query('SELECT r.publish FROM reports r JOIN residents x ON x.id = r.resident_id WHERE x.platform_user_id = $1', [userId]);
    expect(chosen.rows).toEqual([{ publish: false }]);
    // Consent question for a call-back phone, then the platform's own form.
    expect(zaloTranscript(h.zalo, userId).at(-1)!.payloads).toEqual(['PHONE_CONSENT', 'PHONE_DECLINE']);
    await send(h.zaloWebhooks.userSendText({ userId, text: '#PHONE_CONSENT' }));
    const req = h.zalo.sentMessages(userId).at(-1)!.message as { attachment?: { payload?: { template_type?: string } } };
    expect(req.attachment?.payload?.template_type).toBe('request_user_info');
    await send(h.zaloWebhooks.userSubmitInfo({ userId, info: { name: 'Trần Thị B', phone: '84903123456', address: '', city: '', district: '', ward: '' } as never }));
    const contact = await h.t.db.query("SELECT c.phone FROM resident_contacts c JOIN residents r ON r.id = c.resident_id WHERE r.platform_user_id = $1", [userId]);
    expect(contact.rows[0]!.phone).toBe('84903123456');
    const report = await h.t.db.query("SELECT to_jsonb(r) AS row FROM reports r JOIN residents x ON x.id = r.resident_id WHERE x.platform_user_id = $1", [userId]);
    expect(JSON.stringify(report.rows[0]!.row)).not.toContain('84903123456');
  });

  it('handles a redelivered event (same msg_id) once', async () => {
    const userId = '5519028374615903002';
    const req = h.zaloWebhooks.userSendText({ userId, text: 'Báo cáo của tôi', msgId: 'dup-msg-0001' });
    await send(req);
    await send(req);
    expect(h.zalo.sentMessages(userId)).toHaveLength(1);
  });

  it('falls back to numbered text choices the resident answers with a digit when Zalo refuses the list template', async () => {
    const userId = '5519028374615903003';
    h.zalo.failNext('reject-template', 1);
    await send(h.zaloWebhooks.follow({ userId }));
    const menu = zaloTranscript(h.zalo, userId).at(-1)!.text;
    expect(menu).toMatch(/1\. .*Gửi phản ánh/);
    await send(h.zaloWebhooks.userSendText({ userId, text: '1' }));
    expect(zaloTranscript(h.zalo, userId).map((m) => m.text).join('\n')).toMatch(/mô tả sự việc/);
  });
});

describe('Zalo specifics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  it('re-encodes a photo larger than 1 MB under the limit before uploading it to Zalo', async () => {
    const noise = Buffer.alloc(2400 * 1800 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const big = await sharp(noise, { raw: { width: 2400, height: 1800, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    expect(big.length).toBeGreaterThan(1_000_000);
    const userId = '5519028374615903009';
    h.zalo.userInteracted(userId);
    await sendPhotoToZalo(h.rt.clients.zalo!, userId, big, 'Trước và sau');
    const upload = h.zalo.calls(/upload\/image/).at(-1)!;
    expect((upload.body as { file: { size: number } }).file.size).toBeLessThanOrEqual(1_000_000);
    expect(JSON.stringify(h.zalo.sentMessages(userId).at(-1)!.message)).toContain('attachment_id');
  });

  it('takes the report in another order: location first, then text, then photo', async () => {
    const userId = '5519028374615903010';
    const send = async (req: { body: string; headers: Record<string, string> }) => {
      expect((await h.postZalo(req)).status).toBe(200);
      await h.idle();
    };
    await send(h.zaloWebhooks.userSendLocation({ userId, lat: '16.4727', lng: '107.5883', text: 'Chợ Đông Ba' }));
    await send(h.zaloWebhooks.userSendText({ userId, text: 'Rác thải chất đống trước cổng chợ mấy ngày nay' }));
    await send(h.zaloWebhooks.userSendImage({ userId, imageUrls: [h.zalo.hostFile(await photo(), 'image/jpeg')] }));
    const cat = zaloTranscript(h.zalo, userId).at(-1)!;
    expect(cat.payloads[0]).toBe('CATEGORY:waste');
    await send(h.zaloWebhooks.userSendText({ userId, text: '#CATEGORY:waste' }));
    await send(h.zaloWebhooks.userSendText({ userId, text: '#REPORT_CONFIRM' }));
    expect(zaloTranscript(h.zalo, userId).map((m) => m.text).join('\n')).toMatch(/PA-[2-9A-HJ-NP-Z]{6,10}/);
  });
});
