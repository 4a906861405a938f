import { createHarness, transcript, zaloTranscript, type Harness } from '../../support/harness';

describe('free text is understood on both channels', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ nlu: true });
  }, 60_000);
  afterAll(async () => h.close());

  async function messenger(psid: string, text: string) {
    expect((await h.postMessenger(h.webhooks.text({ psid, text }))).status).toBe(200);
    await h.idle();
    return h.graph.sentMessages(psid);
  }
  async function zalo(userId: string, text: string) {
    expect((await h.postZalo(h.zaloWebhooks.userSendText({ userId, text }))).status).toBe(200);
    await h.idle();
    return h.zalo.sentMessages(userId);
  }

  it('an emergency on Messenger gets 113/114/115 at once with call buttons and never starts a report', async () => {
    const psid = 'psid-fire';
    const msgs = await messenger(psid, 'cháy nhà rồi, có người kẹt bên trong cứu với');
    const last = msgs.at(-1)!;
    const payload = last.message!.attachment!.payload;
    expect(payload.text).toMatch(/114/);
    expect(payload.buttons!.map((b) => b.payload)).toEqual(['114', '113', '115']);
    expect(payload.buttons!.every((b) => b.type === 'phone_number')).toBe(true);
    const drafts = await h.t.db.query("SELECT count(*)::int AS n FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1", [psid]);
    expect(drafts.rows[0]!.n).toBe(0);
  });

  it('an emergency typed in English on Zalo is answered in English with phone buttons', async () => {
    const userId = '8100000000000000001';
    const msgs = await zalo(userId, 'help my neighbour is drowning in the river');
    const raw = JSON.stringify(msgs.at(-1)!.message);
    expect(raw).toMatch(/EMERGENCY/);
    expect(raw).toMatch(/oa\.open\.phone/);
    expect(raw).toMatch(/115|114/);
  });

  it('a question about a procedure gets the short answer, a details button and related topics', async () => {
    const psid = 'psid-faq';
    await messenger(psid, 'lam lai can cuoc mat bao lau vay ad');
    const last = transcript(h.graph, psid).at(-1)!;
    expect(last.text).toMatch(/căn cước/i);
    expect(last.payloads).toContain('FAQ_MORE:can-cuoc');
    expect(last.payloads).toContain('HUMAN');
    expect((await h.postMessenger(h.webhooks.quickReply({ psid, text: 'Chi tiết', payload: 'FAQ_MORE:can-cuoc' }))).status).toBe(200);
    await h.idle();
    expect(transcript(h.graph, psid).map((m) => m.text).join('\n')).toMatch(/Căn cứ pháp lý|Lệ phí/);
  });

  it('a report described in free text starts the report flow with the description and a suggested category', async () => {
    const userId = '8100000000000000002';
    await zalo(userId, 'cột đèn kiệt 45 Phan Đình Phùng tắt cả tuần nay rồi');
    const all = zaloTranscript(h.zalo, userId).map((m) => m.text).join('\n');
    expect(all).toMatch(/ảnh/);
    const draft = await h.t.db.query("SELECT d.data FROM report_drafts d JOIN residents r ON r.id = d.resident_id WHERE r.platform_user_id = $1", [userId]);
    expect(draft.rows[0]!.data.description).toMatch(/cột đèn/);
    expect(draft.rows[0]!.data.suggestedCategory).toBe('street-lights');
  });

  it('something out of scope is declined with the hotline and an offer of a person, who then takes over', async () => {
    const psid = 'psid-oos';
    await messenger(psid, 'giá vàng hôm nay bao nhiêu');
    const last = h.graph.sentMessages(psid).at(-1)!;
    const text = last.message?.text ?? last.message?.attachment?.payload.text ?? '';
    expect(text).toMatch(/1022/);
    expect(JSON.stringify(last)).toContain('HUMAN');
    await h.postMessenger(h.webhooks.quickReply({ psid, text: 'Gặp cán bộ', payload: 'HUMAN' }));
    await h.idle();
    expect(h.graph.calls({ path: /pass_thread_control/ }).length).toBe(1);
    const count = h.graph.sentMessages(psid).length;
    await messenger(psid, 'anh ơi cho em hỏi thêm');
    expect(h.graph.sentMessages(psid)).toHaveLength(count); // the bot stays quiet while staff handle it
  });
});
