import { escapeMentions, scrubResidentText, streetAndWard } from '../../../src/domain/broadcasts/privacy';

describe('what a broadcast may quote of a resident', () => {
  it.each([
    ['Tôi là Nguyễn Văn An, sđt 0905 123 456, ổ gà trước số 12 Lê Lợi', ['name', 'phone', 'house-number'], /Nguyễn|0905|số 12/],
    ['Gọi chị Lan 0912.345.678 hoặc email lan.nguyen@gmail.com', ['name', 'phone', 'email'], /Lan|0912|gmail/],
    ['Rác ở kiệt 5/2 Phan Bội Châu, nhà 41/7 bị ngập', ['house-number'], /5\/2|41\/7/],
    ['Đèn đường hỏng ở 27 Hùng Vương từ hôm qua', ['house-number'], /\b27\b/],
    ['Liên hệ +84 905 111 222 hoặc xem https://maps.example.com/x?u=1', ['phone', 'link'], /905|maps/],
    ['Báo cả nhóm [@2950471185532601093] biết', ['mention'], /\[@/],
    ['My name is John Smith, pothole near the market', ['name'], /John|Smith/],
  ])('%s', (input, kinds, gone) => {
    const out = scrubResidentText(input);
    expect(out.text).not.toMatch(gone);
    for (const k of kinds) expect(out.removed.map((r) => r.kind)).toContain(k);
  });

  it('leaves ordinary text alone', () => {
    const text = 'Cây xanh đổ chắn ngang đường sau cơn mưa lớn, xe máy không đi qua được.';
    expect(scrubResidentText(text)).toEqual({ text, removed: [] });
  });

  it('escapes Zalo mentions', () => {
    expect(escapeMentions('xin [@123] và [ @ 456]')).toBe('xin [ @123] và [ @ 456]');
  });

  it('reduces an address to street and ward', () => {
    expect(streetAndWard('12/3 kiệt 5 Lê Lợi, phường Vỹ Dạ, thành phố Huế', null)).toBe('Lê Lợi, phường Vỹ Dạ');
    expect(streetAndWard('27 Hùng Vương, Phú Hội, Huế', 'Phường Thuận Hóa')).toBe('Hùng Vương, Phường Thuận Hóa');
    expect(streetAndWard('số 5 đường Trần Hưng Đạo, Huế', null)).toBe('đường Trần Hưng Đạo');
    expect(streetAndWard(null, 'Phường Phú Xuân')).toBe('Phường Phú Xuân');
  });
});
