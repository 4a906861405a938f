import fs from 'node:fs';
import path from 'node:path';
import { acceptProbability, DECLINE_FEATURES, DEFAULT_DECISION } from '../../../src/nlu/classifier';
import { evaluate, type GoldExample } from '../../../src/nlu/evaluate';
import { createNlu, type Nlu, type NluResult } from '../../../src/nlu/index';
import { loadTrainingData } from '../../../src/storage/content-loader';

const data = loadTrainingData();

let nlu: Nlu;
beforeAll(() => {
  nlu = createNlu(data);
});

const kb = data.kb;

describe('every FAQ topic answers', () => {
  it.each(kb.topics.map((t) => [t.slug, t] as const))('topic %s: its titles and an example in each language classify to it', (slug, topic) => {
    for (const text of [topic.title.vi, topic.title.en, topic.examples.vi[0] ?? '', topic.examples.en[0] ?? '']) {
      const r = nlu.classify(text);
      expect({ text, intent: r.intent, topic: r.topic }).toEqual({ text, intent: 'faq', topic: slug });
    }
  });
});

describe('classification', () => {
  it('a concrete problem in a public place is a report with a category', () => {
    expect(nlu.classify('ổ gà to giữa đường Hùng Vương')).toMatchObject({ intent: 'report', category: 'road-damage', topic: null });
    expect(nlu.classify('den duong kiet nha toi tat ca tuan nay')).toMatchObject({ intent: 'report', category: 'street-lights' });
    expect(nlu.classify('rubbish piled up at the end of our alley')).toMatchObject({ intent: 'report', category: 'waste', lang: 'en' });
  });

  it('a bare "I want to report" starts a report in category other', () => {
    expect(nlu.classify('tôi muốn phản ánh')).toMatchObject({ intent: 'report', category: 'other' });
    expect(nlu.classify('I want to report a problem')).toMatchObject({ intent: 'report', category: 'other' });
  });

  it('asking how to send a report is the FAQ, asking about my own report is status', () => {
    expect(nlu.classify('làm sao để gửi phản ánh')).toMatchObject({ intent: 'faq', topic: 'phan-anh-huong-dan' });
    expect(nlu.classify('phản ánh hôm qua của tôi xử lý tới đâu rồi')).toMatchObject({ intent: 'status' });
    expect(nlu.classify('PA-3K8W2N sao rồi ad')).toMatchObject({ intent: 'status' });
    expect(nlu.classify('show me my reports')).toMatchObject({ intent: 'status' });
  });

  it('waste: the collection schedule is the FAQ, rubbish piled up is a report', () => {
    expect(nlu.classify('mấy giờ xe rác đi thu gom')).toMatchObject({ intent: 'faq', topic: 'rac-thai' });
    expect(nlu.classify('rác chất đống bốc mùi ở đầu kiệt 5 Chi Lăng')).toMatchObject({ intent: 'report', category: 'waste' });
  });

  it('greetings and thanks are smalltalk', () => {
    for (const text of ['chào ad', 'cảm ơn nhiều nha', 'hi there', '👍']) expect(nlu.classify(text).intent).toBe('smalltalk');
  });

  it('out-of-scope look-alikes are declined as unknown', () => {
    const lookAlikes = [
      'giá vàng hôm nay bao nhiêu',
      'tuyển dụng công an phường năm nay',
      'kết quả xổ số miền Trung tối qua',
      'thời tiết Huế cuối tuần',
      'điểm thi đại học năm nay khi nào có',
      'mua bảo hiểm nhân thọ loại nào tốt',
      'football results tonight',
      'xkcd qwfp zzzz',
    ];
    const declined = lookAlikes.filter((t) => nlu.classify(t).intent === 'unknown');
    expect(declined).toEqual(lookAlikes);
  });

  it('offers close alternatives as buttons when two topics are close', () => {
    const r = nlu.classify('đăng ký tạm trú hay thường trú');
    expect(r.intent).toBe('faq');
    const shown = [r.topic, ...r.alternatives.map((a) => a.topic)];
    expect(shown).toEqual(expect.arrayContaining(['tam-tru', 'thuong-tru']));
    for (const a of r.alternatives) {
      expect(a.score).toBeLessThanOrEqual(r.score);
      expect(a.topic).not.toBe(r.topic);
    }
  });

  it('every result has a score in [0, 1], a language, and nulls where fields do not apply', () => {
    for (const text of ['làm hộ chiếu ở đâu', 'cây đổ chắn đường', 'cháy nhà', 'alo', 'giá vàng', '']) {
      const r = nlu.classify(text);
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(['vi', 'en']).toContain(r.lang);
      if (r.intent !== 'faq') expect(r.topic).toBeNull();
      if (r.intent !== 'report') expect(r.category).toBeNull();
      if (r.intent !== 'emergency') expect(r.emergencyKind).toBeNull();
    }
  });

  it('suggests a report category for a description even when the intent is not report', () => {
    expect(nlu.suggestCategory('cây nghiêng sắp đổ')).toMatchObject({ category: 'trees' });
    expect(nlu.suggestCategory('karaoke tới 12 giờ đêm').category).toBe('noise');
    const s = nlu.suggestCategory('xin chào');
    expect(s.score).toBeGreaterThanOrEqual(0);
    expect(s.score).toBeLessThanOrEqual(1);
  });

  it('training is deterministic: two instances give the same answers and scores', () => {
    const other = createNlu(data);
    for (const text of ['làm căn cước cho con', 'ổ gà đường Lê Lợi', 'giá vàng hôm nay', 'thủ tục kết hôn']) {
      expect(other.classify(text)).toEqual(nlu.classify(text));
    }
  });

  it('is trained at start-up (classification latency and training time are measured by npm run bench)', () => {
    expect(nlu.trainingMs).toBeGreaterThan(0);
  });
});

describe('understanding that generalises', () => {
  it('answers a question told inside a personal story instead of declining it', () => {
    const cases: Array<[string, string]> = [
      [
        'Tôi vừa đi khám ở bệnh viện Trung ương về, bác sĩ dặn lần sau mang theo giấy tờ tùy thân, mà thẻ căn cước của tôi bị mất từ tháng trước khi đi chợ. Cho tôi hỏi làm lại thẻ căn cước thì làm ở đâu, mất bao lâu?',
        'can-cuoc',
      ],
      [
        'em ra truong duoc 1 nam, lam cho mot cong ty o Phu Bai, thang roi cong ty het don hang nen cho nghi viec ca loat, em da dong bao hiem du 12 thang, gio em muon lam ho so lanh tien that nghiep thi nop o dau a',
        'that-nghiep',
      ],
      [
        'My partner and I have been together for six years and we finally decided to make it official this spring. She is from Hue and I am British. What paperwork do we need to register our marriage here?',
        'ket-hon',
      ],
    ];
    for (const [text, topic] of cases) expect({ text, ...pick(nlu.classify(text)) }).toEqual({ text, intent: 'faq', topic });
  });

  it('answers terse keyword queries', () => {
    const cases: Array<[string, string]> = [
      ['lệ phí cấp hộ chiếu', 'ho-chieu'],
      ['tra cuu phat nguoi', 'phat-nguoi'],
      ['where to get a building permit', 'giay-phep-xay-dung'],
      ['giấy chứng tử', 'khai-tu'],
    ];
    for (const [text, topic] of cases) expect({ text, ...pick(nlu.classify(text)) }).toEqual({ text, intent: 'faq', topic });
  });

  it('tells neighbouring topics apart', () => {
    const cases: Array<[string, string]> = [
      ['sang tên chiếc xe máy cũ mua của người quen', 'dang-ky-xe'],
      ['bố mẹ cho con mảnh đất thì sang tên thế nào', 'bien-dong-dat'],
      ['xin giấy xác nhận độc thân để làm hồ sơ vay', 'tinh-trang-hon-nhan'],
      ['hai đứa đi đăng ký kết hôn cần mang gì', 'ket-hon'],
      ['sao y bản chính thẻ căn cước ở phường', 'chung-thuc'],
      ['thẻ căn cước bị gãy thì làm lại ở đâu', 'can-cuoc'],
      ['mất việc rồi thì lãnh trợ cấp thất nghiệp ở đâu', 'that-nghiep'],
      ['nghỉ hẳn rồi muốn rút bảo hiểm xã hội một lần', 'bhxh-mot-lan'],
      ['ông tôi 85 tuổi không có lương hưu có được trợ cấp hằng tháng không', 'tro-cap-xa-hoi'],
      ['trường đòi giấy xác nhận nơi cư trú thì xin ở đâu', 'xac-nhan-cu-tru'],
      ['chuyển hộ khẩu về nhà mới mua', 'thuong-tru'],
      ['bộ phận một cửa phường mấy giờ mở cửa', 'mot-cua'],
      ['hồ sơ nộp tháng trước giờ tra tiến độ bằng mã biên nhận ở đâu', 'tra-cuu-ho-so'],
      ['đăng nhập cổng dịch vụ công để nộp hồ sơ trực tuyến', 'dich-vu-cong'],
    ];
    for (const [text, topic] of cases) expect({ text, ...pick(nlu.classify(text)) }).toEqual({ text, intent: 'faq', topic });
  });

  it('tells how reporting works from reporting, and from asking about my own reports', () => {
    expect(pick(nlu.classify('làm sao để gửi một phản ánh qua đây'))).toEqual({ intent: 'faq', topic: 'phan-anh-huong-dan' });
    expect(pick(nlu.classify('những loại việc gì thì được phản ánh qua chatbot'))).toEqual({ intent: 'faq', topic: 'phan-anh-pham-vi' });
    expect(pick(nlu.classify('nói chung phản ánh thường mất mấy ngày thì xử lý xong'))).toEqual({ intent: 'faq', topic: 'phan-anh-tra-cuu' });
    expect(nlu.classify('phản ánh cái ổ gà tôi gửi hôm thứ hai giờ tới đâu rồi').intent).toBe('status');
    expect(nlu.classify('cho tôi gửi một phản ánh về khu phố').intent).toBe('report');
  });

  it('what a question asks beats the subject it names: following an application, what can be reported, how, who sees my name', () => {
    expect(pick(nlu.classify('hồ sơ xin cấp sổ đỏ nộp hơn hai tháng vẫn chưa có kết quả, tra ở đâu'))).toEqual({ intent: 'faq', topic: 'tra-cuu-ho-so' });
    expect(pick(nlu.classify('chuyện khách du lịch bị chặt chém có nằm trong phạm vi phản ánh của hệ thống không'))).toEqual({ intent: 'faq', topic: 'phan-anh-pham-vi' });
    expect(pick(nlu.classify('có thể phản ánh cống nghẹt bằng tin nhắn thoại không'))).toEqual({ intent: 'faq', topic: 'phan-anh-huong-dan' });
    expect(pick(nlu.classify('nếu tôi báo quán karaoke thì danh tính của tôi có được giữ kín không'))).toEqual({ intent: 'faq', topic: 'du-lieu-ca-nhan' });
  });

  it('asking whether something is allowed is a question about the rules, not a report of a breach', () => {
    expect(pick(nlu.classify('are we allowed to put up a second floor without a permit'))).toEqual({ intent: 'faq', topic: 'giay-phep-xay-dung' });
    expect(pick(nlu.classify('cây trong vườn nhà mình muốn đốn có phải xin phép ai không'))).toEqual({ intent: 'faq', topic: 'cay-xanh' });
    expect(nlu.classify('nhà bên cạnh xây lên tầng 4 không có giấy phép')).toMatchObject({ intent: 'report', category: 'construction' });
  });

  it('declines by more than the top score: margin, out-of-scope probability and out-of-domain words lower the confidence', () => {
    const base = [0.6, 0.3, 0.8, 0.1, 0.5, 0.5, 0.5, 0.9, 0, 0.1, 0, 0, 0, 0, 0, 0, 0];
    const p = (change: Record<number, number>): number => acceptProbability(DEFAULT_DECISION.decline, base.map((x, i) => change[i] ?? x));
    const at = (name: (typeof DECLINE_FEATURES)[number]): number => DECLINE_FEATURES.indexOf(name);
    expect(p({ [at('margin')]: 0.05 })).toBeLessThan(p({}));
    expect(p({ [at('unknown')]: 0.5 })).toBeLessThan(p({}));
    expect(p({ [at('oosOnly')]: 0.5, [at('inDomain')]: 0.4 })).toBeLessThan(p({}));
    expect(p({ [at('length')]: 0.9, [at('focus')]: 1 })).toBeGreaterThan(p({}));
  });
});

describe('targets on the dev and frozen splits (npm run nlu:eval prints the details)', () => {
  const fixtures = path.resolve(__dirname, '../../fixtures');
  const read = (name: string): GoldExample[] =>
    fs
      .readFileSync(path.join(fixtures, name), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as GoldExample);

  it.each(['nlu-dev.jsonl', 'nlu-test.jsonl'])('%s: every emergency recognised, out of scope declined ≥ 85%%, every style ≥ 85%%', (file) => {
    const r = evaluate(read(file).map((gold) => ({ gold, predicted: nlu.classify(gold.text) })));
    expect(r.emergencyRecall).toBe(1);
    expect(r.outOfScopeDecline).toBeGreaterThanOrEqual(0.85);
    for (const [slice, b] of Object.entries(r.slices)) if (slice.startsWith('style:')) expect({ slice, ok: b.correct / b.n >= 0.85 }).toEqual({ slice, ok: true });
    // A floor against regressions; the target (≥ 94%) is followed by nlu:eval.
    expect(r.exact).toBeGreaterThanOrEqual(0.92);
  });
});

function pick(r: NluResult): { intent: string; topic: string | null } {
  return { intent: r.intent, topic: r.topic };
}
