/**
 * The report pages of the console (server-rendered forms, real sessions and CSRF tokens) against
 * real PostgreSQL and the fake platforms: what each role sees and may do on a report, the IOC's
 * triage with the routing proposal, the agency's resolution with a result photo, polite refusals,
 * possible duplicates nearby, notes and category edits, and the daily overdue reminder.
 */
import sharp from 'sharp';
import { overdueReminders } from '../../../src/jobs/queues';
import { fileReport } from '../../support/file-report';
import type { Harness } from '../../support/harness';
import { auditRows, consoleHarness, createStaff, csrfIn, signIn, type SignedIn, type TestClock } from './console-support';

let h: Harness & { clock: TestClock };
const s: Record<'operator' | 'hepco' | 'lights' | 'viewer' | 'communications', SignedIn> = {} as never;
let operatorName = '';

beforeAll(async () => {
  h = await consoleHarness({ env: { LOGIN_IP_LIMIT: '1000' } });
  const people: Array<[keyof typeof s, Parameters<typeof createStaff>[1], { agencies?: string[] }]> = [
    ['operator', 'operator', {}],
    ['hepco', 'agency', { agencies: ['hepco'] }],
    ['lights', 'agency', { agencies: ['chieu-sang'] }],
    ['viewer', 'viewer', {}],
    ['communications', 'communications', {}],
  ];
  for (const [key, role, scope] of people) {
    const u = await createStaff(h, role, scope);
    s[key] = await signIn(h, u.email, u.password);
    if (key === 'operator') operatorName = (await h.t.db.query<{ display_name: string }>('SELECT display_name FROM staff_users WHERE id = $1', [u.id])).rows[0]!.display_name;
  }
});
afterAll(async () => h.close());

let seq = 0;
const psid = () => `psid-pages-${process.pid}-${++seq}`;
const jpeg = () => sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a7' } }).jpeg().toBuffer();

/** Posts a report form with the session's CSRF token. */
const post = (who: SignedIn, path: string, form: Record<string, string>) => who.agent.post(path).type('form').send({ _csrf: who.csrf, ...form });

const status = async (code: string) => (await h.t.db.query<{ status: string }>('SELECT status FROM reports WHERE code = $1', [code])).rows[0]!.status;

describe('the report page', () => {
  it('shows the IOC a new report with its ward, the proposed agency preselected, the SLA, photos, map and history, and the triage actions only', async () => {
    const { code } = await fileReport(h, 'messenger', psid());
    const res = await s.operator.agent.get(`/console/reports/${code}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>Phản ánh ${code}</h1>`);
    expect(res.text).toContain('Phường Thuận Hóa (19789)');
    expect(res.text).toContain('Xác định theo ranh giới minh họa, cần kiểm tra.');
    expect(res.text).toContain('Đề xuất: Công ty CP Môi trường và Công trình đô thị Huế');
    expect(res.text).toMatch(/<option value="hepco" selected>Công ty CP Môi trường và Công trình đô thị Huế — đề xuất<\/option>/);
    expect(res.text).toContain('Còn 1 ngày 0 giờ');
    expect(res.text).toContain('Cây đổ chắn ngang đường Lê Lợi');
    expect(res.text).toMatch(/<img src="\/media\/[a-f0-9]{64}\.(jpg|webp)"[^>]*alt="Ảnh 1 của phản ánh/);
    expect(res.text).toContain(`/console/reports/${code}/photos/`);
    expect(res.text).toContain('data-map="report"');
    expect(res.text).toContain('Người dân gửi phản ánh');
    expect(res.text).toContain('>Giao việc</button>');
    expect(res.text).toContain('Từ chối phản ánh');
    expect(res.text).toContain('Đánh dấu trùng lặp');
    expect(res.text).not.toContain('Bắt đầu xử lý');
    expect(res.text).not.toContain('Hoàn thành xử lý');
    expect(res.text).toContain('Đổi loại phản ánh');
    expect(res.text).toContain('Ghi chú nội bộ');
    // No platform id of the resident anywhere on the page.
    const pid = (await h.t.db.query<{ platform_user_id: string }>('SELECT x.platform_user_id FROM residents x JOIN reports r ON r.resident_id = x.id WHERE r.code = $1', [code])).rows[0]!.platform_user_id;
    expect(res.text).not.toContain(pid);
  });

  it('a viewer reads the report without any action; a communications user cannot see a report before it is resolved; an agency user outside its scope gets 404', async () => {
    const { code } = await fileReport(h, 'messenger', psid());
    const viewer = await s.viewer.agent.get(`/console/reports/${code}`);
    expect(viewer.status).toBe(200);
    expect(viewer.text).not.toContain('/transitions"');
    expect(viewer.text).not.toContain(`/console/reports/${code}/notes`);
    expect(viewer.text).not.toContain(`/console/reports/${code}/category`);
    const refused = await post(s.viewer, `/console/reports/${code}/transitions`, { to: 'assigned', agency: 'hepco' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Vai trò của bạn không được phép');
    expect((await s.communications.agent.get(`/console/reports/${code}`)).status).toBe(404);
    const lights = await s.lights.agent.get(`/console/reports/${code}`);
    expect(lights.status).toBe(404);
    expect(lights.text).toContain('không thuộc phạm vi của bạn');
    expect((await post(s.lights, `/console/reports/${code}/notes`, { text: 'x' })).status).toBe(404);
    expect(await status(code)).toBe('received');
  });
});

describe('working a report through the forms', () => {
  it('the IOC assigns the proposal, the agency starts and resolves with a result photo; every step tells the resident and is audited', async () => {
    const id = psid();
    const { code } = await fileReport(h, 'messenger', id);
    const before = h.graph.sentMessages(id).length;

    const noCsrf = await s.operator.agent.post(`/console/reports/${code}/transitions`).type('form').send({ to: 'assigned', agency: 'hepco' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.text).toContain('Biểu mẫu đã hết hạn');

    const assigned = await post(s.operator, `/console/reports/${code}/transitions`, { to: 'assigned', agency: 'hepco', internalNote: 'Gần trường tiểu học' });
    expect(assigned.status).toBe(303);
    expect(assigned.headers.location).toBe(`/console/reports/${code}?done=assigned`);
    const page = await s.operator.agent.get(assigned.headers.location!);
    expect(page.text).toContain('Đã giao việc. Người dân đã được thông báo.');
    expect(page.text).toContain(operatorName);
    expect(page.text).toContain('Gần trường tiểu học');

    const hepcoPage = await s.hepco.agent.get(`/console/reports/${code}`);
    expect(hepcoPage.text).toContain('Bắt đầu xử lý');
    expect(hepcoPage.text).not.toContain('>Giao việc</button>');
    expect((await post(s.hepco, `/console/reports/${code}/transitions`, { to: 'in_progress' })).status).toBe(303);

    const form = await s.hepco.agent.get(`/console/reports/${code}`);
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(form.text).toContain('Đã xử lý xong'); // canned replies of the category and of every category
    expect(form.text).toContain('Đã xử lý cây');
    const action = /action="(\/console\/reports\/[^"]+\/transitions\?_csrf=[^"]+)" enctype/.exec(form.text)![1]!.replace(/&amp;/g, '&');

    // Photos are asked for: none and no "no photo" tick → the form comes back, nothing changes.
    const noPhoto = await s.hepco.agent.post(action).field('to', 'resolved').field('note', 'Đã cắt tỉa cây.');
    expect(noPhoto.status).toBe(422);
    expect(noPhoto.text).toContain('Hãy đính kèm 1–5 ảnh kết quả');
    expect(noPhoto.text).toContain('Đã cắt tỉa cây.');
    const noReply = await s.hepco.agent.post(action).field('to', 'resolved').field('note', ' ').attach('photos', await jpeg(), 'ket-qua.jpg');
    expect(noReply.status).toBe(422);
    expect(noReply.text).toContain('Hãy nhập nội dung trả lời người dân.');
    expect(await status(code)).toBe('in_progress');

    const resolved = await s.hepco.agent.post(action).field('to', 'resolved').field('note', 'Đã cắt tỉa và thu dọn cây đổ.').field('internalNote', 'Đội 3').attach('photos', await jpeg(), 'ket-qua.jpg');
    expect(resolved.status).toBe(303);
    expect(await status(code)).toBe('resolved');
    const done = await s.hepco.agent.get(resolved.headers.location!);
    expect(done.text).toContain('Đã hoàn thành. Người dân đã nhận trả lời và ảnh kết quả.');
    expect(done.text).toContain('Ảnh kết quả 1 của phản ánh');

    const msgs = await h.graph.waitForMessages(id, before + 4, 10_000);
    expect(msgs.slice(before).some((m) => (m.message?.text ?? '').includes('Đã cắt tỉa và thu dọn cây đổ.'))).toBe(true);
    expect(JSON.stringify(msgs.slice(before))).not.toContain('Đội 3');
    expect((await auditRows(h)).filter((r) => r.target_id === code).map((r) => r.action)).toEqual(['report.assign', 'report.start', 'report.resolve']);
  });

  it('a refused form comes back with a polite message and what was typed: a rejection without a reason (422), a change someone else made first (409)', async () => {
    const { code } = await fileReport(h, 'messenger', psid());
    const noReason = await post(s.operator, `/console/reports/${code}/transitions`, { to: 'rejected', note: '', internalNote: 'ghi chú đang gõ' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Hãy nhập lý do từ chối để gửi người dân.');
    expect(noReason.text).toContain('>ghi chú đang gõ</textarea>');
    expect(noReason.text).toMatch(/<details class="action-more" open>\s*<summary>Từ chối phản ánh/);
    await post(s.operator, `/console/reports/${code}/transitions`, { to: 'assigned', agency: 'hepco' });
    // A stale page: the report is no longer received.
    const stale = await post(s.operator, `/console/reports/${code}/transitions`, { to: 'assigned', agency: 'hepco' });
    expect(stale.status).toBe(422);
    expect(stale.text).toContain('Phản ánh đã được giao cho đơn vị này.');
    await post(s.operator, `/console/reports/${code}/transitions`, { to: 'rejected', note: 'Không thuộc phạm vi.' });
    const late = await post(s.operator, `/console/reports/${code}/transitions`, { to: 'assigned', agency: 'hepco' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Phản ánh vừa thay đổi trạng thái');
    const unknown = await post(s.operator, `/console/reports/${code}/transitions`, { to: 'teleported' });
    expect(unknown.status).toBe(422);
  });

  it('nearby open reports of the same category are listed; one click marks this one as their duplicate', async () => {
    const first = await fileReport(h, 'messenger', psid());
    const second = await fileReport(h, 'messenger', psid());
    const page = await s.operator.agent.get(`/console/reports/${second.code}`);
    expect(page.text).toContain('Phản ánh cùng loại gần đây');
    expect(page.text).toContain(`Đánh dấu ${second.code} trùng với ${first.code}`);
    expect(page.text).toContain('cách 0 m');
    const res = await post(s.operator, `/console/reports/${second.code}/transitions`, { to: 'duplicate', duplicateOf: first.code });
    expect(res.status).toBe(303);
    expect(await status(second.code)).toBe('duplicate');
    const after = await s.operator.agent.get(`/console/reports/${first.code}`);
    expect(after.text).not.toContain(`>${second.code}</a> · cách`);
  });

  it('the IOC changes the category and adds an internal note; both show in the history as internal, audited', async () => {
    const { code } = await fileReport(h, 'messenger', psid());
    const cat = await post(s.operator, `/console/reports/${code}/category`, { category: 'waste', categoryNote: 'Thực ra là rác cành cây' });
    expect(cat.status).toBe(303);
    const note = await post(s.operator, `/console/reports/${code}/notes`, { text: 'Đã liên hệ tổ trưởng dân phố' });
    expect(note.status).toBe(303);
    const empty = await post(s.operator, `/console/reports/${code}/notes`, { text: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Hãy nhập nội dung ghi chú.');
    const page = await s.operator.agent.get(`/console/reports/${code}?done=note`);
    expect(page.text).toContain('Đã thêm ghi chú nội bộ.');
    expect(page.text).toContain('Đổi loại: Cây xanh → Rác thải, vệ sinh môi trường');
    expect(page.text).toContain('Thực ra là rác cành cây');
    expect(page.text).toContain('Đã liên hệ tổ trưởng dân phố');
    expect((await post(s.hepco, `/console/reports/${code}/category`, { category: 'trees' })).status).toBe(403);
    const actions = (await auditRows(h)).filter((r) => r.target_id === code).map((r) => r.action);
    expect(actions).toEqual(['report.category', 'report.note']);
  });

  it('works in English with ?lang=en', async () => {
    const { code } = await fileReport(h, 'messenger', psid());
    const res = await s.operator.agent.get(`/console/reports/${code}?lang=en`);
    expect(res.text).toContain(`<h1>Report ${code}</h1>`);
    expect(res.text).toContain('Proposed: Hue Urban Environment and Public Works (HEPCO)');
    expect(res.text).toContain('>Assign</button>');
    await s.operator.agent.get('/console?lang=vi');
    const html = await s.operator.agent.get('/console/reports');
    expect(csrfIn(html.text)).toBe(s.operator.csrf);
  });
});

describe('the daily overdue reminder', () => {
  it('writes one console notice per agency with overdue reports (and one for the unassigned queue), once a day, through the job queue; agencies see their own', async () => {
    const assigned = await fileReport(h, 'messenger', psid());
    await post(s.operator, `/console/reports/${assigned.code}/transitions`, { to: 'assigned', agency: 'hepco' });
    const waiting = await fileReport(h, 'messenger', psid());
    // Trees are due in 24 hours; a day and a bit later both are overdue. Re-sign in afterwards (sessions last 12 h).
    h.clock.advance(25 * 3_600_000);
    try {
      await h.rt.jobs.send(overdueReminders, {});
      const deadline = Date.now() + 15_000;
      let rows: Array<{ agency: string | null; total: number; report_codes: string[] }> = [];
      while (Date.now() < deadline) {
        rows = (await h.t.db.query<{ agency: string | null; total: number; report_codes: string[] }>('SELECT agency, total, report_codes FROM staff_notices ORDER BY agency NULLS FIRST')).rows;
        if (rows.length >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const hepcoNotice = rows.find((r) => r.agency === 'hepco')!;
      const queueNotice = rows.find((r) => r.agency === null)!;
      expect(hepcoNotice.report_codes).toContain(assigned.code);
      expect(queueNotice.report_codes).toContain(waiting.code);
      expect(hepcoNotice.report_codes).not.toContain(waiting.code);

      const again = await h.rt.useCases.reportDesk.remindOverdue.run();
      expect(again.notices).toBe(0);
      expect(again.overdue).toBeGreaterThanOrEqual(2);
      expect((await h.t.db.query('SELECT count(*)::int AS n FROM staff_notices')).rows[0]!.n).toBe(rows.length);

      const hepcoUser = await createStaff(h, 'agency', { agencies: ['hepco'] });
      const hepco = await signIn(h, hepcoUser.email, hepcoUser.password);
      const list = await hepco.agent.get('/console/reports');
      expect(list.text).toContain('Nhắc việc hôm nay');
      expect(list.text).toMatch(/Công ty CP Môi trường và Công trình đô thị Huế: \d+ phản ánh quá hạn/);
      expect(list.text).not.toContain('Chưa giao đơn vị (IOC):');
      const notices = await hepco.agent.get('/console/notices');
      expect(notices.text).toContain(assigned.code);
      expect(notices.text).not.toContain(waiting.code);
      const page = await hepco.agent.get(`/console/reports/${assigned.code}`);
      expect(page.text).toMatch(/Quá hạn 1 giờ/);

      const lightsUser = await createStaff(h, 'agency', { agencies: ['chieu-sang'] });
      const lights = await signIn(h, lightsUser.email, lightsUser.password);
      expect((await lights.agent.get('/console/notices')).text).toContain('Chưa có thông báo nào.');

      const opUser = await createStaff(h, 'operator');
      const op = await signIn(h, opUser.email, opUser.password);
      const opList = await op.agent.get('/console/reports');
      expect(opList.text).toContain('Chưa giao đơn vị (IOC):');
    } finally {
      h.clock.advance(-25 * 3_600_000);
    }
  });
});
