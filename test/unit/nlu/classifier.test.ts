import { createNlu, type Nlu } from '../../../src/nlu/index';
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
