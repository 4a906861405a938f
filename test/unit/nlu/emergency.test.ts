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

/**
 * Emergencies told as what is happening rather than with an emergency word, each in Vietnamese with
 * diacritics, without them, and in English. [message, expected kind].
 */
const SITUATIONS: Array<[string, string]> = [
  // people cut off by rising water
  ['Nước lũ lên nhanh quá, nhà tôi có bà ngoại 90 tuổi không đi được, nước đã tới ngực', 'rescue'],
  ['nuoc lu len toi mai roi, ca nha dang ngoi tren noc, khong co ghe', 'rescue'],
  ['the flood water is up to the windows and my parents are stuck upstairs', 'rescue'],
  // smoke or fire with people inside
  ['Khói đen tràn đầy hành lang chung cư, mấy người ở tầng trên kêu cứu không xuống được', 'fire'],
  ['khoi mu mit trong phong tro, be con dang ngu ben trong', 'fire'],
  ['smoke is filling the stairwell and people are shouting from the top floor', 'fire'],
  // someone unconscious, not breathing
  ['Ba tôi đang ăn thì gục xuống, gọi không tỉnh, môi tím tái', 'medical'],
  ['ong hang xom nam bat dong trong san, lay khong day', 'medical'],
  ['my husband collapsed in the kitchen and he is not breathing', 'medical'],
  // a collapse with people inside
  ['Giàn giáo công trình sập xuống, hai công nhân nằm dưới đống sắt', 'rescue'],
  ['tuong nha do sap, co hai nguoi bi de ben duoi', 'rescue'],
  ['the roof caved in and someone is trapped under the rubble', 'rescue'],
  // drowning
  ['Thằng bé bơi ra xa bị sóng kéo, giờ không thấy nổi lên', 'rescue'],
  ['co dua nho truot chan xuong ao, chua thay noi len', 'rescue'],
  ['a girl is struggling in the water near the pier and cannot swim', 'rescue'],
  // electrocuted
  ['Anh thợ điện bị điện giật ngã từ trên cột xuống', 'medical'],
  ['nguoi do cham vao day dien dut bi giat nga xuong dat', 'medical'],
  ['a worker touched a live wire and collapsed', 'medical'],
  // since last night is still going on
  ['Nước lên từ tối qua, ông bà tôi kẹt trên gác không xuống được', 'rescue'],
  // danger now beats a question
  ['cháy nhà rồi gọi số nào', 'fire'],
  ['someone is drowning near the bridge, who do I call', 'rescue'],
];

/** Look-alikes: they share words with emergencies but are reports, questions or out of scope. */
const LOOK_ALIKES = [
  'số điện thoại của cảnh sát phòng cháy chữa cháy là gì',
  'which number do I call for the fire brigade',
  'trận lụt tuần trước làm sạt một đoạn mương, giờ vẫn chưa sửa',
  'nước ngập đường Lý Thường Kiệt, xe máy chết máy hàng loạt',
  'nuoc ngap ca doan duong truoc cho, cong khong thoat',
  'nhà bị cháy hết giấy tờ, làm lại sổ đỏ thế nào',
  'mẹ tôi hôn mê ở bệnh viện mấy tháng nay, ai ký giấy ủy quyền giùm được',
  'the online portal is not responding when I try to pay',
  'gọi tổng đài mãi không ai trả lời',
  'ID card for people under the age of 14',
  'my application hasn\'t come back after three weeks',
  'điện thoại rơi xuống cống trước nhà, ai lấy giúp',
  'thẻ atm bị kẹt trong máy, gọi ai',
  'con mèo bị kẹt trên cây không xuống được',
  'tôi muốn học sơ cứu người đuối nước',
  'đoạn sông này hay có người đuối nước, cần biển cảnh báo',
  'xe tải chạy ẩu suýt tông người đi bộ ở ngã tư',
  'tường rào nhà hàng xóm nứt, sợ sập đè sang nhà tôi, báo ai',
  'kho chứa hàng dễ cháy giữa khu dân cư, nguy cơ cháy lớn',
  'there was a small fire in the rubbish bin, it\'s out now',
  'xe độ pô nổ to ầm ầm cả đêm',
  'rút bhxh một lần mà không rút ra được tiền',
  'a section of the pavement has collapsed into the drain on Tran Phu',
];

describe('emergencies told as situations', () => {
  it.each(SITUATIONS)('"%s" is an emergency (%s)', (text, kind) => {
    const r = nlu.classify(text);
    expect({ intent: r.intent, kind: r.emergencyKind }).toEqual({ intent: 'emergency', kind });
  });

  it.each(LOOK_ALIKES.map((t) => [t]))('"%s" is not an emergency', (text) => {
    expect(nlu.classify(text).intent).not.toBe('emergency');
  });

  it('a flooded street without anyone in danger is a drainage report, a past flood too', () => {
    expect(nlu.classify('mưa lớn nước dâng ngập lòng đường kiệt 9, không thoát được')).toMatchObject({ intent: 'report', category: 'drainage-flooding' });
    expect(nlu.classify('the street floods every time it rains, the drains are blocked')).toMatchObject({ intent: 'report', category: 'drainage-flooding' });
  });

  it('the rule layer says which situation fired and which guard held', () => {
    expect(detectEmergency(normalise('nuoc lu dang len, nha toi con 3 nguoi gia khong ra duoc')).match?.rules).toContain('situation.flood-people');
    expect(detectEmergency(normalise('đoạn sông này hay có người đuối nước')).guarded).toBe('habitual');
    expect(detectEmergency(normalise('con mèo bị kẹt trên cây')).guarded).toBe('animal');
    expect(detectEmergency(normalise('nhà bị cháy hết giấy tờ, làm lại sổ đỏ thế nào')).guarded).toBe('aftermath');
    expect(detectEmergency(normalise('xe chạy ẩu suýt tông người')).guarded).toBe('nearly');
  });
});

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

  it('unaccented "ho ga" is a manhole (hố ga) where the manhole\'s words say so, and a gas leak (hở ga) otherwise', () => {
    expect(nlu.classify('nap ho ga tren duong bi mat, rat nguy hiem')).toMatchObject({ intent: 'report', category: 'road-damage' });
    expect(detectEmergency(normalise('bep nha toi bi ho ga, mui nong nac')).match?.kind).toBe('gas');
  });

  it('unaccented words that only look alike do not raise alarms (chạy/chảy/cháy, để/đè, ngắt/ngất)', () => {
    for (const text of ['xe chạy nhanh quá', 'nuoc chay ra duong', 'can giay to de nop ho so cho con', 'ngat dien o phuong khi nao co lai', 'đám người tụ tập hát karaoke', 'nap ho ga o duong Le Loi bi mat', 'mieng ho ga bi vo']) {
      expect(detectEmergency(normalise(text)).match).toBeNull();
    }
  });
});
