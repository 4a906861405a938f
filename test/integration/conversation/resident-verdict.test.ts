/**
 * The resident's side of a report's life, on both channels, through signed webhooks and the jobs
 * module: every public change reaches the resident in their thread naming the code; a resolution
 * carries the reply, the result photo and "is it really fixed?"; confirming leads to a 1–5 rating
 * that closes the report (a comment that follows is attached), rejecting reopens it (flagged) within
 * REOPEN_DAYS; typed answers work like taps; outside the messaging window the question waits for
 * the resident's next message; "my reports" and a code show the status, the reply and the photo.
 */
import sharp from 'sharp';
import type { Actor } from '../../../src/domain/staff/actor';
import { fileReport } from '../../support/file-report';
import { createHarness, type Harness } from '../../support/harness';
import { messengerChat, zaloChat, type Chat, type Seen } from './chat';

const OPERATOR: Actor = { kind: 'staff', id: '21', role: 'operator', agencies: [], wards: [] };

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
}, 120_000);
afterAll(async () => h.close());

let serial = 0;
const channels: Array<[string, () => Chat]> = [
  ['Messenger', () => messengerChat(h, `psid-verdict-${++serial}`)],
  ['Zalo', () => zaloChat(h, `72100000000000${String(++serial).padStart(5, '0')}`)],
];

/** Waits until the resident has seen at least `n` messages in all (notices come from jobs). */
async function seenAtLeast(chat: Chat, n: number): Promise<Seen[]> {
  const until = Date.now() + 10_000;
  while (chat.all().length < n) {
    if (Date.now() > until) throw new Error(`expected ${n} messages, got ${chat.all().length}: ${JSON.stringify(chat.all().map((m) => m.text))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return chat.all();
}

async function waitUntil(what: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 10_000;
  while (!(await what())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Files a report as the resident, then the IOC and the agency take it to `resolved` with a photo. */
async function resolvedReport(chat: Chat): Promise<{ code: string; id: string; photoKey: string; before: number }> {
  const { code, id } = await fileReport(h, chat.channel, chat.userId);
  const before = chat.all().length;
  const uc = h.rt.useCases;
  await uc.changeStatus.execute(code, { to: 'assigned', agency: 'hepco' }, OPERATOR);
  await uc.changeStatus.execute(code, { to: 'in_progress' }, OPERATOR);
  const photo = await uc.recordPhoto.fromBytes(await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a7' } }).jpeg().toBuffer());
  await uc.changeStatus.execute(code, { to: 'resolved', note: 'Đã cưa và dọn cây đổ.', photoIds: [photo.key] }, OPERATOR);
  // The notice leaves its question as the conversation's choice point (typed answers) once sent.
  await waitUntil(async () => (await h.t.db.query("SELECT 1 FROM bot_sessions WHERE id = $1 AND data->'_state'->'menu'->>'yes' = $2", [`${chat.channel}:${chat.userId}`, `RESOLVED_CONFIRM:${code}`])).rowCount === 1);
  return { code, id, photoKey: photo.key, before };
}

async function stored(id: string) {
  const r = await h.t.db.query<{ status: string; rating: number | null; rating_comment: string | null; reopened: boolean; reopen_count: number }>(
    'SELECT status, rating, rating_comment, reopened, reopen_count FROM reports WHERE id = $1', [id]);
  return r.rows[0]!;
}

/** What the fakes recorded as images sent to this resident. */
function imagesSent(chat: Chat): string[] {
  if (chat.channel === 'messenger') {
    return h.graph.sentMessages(chat.userId).flatMap((m) => (m.message?.attachment?.type === 'image' ? [JSON.stringify(m.message.attachment)] : []));
  }
  return h.zalo.sentMessages(chat.userId).flatMap((m) => {
    const p = (m.message as { attachment?: { payload?: { template_type?: string } } }).attachment?.payload;
    return p?.template_type === 'media' ? [JSON.stringify(p)] : [];
  });
}

describe.each(channels)('on %s', (_name, open) => {
  it('tells each step in the thread naming the code; the resolution has the reply, the photo and the question; confirm → rating → closed, and the comment that follows is attached', async () => {
    const chat = open();
    const { code, id, photoKey, before } = await resolvedReport(chat);
    // assigned, in progress, resolved (+ its question).
    const all = await seenAtLeast(chat, before + 4);
    const notices = all.slice(before).filter((m) => m.text !== '');
    expect(notices.map((m) => m.text.includes(code))).toEqual(notices.map(() => true));
    expect(notices[0]!.text).toMatch(/đã được chuyển đến Công ty CP Môi trường/);
    expect(notices[1]!.text).toMatch(/đang được xử lý/);
    const resolved = notices.find((m) => /đã được xử lý xong/.test(m.text))!;
    expect(resolved.text).toContain('Đã cưa và dọn cây đổ.');
    expect(imagesSent(chat).some((x) => x.includes(photoKey))).toBe(true);
    const question = notices.at(-1)!;
    expect(question.text).toMatch(/đã thực sự được khắc phục chưa/);
    expect(question.payloads).toEqual([`RESOLVED_CONFIRM:${code}`, `RESOLVED_REJECT:${code}`]);
    if (chat.channel === 'zalo') {
      // Zalo renders the choices as list buttons whose payloads start with '#'.
      const raw = JSON.stringify(h.zalo.sentMessages(chat.userId).at(-1));
      expect(raw).toContain(`"#RESOLVED_CONFIRM:${code}"`);
    }

    const rating = await tap(chat, `RESOLVED_CONFIRM:${code}`);
    expect(rating).toHaveLength(1);
    expect(rating[0]!.text).toMatch(/từ 1.*đến 5/);
    expect(rating[0]!.payloads).toEqual([1, 2, 3, 4, 5].map((n) => `RATING:${code}:${n}`));
    expect((await stored(id)).status).toBe('resolved'); // not closed until the rating arrives

    const thanks = await tap(chat, `RATING:${code}:4`);
    expect(thanks[0]!.text).toMatch(/4\/5/);
    expect(await stored(id)).toMatchObject({ status: 'closed', rating: 4, rating_comment: null });

    const commented = await chat.say('Đội làm nhanh, cảm ơn nhiều!');
    expect(commented[0]!.text).toMatch(/Cảm ơn góp ý/);
    expect((await stored(id)).rating_comment).toBe('Đội làm nhanh, cảm ơn nhiều!');
    // Only the very next message is a comment.
    await chat.say('Cho hỏi làm căn cước ở đâu?');
    expect((await stored(id)).rating_comment).toBe('Đội làm nhanh, cảm ơn nhiều!');

    // A second tap on an old rating button changes nothing and says so.
    const again = await tap(chat, `RATING:${code}:1`);
    expect(again[0]!.text).toMatch(/đã có đánh giá/);
    expect((await stored(id)).rating).toBe(4);
  });

  it('reject → back in progress, flagged reopened, with the agency named; the history shows the resident did it', async () => {
    const chat = open();
    const { code, id, before } = await resolvedReport(chat);
    await seenAtLeast(chat, before + 4);
    const reply = await tap(chat, `RESOLVED_REJECT:${code}`);
    expect(reply).toHaveLength(1);
    expect(reply[0]!.text).toMatch(new RegExp(`${code} đã được mở lại`));
    expect(reply[0]!.text).toMatch(/Công ty CP Môi trường/);
    expect(await stored(id)).toMatchObject({ status: 'in_progress', reopened: true, reopen_count: 1 });
    const last = (await h.rt.useCases.queries.history(id)).at(-1)!;
    expect(last).toMatchObject({ from: 'resolved', to: 'in_progress', actor: { kind: 'resident' } });
  });

  it.each([
    ['rồi, sửa xong rồi', 'confirm'],
    ['ok', 'confirm'],
    ['chưa', 'reject'],
    ['vẫn còn', 'reject'],
    ['chưa, vẫn còn nguyên', 'reject'],
  ])('typed "%s" after the notice is a %s', async (typed, expected) => {
    const chat = open();
    const { code, id, before } = await resolvedReport(chat);
    await seenAtLeast(chat, before + 4);
    const reply = await chat.say(typed);
    expect(reply).toHaveLength(1);
    if (expected === 'confirm') {
      expect(reply[0]!.payloads).toEqual([1, 2, 3, 4, 5].map((n) => `RATING:${code}:${n}`));
      // …and a typed number is the rating.
      const done = await chat.say('5');
      expect(done[0]!.text).toMatch(/5\/5/);
      expect(await stored(id)).toMatchObject({ status: 'closed', rating: 5 });
    } else {
      expect(reply[0]!.text).toMatch(/đã được mở lại/);
      expect(await stored(id)).toMatchObject({ status: 'in_progress', reopened: true });
    }
  });

  it('after REOPEN_DAYS the resident is told politely and offered a new report; nothing changes', async () => {
    const chat = open();
    const { code, id, before } = await resolvedReport(chat);
    await seenAtLeast(chat, before + 4);
    await h.t.db.query("UPDATE reports SET resolved_at = now() - interval '15 days' WHERE id = $1", [id]);
    const reply = await tap(chat, `RESOLVED_REJECT:${code}`);
    expect(reply[0]!.text).toMatch(/hơn 14 ngày/);
    expect(reply[0]!.payloads).toEqual(['REPORT_START', 'MENU']);
    expect((await stored(id)).status).toBe('resolved');
  });

  it('"my reports" and the code show the status, the reply and the result photo, and ask whether it is fixed', async () => {
    const chat = open();
    const { code, photoKey, before } = await resolvedReport(chat);
    await seenAtLeast(chat, before + 4);
    const imagesBefore = imagesSent(chat).length;
    const mine = await chat.say('phản ánh của tôi');
    const text = mine.map((m) => m.text).join('\n');
    expect(text).toContain(code);
    expect(text).toMatch(/Đã xử lý xong/);
    expect(text).toContain('Đã cưa và dọn cây đổ.');
    expect(imagesSent(chat).slice(imagesBefore).some((x) => x.includes(photoKey))).toBe(true);
    expect(mine.at(-1)!.payloads).toEqual([`RESOLVED_CONFIRM:${code}`, `RESOLVED_REJECT:${code}`]);

    const imagesBeforeCode = imagesSent(chat).length;
    const byCode = await chat.say(code.toLowerCase());
    const codeText = byCode.map((m) => m.text).join('\n');
    expect(codeText).toMatch(/Đã xử lý xong/);
    expect(codeText).toContain('Trả lời của Thành phố Huế: Đã cưa và dọn cây đổ.');
    expect(imagesSent(chat).slice(imagesBeforeCode).some((x) => x.includes(photoKey))).toBe(true);
    expect(byCode.at(-1)!.payloads).toEqual([`RESOLVED_CONFIRM:${code}`, `RESOLVED_REJECT:${code}`]);
  });

  it('a rejection names the reason and a duplicate the other code', async () => {
    const chat = open();
    const first = await fileReport(h, chat.channel, chat.userId);
    const second = await fileReport(h, chat.channel, chat.userId);
    const before = chat.all().length;
    await h.rt.useCases.changeStatus.execute(first.code, { to: 'rejected', note: 'Ngoài phạm vi quản lý của thành phố.' }, OPERATOR);
    await h.rt.useCases.changeStatus.execute(second.code, { to: 'duplicate', duplicateOf: first.code }, OPERATOR);
    const seen = (await seenAtLeast(chat, before + 2)).slice(before).map((m) => m.text);
    expect(seen.find((t) => t.includes(first.code) && /Lý do: Ngoài phạm vi/.test(t))).toBeDefined();
    expect(seen.find((t) => t.startsWith(`Phản ánh ${second.code} trùng với phản ánh ${first.code}`))).toBeDefined();
  });
});

describe('outside the messaging window', () => {
  it('Messenger: the resolution goes out under ACCOUNT_UPDATE without buttons; the question is asked when the resident writes, and answering it works', async () => {
    const chat = messengerChat(h, 'psid-verdict-late');
    const { code, id } = await fileReport(h, 'messenger', chat.userId);
    await h.rt.useCases.changeStatus.execute(code, { to: 'assigned', agency: 'hepco' }, OPERATOR);
    await h.rt.useCases.changeStatus.execute(code, { to: 'in_progress' }, OPERATOR);
    await waitUntil(async () => chat.all().some((m) => /đang được xử lý/.test(m.text)));
    await h.t.db.query("UPDATE residents SET last_interaction_at = now() - interval '3 days' WHERE platform_user_id = $1", [chat.userId]);
    const sentBefore = h.graph.sentMessages(chat.userId).length;
    await h.rt.useCases.changeStatus.execute(code, { to: 'resolved', note: 'Đã dọn xong.' }, OPERATOR);
    await waitUntil(async () => h.graph.sentMessages(chat.userId).some((m, i) => i >= sentBefore && (m.message?.text ?? '').includes('Đã dọn xong.')));
    await waitUntil(async () => (await h.t.db.query("SELECT 1 FROM deferred_notifications WHERE report_id = $1 AND part = 'choices'", [id])).rowCount === 1);
    const tagged = h.graph.sentMessages(chat.userId).slice(sentBefore);
    expect(tagged).toHaveLength(1);
    expect(tagged[0]).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' });
    expect(tagged[0]!.message?.quick_replies).toBeUndefined();

    const turn = await chat.say('xin chào');
    const question = turn.find((m) => m.payloads.includes(`RESOLVED_CONFIRM:${code}`));
    expect(question?.text).toMatch(new RegExp(`${code} đã thực sự được khắc phục`));
    expect(turn.map((m) => m.text).join('\n')).not.toContain('Đã dọn xong.'); // the text is not sent twice
    const reopened = await tap(chat, `RESOLVED_REJECT:${code}`);
    expect(reopened[0]!.text).toMatch(/đã được mở lại/);
    expect((await stored(id)).status).toBe('in_progress');
  });

  it('Zalo without a ZBS template: the whole notice waits; when the resident writes it arrives with its question, and a typed "rồi" answers it', async () => {
    const chat = zaloChat(h, '7210000000000099999');
    const { code, id } = await fileReport(h, 'zalo', chat.userId);
    await h.rt.useCases.changeStatus.execute(code, { to: 'assigned', agency: 'hepco' }, OPERATOR);
    await h.rt.useCases.changeStatus.execute(code, { to: 'in_progress' }, OPERATOR);
    await waitUntil(async () => chat.all().some((m) => /đang được xử lý/.test(m.text)));
    await h.t.db.query("UPDATE residents SET last_interaction_at = now() - interval '8 days' WHERE platform_user_id = $1", [chat.userId]);
    const seenBefore = chat.all().length;
    await h.rt.useCases.changeStatus.execute(code, { to: 'resolved', note: 'Đã dọn xong.' }, OPERATOR);
    await waitUntil(async () => (await h.t.db.query("SELECT 1 FROM deferred_notifications WHERE report_id = $1 AND part = 'whole'", [id])).rowCount === 1);
    expect(chat.all()).toHaveLength(seenBefore);

    const turn = await chat.say('alo');
    const text = turn.map((m) => m.text).join('\n');
    expect(text).toContain('Đã dọn xong.');
    expect(turn.some((m) => m.payloads.includes(`RESOLVED_REJECT:${code}`))).toBe(true);
    const rating = await chat.say('rồi');
    expect(rating.at(-1)!.payloads).toEqual([1, 2, 3, 4, 5].map((n) => `RATING:${code}:${n}`));
  });
});

/** Taps a button: a Messenger quick reply, or the `#PAYLOAD` text Zalo sends for a list button. */
async function tap(chat: Chat, payload: string): Promise<Seen[]> {
  const before = chat.all().length;
  if (chat.channel === 'messenger') {
    expect((await h.postMessenger(h.webhooks.quickReply({ psid: chat.userId, text: 'x', payload }))).status).toBe(200);
  } else {
    expect((await h.postZalo(h.zaloWebhooks.userSendText({ userId: chat.userId, text: `#${payload}` }))).status).toBe(200);
  }
  await h.idle();
  return chat.all().slice(before);
}
