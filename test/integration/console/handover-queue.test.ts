/**
 * The hand-over queue against real PostgreSQL, the fakes and signed webhooks: a resident who asks
 * for a person (either channel) is in the queue at once (the badge the layout polls), with the
 * transcript both ways; staff reply in the resident's thread (recorded by the fake, audited without
 * the text), are refused clearly outside the window, and return the conversation to the bot, which
 * answers again. Only operators and admins may see or act; every change needs the CSRF token.
 */
import request from 'supertest';
import { PAGE_INBOX_APP_ID } from '../../../dev/fakes/fake-graph-api';
import { newMid, signMessengerBody } from '../../../dev/fakes/messenger-webhooks';
import { createHarness, TEST_MESSENGER, type Harness } from '../../support/harness';
import { messengerChat, zaloChat } from '../conversation/chat';
import { ADMIN, auditRows, createStaff, csrfIn, signIn, type SignedIn } from './console-support';

let h: Harness;
let operator: SignedIn;
beforeAll(async () => {
  h = await createHarness({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOGIN_IP_LIMIT: '1000' }, nlu: true });
  const op = await createStaff(h, 'operator');
  operator = await signIn(h, op.email, op.password);
}, 120_000);
afterAll(async () => h.close());

async function openHandoverOf(userId: string): Promise<string> {
  const r = await h.t.db.query<{ id: string }>(
    'SELECT h.id::text AS id FROM staff_handovers h JOIN residents x ON x.id = h.resident_id WHERE x.platform_user_id = $1 AND h.resolved_at IS NULL', [userId]);
  expect(r.rows).toHaveLength(1);
  return r.rows[0]!.id;
}

async function reply(id: string, text: string, who: SignedIn = operator) {
  return who.agent.post(`/console/handovers/${id}/reply`).type('form').send({ _csrf: who.csrf, text });
}

describe('a Zalo resident who asks for a person', () => {
  const userId = '7330000000000000001';

  it('is in the queue at once with the transcript; the bot stays quiet; staff reply in the thread; "return to the bot" gives the conversation back', async () => {
    const chat = zaloChat(h, userId);
    await chat.say('xin chào');
    const asked = await chat.say('gặp cán bộ');
    expect(asked.map((m) => m.text).join('\n')).toMatch(/chuyển cuộc trò chuyện cho cán bộ/);
    const id = await openHandoverOf(userId);

    // Announced: the badge every console page polls, and the queue.
    const badge = await operator.agent.get('/console/handovers/badge');
    expect(badge.status).toBe(200);
    expect(badge.text).toMatch(/>1<span class="visually-hidden"> 1 đang chờ/);
    const list = await operator.agent.get('/console/handovers');
    expect(list.text).toContain(`/console/handovers/${id}`);
    expect(list.text).toContain('Zalo');
    expect(list.text).toContain('Chờ trả lời');

    // The bot says nothing while a person handles the conversation.
    expect(await chat.say('Đường Lê Lợi trước nhà tôi ngập sâu 40 phân')).toEqual([]);

    const page = await operator.agent.get(`/console/handovers/${id}`);
    expect(page.status).toBe(200);
    for (const line of ['gặp cán bộ', 'chuyển cuộc trò chuyện cho cán bộ', 'Đường Lê Lợi trước nhà tôi ngập sâu 40 phân']) expect(page.text).toContain(line);
    expect(page.text).toMatch(/Trả lời được đến|Có thể gửi tin nhắn tự do đến/);

    const before = h.zalo.sentMessages(userId).length;
    const sent = await reply(id, 'Chào anh, tổ công tác phường sẽ đến kiểm tra chiều nay.');
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/console/handovers/${id}?sent=1#reply`);
    const out = h.zalo.sentMessages(userId).slice(before);
    expect(out.map((m) => (m.message as { text?: string }).text)).toEqual(['Chào anh, tổ công tác phường sẽ đến kiểm tra chiều nay.']);
    const audited = (await auditRows(h, 'handover.reply')).at(-1)!;
    expect(audited).toMatchObject({ actor_kind: 'staff', target_kind: 'handover', target_id: id, details: { channel: 'zalo' } });
    expect(JSON.stringify(audited)).not.toContain('tổ công tác');

    const after = await operator.agent.get(`/console/handovers/${id}/transcript`);
    expect(after.text).toContain('Chào anh, tổ công tác phường sẽ đến kiểm tra chiều nay.');
    expect(after.text).toMatch(/msg-staff/);
    // The queue says the resident has been answered.
    expect((await operator.agent.get('/console/handovers/rows')).text).toContain('Đã trả lời');

    const back = await operator.agent.post(`/console/handovers/${id}/return`).type('form').send({ _csrf: operator.csrf });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/console/handovers?returned=1');
    expect((h.zalo.sentMessages(userId).at(-1)!.message as { text?: string }).text).toMatch(/trợ lý tự động đã quay lại/);
    expect((await auditRows(h, 'handover.return')).at(-1)).toMatchObject({ target_id: id, details: { channel: 'zalo' } });
    expect((await operator.agent.get('/console/handovers/badge')).text.trim()).toBe('');
    const session = await h.t.db.query<{ handed: boolean }>("SELECT (data->'_state'->>'handedOver')::boolean AS handed FROM bot_sessions WHERE id = $1", [`zalo:${userId}`]);
    expect(session.rows[0]!.handed).toBe(false);

    // The bot answers again; a second return is refused clearly.
    const menu = await chat.say('menu');
    expect(menu[0]!.payloads).toContain('REPORT_START');
    const again = await operator.agent.post(`/console/handovers/${id}/return`).type('form').send({ _csrf: operator.csrf });
    expect(again.status).toBe(409);
    expect(again.text).toContain('đã được trả lại cho trợ lý tự động');
  });

  it('asking twice is one request; typing "menu" takes the resident back to the bot and out of the queue', async () => {
    const chat = zaloChat(h, '7330000000000000002');
    await chat.say('gặp cán bộ');
    await chat.say('tôi muốn nói chuyện với nhân viên');
    const id = await openHandoverOf(chat.userId);
    const back = await chat.say('menu');
    expect(back[0]!.text).toMatch(/Trợ lý tự động đã quay lại/);
    const row = await h.t.db.query('SELECT resolved_at IS NOT NULL AS closed, resolved_by_kind FROM staff_handovers WHERE id = $1', [id]);
    expect(row.rows[0]).toEqual({ closed: true, resolved_by_kind: 'resident' });
  });
});

describe('a Messenger resident who asks for a person', () => {
  const psid = 'psid-handover-1';

  it('passes the thread to the Page Inbox; standby messages reach the transcript; a console reply takes the thread back and is sent', async () => {
    const chat = messengerChat(h, psid);
    await chat.say('xin chào');
    expect((await h.postMessenger(h.webhooks.quickReply({ psid, text: 'Gặp cán bộ', payload: 'HUMAN' }))).status).toBe(200);
    await h.idle();
    expect(h.graph.threadOwner(psid)).toBe(PAGE_INBOX_APP_ID);
    const id = await openHandoverOf(psid);

    // While the Page Inbox holds the thread, Meta sends the resident's messages as standby.
    const now = Date.now();
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: TEST_MESSENGER.pageId, time: now, standby: [{ sender: { id: psid }, recipient: { id: TEST_MESSENGER.pageId }, timestamp: now, message: { mid: newMid(), text: 'Cây đổ chắn lối vào trường học' } }] }],
    });
    const sentBefore = h.graph.sentMessages(psid).length;
    expect((await h.postMessenger({ body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(TEST_MESSENGER.appSecret, body) } })).status).toBe(200);
    await h.idle();
    expect(h.graph.sentMessages(psid)).toHaveLength(sentBefore); // the bot does not answer standby
    const transcript = await operator.agent.get(`/console/handovers/${id}/transcript`);
    expect(transcript.text).toContain('Cây đổ chắn lối vào trường học');
    expect(transcript.text).toContain('Chọn nút: HUMAN');

    const sent = await reply(id, 'Dạ, chúng tôi đã báo đơn vị cây xanh.');
    expect(sent.status).toBe(303);
    expect(h.graph.threadOwner(psid)).not.toBe(PAGE_INBOX_APP_ID);
    expect(h.graph.calls({ path: '/me/take_thread_control' }).length).toBeGreaterThanOrEqual(1);
    expect(h.graph.sentMessages(psid).at(-1)!.message?.text).toBe('Dạ, chúng tôi đã báo đơn vị cây xanh.');
  });

  it('when the Page Inbox gives the thread back, the request leaves the queue and the bot answers again (nothing is said meanwhile)', async () => {
    const other = 'psid-handover-back';
    const chat = messengerChat(h, other);
    await chat.say('gặp cán bộ');
    const id = await openHandoverOf(other);
    const lastWrote = (await h.t.db.query('SELECT last_interaction_at FROM residents WHERE platform_user_id = $1', [other])).rows[0]!.last_interaction_at;
    const now = Date.now();
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: TEST_MESSENGER.pageId, time: now, messaging: [{ sender: { id: other }, recipient: { id: TEST_MESSENGER.pageId }, timestamp: now, pass_thread_control: { new_owner_app_id: TEST_MESSENGER.appId, previous_owner_app_id: PAGE_INBOX_APP_ID, metadata: 'done' } }] }],
    });
    const before = h.graph.sentMessages(other).length;
    expect((await h.postMessenger({ body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(TEST_MESSENGER.appSecret, body) } })).status).toBe(200);
    await h.idle();
    expect(h.graph.sentMessages(other)).toHaveLength(before);
    const row = await h.t.db.query('SELECT resolved_at IS NOT NULL AS closed, resolved_by_kind, resolved_by_id FROM staff_handovers WHERE id = $1', [id]);
    expect(row.rows[0]).toEqual({ closed: true, resolved_by_kind: 'system', resolved_by_id: 'page-inbox' });
    // Being given back is not a message from the resident: the messaging window does not move.
    expect((await h.t.db.query('SELECT last_interaction_at FROM residents WHERE platform_user_id = $1', [other])).rows[0]!.last_interaction_at).toEqual(lastWrote);
    expect((await chat.say('menu'))[0]!.payloads).toContain('REPORT_START');
  });

  it('outside the 24-hour window a reply is refused with a clear reason, nothing is sent, the text is kept', async () => {
    const other = 'psid-handover-late';
    const chat = messengerChat(h, other);
    await chat.say('gặp cán bộ');
    const id = await openHandoverOf(other);
    await h.t.db.query("UPDATE residents SET last_interaction_at = now() - interval '2 days' WHERE platform_user_id = $1", [other]);
    const page = await operator.agent.get(`/console/handovers/${id}`);
    expect(page.text).toMatch(/quá thời hạn của Messenger \(24 giờ\)/);
    expect(page.text).toMatch(/<fieldset class="field" disabled>/);
    const before = h.graph.sentMessages(other).length;
    const refused = await reply(id, 'Anh còn ở đó không?');
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('quá thời hạn nhắn tin tự do');
    expect(refused.text).toContain('Anh còn ở đó không?');
    expect(h.graph.sentMessages(other)).toHaveLength(before);
    expect((await auditRows(h, 'handover.reply')).filter((a) => a.target_id === id)).toEqual([]);
  });
});

describe('who may use the queue', () => {
  it('an empty reply is a 422 with the reason; an unknown conversation a 404', async () => {
    const chat = zaloChat(h, '7330000000000000009');
    await chat.say('gặp cán bộ');
    const id = await openHandoverOf(chat.userId);
    const empty = await reply(id, '   ');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Hãy nhập nội dung trả lời.');
    expect((await operator.agent.get('/console/handovers/999999')).status).toBe(404);
    expect((await operator.agent.get('/console/handovers/abc')).status).toBe(404);
  });

  it('agency and viewer users get 403, anonymous users the sign-in page, a form without the CSRF token 403', async () => {
    const chat = zaloChat(h, '7330000000000000010');
    await chat.say('gặp cán bộ');
    const id = await openHandoverOf(chat.userId);
    for (const role of ['agency', 'viewer'] as const) {
      const u = await createStaff(h, role);
      const s = await signIn(h, u.email, u.password);
      expect((await s.agent.get('/console/handovers')).status).toBe(403);
      expect((await s.agent.get('/console/handovers/badge')).status).toBe(403);
      expect((await reply(id, 'xin chào', s)).status).toBe(403);
      // …and their layout has no link to the queue.
      expect((await s.agent.get('/console')).text).not.toContain('/console/handovers');
    }
    const anon = await request(h.rt.app).get('/console/handovers');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toMatch(/^\/console\/login\?next=/);
    const noCsrf = await operator.agent.post(`/console/handovers/${id}/reply`).type('form').send({ text: 'x' });
    expect(noCsrf.status).toBe(403);
    const home = await operator.agent.get('/console');
    expect(csrfIn(home.text)).toBe(operator.csrf);
    expect(home.text).toContain('hx-get="/console/handovers/badge"');
  });
});
