import { createNlu, type Nlu } from '../../../src/nlu/index';
import { loadTrainingData } from '../../../src/storage/content-loader';
import { detectEmergency } from '../../../src/nlu/emergency';
import { normalise } from '../../../src/nlu/normalise';

let nlu: Nlu;
beforeAll(() => {
  nlu = createNlu(loadTrainingData());
});

/** [message, expected kind] — written in the ways residents actually type. */
const EMERGENCIES: Array<[string, string]> = [
  ['Cháy nhà ở kiệt 3 Ngô Quyền, cứu với!!!', 'fire'],
  ['chay nha roi, lua to lam', 'fire'],
  ['nhà kho đầu hẻm đang bốc cháy', 'fire'],
  ['có hỏa hoạn ở chợ Bến Ngự', 'fire'],
  ['khói đen với lửa bốc ra từ tiệm điện máy', 'fire'],
  ['the restaurant next door is on fire', 'fire'],
  ['there is a fire in my building', 'fire'],
  ['rò rỉ gas trong nhà trọ, mùi nồng lắm', 'gas'],
  ['ro ri khi ga o can ho tang 3', 'gas'],
  ['I can smell gas in the stairwell', 'gas'],
  ['có người chết đuối ở hồ Tịnh Tâm', 'rescue'],
  ['co nguoi duoi nuoc o song Huong', 'rescue'],
  ['bị kẹt trong thang máy bệnh viện', 'rescue'],
  ['hai người mắc kẹt trong nhà bị ngập', 'rescue'],
  ['a kid fell into the canal', 'rescue'],
  ['my mum is stuck in the elevator', 'rescue'],
  ['cứu với', 'rescue'],
  ['có trộm đang trèo vào nhà hàng xóm', 'police'],
  ['vừa bị cướp giật dây chuyền ở Lê Lợi', 'police'],
  ['mấy thằng cầm dao đánh nhau trước quán', 'police'],
  ['co nguoi bi dam o cho Dong Ba', 'police'],
  ['a man with a knife is threatening people', 'police'],
  ['I have just been robbed', 'police'],
  ['có người ngất xỉu giữa đường', 'medical'],
  ['ong cu bi dot quy, goi cap cuu giup', 'medical'],
  ['tai nạn xe máy, một người bị thương chảy nhiều máu', 'medical'],
  ['thằng bé bị điện giật ở trụ điện', 'medical'],
  ['my friend is unconscious and not breathing', 'medical'],
  ['an old man collapsed at the bus stop', 'medical'],
  ['someone was hit by a car on Hung Vuong', 'medical'],
];

describe('emergencies', () => {
  it.each(EMERGENCIES)('"%s" is an emergency (%s), never a report or an FAQ answer', (text, kind) => {
    const r = nlu.classify(text);
    expect(r.intent).toBe('emergency');
    expect(r.emergencyKind).toBe(kind);
    expect(r.topic).toBeNull();
    expect(r.category).toBeNull();
    expect(r.score).toBeGreaterThanOrEqual(0.5);
  });

  it('recognises the same emergency with diacritics, without diacritics and decomposed (NFD)', () => {
    for (const text of ['Có người đuối nước ở cầu Trường Tiền', 'co nguoi duoi nuoc o cau truong tien', 'Có người đuối nước ở cầu Trường Tiền'.normalize('NFD')]) {
      expect(nlu.classify(text).intent).toBe('emergency');
    }
  });

  it('asking what the fire-brigade number is gets the FAQ about emergency numbers, not an alarm', () => {
    for (const text of ['số cứu hỏa là gì', 'gọi cấp cứu số mấy', 'what number do I call for an ambulance']) {
      const r = nlu.classify(text);
      expect(r.intent).not.toBe('emergency');
      expect(r.topic).toBe('khan-cap');
    }
  });

  it('a false fire alarm, fire safety or a tree that might fall is not an emergency', () => {
    for (const text of ['báo cháy giả bị phạt không', 'diễn tập phòng cháy chữa cháy ở trường', 'cây sắp đổ trước nhà, nhờ cắt tỉa', 'ngã tư này hay xảy ra tai nạn', 'fire extinguisher inspection for my shop']) {
      expect(nlu.classify(text).intent).not.toBe('emergency');
    }
  });

  it('ordinary reports that share words with emergencies stay reports', () => {
    expect(nlu.classify('bóng đèn đường bị cháy bóng rồi').intent).toBe('report');
    expect(nlu.classify('người ta đốt rác khói mù mịt').category).toBe('pollution');
    expect(nlu.classify('nước cống chảy tràn ra đường').category).toBe('drainage-flooding');
  });

  it('the rule layer explains itself: which rules fired, and which guard held', () => {
    const fire = detectEmergency(normalise('cháy lớn ở chợ'));
    expect(fire.match?.kind).toBe('fire');
    expect(fire.match?.rules.length).toBeGreaterThan(0);
    expect(detectEmergency(normalise('báo cháy giả')).guarded).toBe('false-alarm');
    expect(detectEmergency(normalise('khi có cháy thì gọi số nào')).guarded).toBe('number-question');
  });

  it('unaccented words that only look alike do not raise alarms (chạy/chảy/cháy, để/đè, ngắt/ngất)', () => {
    for (const text of ['xe chạy nhanh quá', 'nuoc chay ra duong', 'can giay to de nop ho so cho con', 'ngat dien o phuong khi nao co lai', 'đám người tụ tập hát karaoke']) {
      expect(detectEmergency(normalise(text)).match).toBeNull();
    }
  });
});
