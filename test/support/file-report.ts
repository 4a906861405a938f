/** Files a complete report through the signed webhooks, as a resident would, and returns its code. */
import sharp from 'sharp';
import type { Harness } from './harness';

export async function fileReport(h: Harness, channel: 'messenger' | 'zalo', userId: string): Promise<{ code: string; id: string }> {
  const img = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 9, g: 9, b: 200 } } }).jpeg().toBuffer();
  if (channel === 'messenger') {
    const url = h.graph.hostFile(img, 'image/jpeg');
    for (const req of [
      h.webhooks.postback({ psid: userId, payload: 'REPORT_START' }),
      h.webhooks.text({ psid: userId, text: 'Cây đổ chắn ngang đường Lê Lợi' }),
      h.webhooks.image({ psid: userId, urls: [url] }),
      h.webhooks.location({ psid: userId, lat: 16.4665, lng: 107.5905 }),
      h.webhooks.quickReply({ psid: userId, text: 'Cây', payload: 'CATEGORY:trees' }),
      h.webhooks.quickReply({ psid: userId, text: 'Gửi', payload: 'REPORT_CONFIRM' }),
    ]) {
      await h.postMessenger(req);
      await h.idle();
    }
  } else {
    const url = h.zalo.hostFile(img, 'image/jpeg');
    for (const req of [
      h.zaloWebhooks.userSendText({ userId, text: '#REPORT_START' }),
      h.zaloWebhooks.userSendImage({ userId, imageUrls: [url], text: 'Cây đổ chắn ngang đường Lê Lợi' }),
      h.zaloWebhooks.userSendLocation({ userId, lat: '16.4665', lng: '107.5905' }),
      h.zaloWebhooks.userSendText({ userId, text: '#CATEGORY:trees' }),
      h.zaloWebhooks.userSendText({ userId, text: '#REPORT_CONFIRM' }),
    ]) {
      await h.postZalo(req);
      await h.idle();
    }
  }
  const r = await h.t.db.query<{ code: string; id: string }>(
    'SELECT r.code, r.id FROM reports r JOIN residents x ON x.id = r.resident_id WHERE x.platform_user_id = $1 ORDER BY r.id DESC LIMIT 1', [userId]);
  return { code: r.rows[0]!.code, id: String(r.rows[0]!.id) };
}
