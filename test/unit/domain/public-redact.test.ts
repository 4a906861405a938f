import { publicAddress, publicCoordinate, redactPublicText } from '../../../src/domain/public/redact';

describe('redactPublicText: what a resident wrote, as the public may read it', () => {
  it.each<[string, string, string]>([
    ['a mobile number with spaces', 'Gọi tôi 0905 123 456 nhé', 'Gọi tôi *** nhé'],
    ['a mobile number with dots', 'sđt 0905.123.456', 'sđt ***'],
    ['a mobile number in one piece', 'liên hệ 0905123456.', 'liên hệ ***.'],
    ['an international number', 'số +84 905 123 456 hoặc 84905123456', 'số *** hoặc ***'],
    ['a landline with brackets', 'gọi (0234) 3822 123', 'gọi ***'],
    ['an e-mail address', 'email nguyen.van.a@gmail.com ạ', 'email *** ạ'],
    ['an ID card number', 'CCCD 046201001234', 'CCCD ***'],
    ['a vehicle plate', 'xe biển 75A-123.45 đỗ trên vỉa hè', 'xe biển *** đỗ trên vỉa hè'],
    ['a name after "tôi là"', 'Tôi là Nguyễn Văn An, sống ở đây', 'Tôi là ***, sống ở đây'],
    ['a name after "tên tôi là"', 'tên tôi là Trần Thị Bích. Đường bị ngập', 'tên tôi là ***. Đường bị ngập'],
    ['a name after "em tên"', 'em tên Hoa ạ', 'em tên *** ạ'],
    ['a name after "họ tên:" in lower case', 'họ tên: nguyễn văn an', 'họ tên: ***'],
    ['a name after "my name is"', 'My name is John Smith and the light is off', 'My name is *** and the light is off'],
    ['a person addressed by name', 'nhà ông Lâm xả rác ra đường', 'nhà ông *** xả rác ra đường'],
    ['a house number', 'trước nhà số 12 có ổ gà', 'trước nhà số *** có ổ gà'],
    ['an alley in Huế', 'kiệt 5 Lê Lợi bị ngập', 'kiệt *** Lê Lợi bị ngập'],
    ['an alley with a slash', 'hẻm 12/4 tối om', 'hẻm *** tối om'],
    ['a slashed house number', 'trước 12/3 Hùng Vương', 'trước *** Hùng Vương'],
    ['a house number before a street', 'ổ gà trước 45A Hùng Vương', 'ổ gà trước *** Hùng Vương'],
    ['a K-alley', 'tại K12/3 Lê Duẩn', 'tại *** Lê Duẩn'],
  ])('removes %s', (_what, input, expected) => {
    expect(redactPublicText(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['a date', 'Từ ngày 12/3 đèn không sáng'],
    ['a street named after a person', 'Đường Bà Triệu bị ngập sâu'],
    ['a sum of money', 'bị phạt 2.000.000 đồng'],
    ['a hotline', 'đã gọi 1022 nhưng máy bận'],
    ['a time', 'từ 19h30 tối qua'],
    ['"tôi là người dân"', 'Tôi là người dân ở đây'],
    ['a count before lower-case words', 'có 3 cây xanh bị đổ'],
  ])('keeps %s', (_what, input) => {
    expect(redactPublicText(input)).toBe(input);
  });

  it('collapses runs of redactions and keeps the rest of the text', () => {
    expect(redactPublicText('Tôi là Lê Văn Tám 0905123456 nguyenvt@x.vn, cống bị tắc')).toBe('Tôi là *** cống bị tắc');
  });
});

describe('publicAddress: street and ward only', () => {
  it.each<[string, string | null, string | null]>([
    ['a Nominatim address', '12, Lê Lợi, Phường Thuận Hóa, Thành phố Huế, 49000, Việt Nam', 'Lê Lợi, Phường Thuận Hóa'],
    ['the offline gazetteer', 'Gần Lê Lợi, Phường Thuận Hóa, Thành phố Huế', 'Lê Lợi, Phường Thuận Hóa'],
    ['a typed address with a house number and alley', 'số 12 kiệt 5 Lê Lợi phường Thuận Hóa', 'Lê Lợi, Phường Thuận Hóa'],
    ['a slashed number', '12/3 Hùng Vương, Phường Thuận Hóa', 'Hùng Vương, Phường Thuận Hóa'],
    ['a K-alley', 'K5/12 Lê Duẩn, phường Phú Xuân, Huế', 'Lê Duẩn, Phường Phú Xuân'],
    ['a landmark', 'Chợ Đông Ba, Phường Phú Xuân, Thành phố Huế', 'Chợ Đông Ba, Phường Phú Xuân'],
    ['only a house number', '12', null],
    ['nothing', '', null],
  ])('%s', (_what, input, expected) => {
    expect(publicAddress(input)).toBe(expected);
  });

  it("uses the ward of the report's ward code when there is one", () => {
    expect(publicAddress('12, Lê Lợi, Thành phố Huế', 'Phường Thuận Hóa')).toBe('Lê Lợi, Phường Thuận Hóa');
    expect(publicAddress(null, 'Phường Kim Long')).toBe('Phường Kim Long');
  });
});

it('coordinates are shown at street precision', () => {
  expect(publicCoordinate(16.466512)).toBe(16.467);
  expect(publicCoordinate(107.590449)).toBe(107.59);
});
