import { questionFocus } from '../../../src/nlu/focus';
import { normalise } from '../../../src/nlu/normalise';

const focusOf = (text: string): string | null => questionFocus(text, normalise(text))?.text ?? null;

describe('the question inside a long message', () => {
  it('finds the question sentence after a personal story ("Cho tôi hỏi …?")', () => {
    const text =
      'Bố tôi năm nay 70 tuổi, tuần trước đi khám ở bệnh viện về thì phát hiện mất ví, trong ví có đủ thứ giấy tờ, ' +
      'ngân hàng cũng đòi giấy tờ tùy thân mới cho rút tiền. Cho tôi hỏi làm lại thẻ căn cước cho ông thì làm ở đâu?';
    const focus = focusOf(text);
    expect(focus).toMatch(/làm lại thẻ căn cước/);
    expect(focus).not.toMatch(/bệnh viện/);
  });

  it('finds it without diacritics and between commas, widened back to the words it needs', () => {
    const text =
      'nha minh o Huong Thuy, me minh gia roi di lai kho khan, thang truoc bi te trong nha, gio khoe lai roi, ' +
      'minh muon lam the bao hiem y te cho me, cho minh hoi mua o dau va het bao nhieu tien';
    const focus = focusOf(text) ?? '';
    expect(focus).toMatch(/cho minh hoi mua o dau/);
    expect(focus).toMatch(/bao hiem y te/);
    expect(focus).not.toMatch(/Huong Thuy/);
  });

  it('finds an English question after the story', () => {
    const text =
      "I moved to Hue in March with my family and we rent a small house near the market. Our landlord is friendly but busy. Do we have to register our stay with the local police, and where?";
    expect(focusOf(text)).toMatch(/^Do we have to register/);
  });

  it('leaves short messages, messages that ask nothing and all-question messages alone', () => {
    expect(focusOf('làm căn cước ở đâu')).toBeNull();
    expect(
      focusOf('Đèn đường trong kiệt nhà tôi tắt cả tuần nay, tối đi làm về rất sợ, mấy đứa nhỏ đi học thêm về cũng phải dắt tay nhau mà đi, mong phường cho người sửa sớm'),
    ).toBeNull();
    expect(focusOf('Cho tôi hỏi làm thẻ căn cước cho con thì cần những giấy tờ gì và làm ở đâu, có mất phí không ạ?')).toBeNull();
  });
});
