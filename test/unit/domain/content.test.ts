/**
 * The content overlay: edits are checked with the shipped files' rules, applied over the shipped
 * content (city facts first, so answers' placeholders read them), skipped when they no longer fit,
 * and described field by field for the history.
 */
import { applyOverrides, cannedProblems, changedFields, cityEditOf, cityProblems, exampleLines, faqEditOf, faqProblems, renderedTopic, withCannedIds } from '../../../src/domain/content/content';
import { cannedRepliesFor } from '../../../src/domain/reports/canned-replies';
import { renderTopicText } from '../../../src/domain/faq/knowledge-base';
import { loadContent } from '../../../src/storage/content-loader';

const shipped = loadContent();
const base = { city: shipped.city, kb: shipped.kb };
const at = new Date('2026-03-02T08:00:00Z');
const topic = shipped.kb.bySlug.get('tong-dai')!;
const collected = { id: 'collected', for: 'resolved' as const, title: { vi: 'Đã thu gom', en: 'Collected' }, text: { vi: 'Đã thu gom.', en: 'Collected.' } };

describe('checking an FAQ edit', () => {
  it('accepts the shipped answer as it is', () => {
    expect(faqProblems(topic, faqEditOf(topic), shipped.city)).toEqual([]);
  });

  it('names each field that breaks a rule, with its limit', () => {
    const edit = { ...faqEditOf(topic), short: { vi: 'ngắn', en: 'x'.repeat(700) }, examples: { vi: ['một câu hỏi'], en: topic.examples.en } };
    expect(faqProblems(topic, edit, shipped.city)).toEqual(expect.arrayContaining([
      { field: 'short.vi', code: 'too-short', limit: 20 },
      { field: 'short.en', code: 'too-long', limit: 640 },
      { field: 'examples.vi', code: 'too-few', limit: 8 },
    ]));
  });

  it('refuses a placeholder the city profile cannot fill', () => {
    const edit = { ...faqEditOf(topic), details: { fee: { vi: 'Miễn phí; hỏi {{city.lePhi}}', en: 'Free' } } };
    expect(faqProblems(topic, edit, shipped.city)).toEqual([expect.objectContaining({ field: 'details.fee.vi', code: 'placeholder' })]);
  });
});

describe('applying the overlay', () => {
  it('answers read the edited city facts; canned replies replace the shipped ones of their category', () => {
    const out = applyOverrides(base, [
      { key: 'city', value: { ...cityEditOf(shipped.city), hotline: '0234 3 822 111' }, updatedAt: at },
      { key: 'canned:waste', value: [collected], updatedAt: at },
    ]);
    expect(out.skipped).toEqual([]);
    expect(renderTopicText(out.kb.bySlug.get('tong-dai')!.short.vi, out.city, 'vi')).toContain('0234 3 822 111');
    expect(out.city.cannedReplies.waste).toEqual([collected]);
    expect(out.city.cannedReplies['road-damage']).toEqual(shipped.city.cannedReplies['road-damage']);
    // What the report page offers is the edited list, then every category's.
    expect(cannedRepliesFor(out.city.cannedReplies, 'waste', 'resolved').map((r) => r.id)).toEqual(['collected', 'done-generic']);
    expect(shipped.city.hotline).toBe('1022'); // the shipped content is never changed
  });

  it('skips an edit that no longer fits (an unknown topic, a broken value) and applies the rest', () => {
    const short = { vi: 'Tổng đài 1022 luôn sẵn sàng hỗ trợ bạn mọi lúc.', en: 'The 1022 hotline is there to help you at any time.' };
    const out = applyOverrides(base, [
      { key: 'faq:da-xoa', value: faqEditOf(topic), updatedAt: at },
      { key: 'faq:ho-chieu', value: { short: 'không phải song ngữ' }, updatedAt: at },
      { key: 'faq:tong-dai', value: { ...faqEditOf(topic), short }, updatedAt: at },
    ]);
    expect(out.skipped.sort()).toEqual(['faq:da-xoa', 'faq:ho-chieu']);
    expect(out.kb.bySlug.get('tong-dai')!.short).toEqual(short);
    expect(out.kb.topics.find((t) => t.slug === 'tong-dai')!.short).toEqual(short);
    expect(out.kb.bySlug.get('ho-chieu')).toBe(shipped.kb.bySlug.get('ho-chieu'));
  });

  it('skips canned replies stored in the older shape (bare texts) or broken, and applies the rest, `*` included', () => {
    const every = [{ ...collected, id: 'done-everywhere', title: { vi: 'Xong', en: 'Done' } }];
    const out = applyOverrides(base, [
      { key: 'canned:waste', value: [{ vi: 'Đã thu gom.', en: 'Collected.' }], updatedAt: at }, // before the editor used the desk's shape
      { key: 'canned:trees', value: [collected, collected], updatedAt: at }, // ids repeat
      { key: 'canned:road-damage', value: [{ ...collected, text: { vi: 'x'.repeat(1001), en: 'x' } }], updatedAt: at },
      { key: 'canned:*', value: every, updatedAt: at },
    ]);
    expect(out.skipped.sort()).toEqual(['canned:road-damage', 'canned:trees', 'canned:waste']);
    expect(out.city.cannedReplies.waste).toEqual(shipped.city.cannedReplies.waste);
    expect(out.city.cannedReplies.trees).toEqual(shipped.city.cannedReplies.trees);
    expect(out.city.cannedReplies['*']).toEqual(every);
  });
});

describe('small rules', () => {
  it('a hotline is digits with spaces and + . ( ) -; facts are those of the profile', () => {
    expect(cityProblems({ ...cityEditOf(shipped.city), hotline: '(0234) 3.822-111' }, shipped.city)).toEqual([]);
    expect(cityProblems({ ...cityEditOf(shipped.city), hotline: 'gọi 1022' }, shipped.city)).toEqual([{ field: 'hotline', code: 'invalid' }]);
    expect(cityProblems({ ...cityEditOf(shipped.city), facts: { ...shipped.city.facts, moi: { vi: 'a', en: 'b' } } }, shipped.city)).toEqual([{ field: 'facts.moi', code: 'invalid' }]);
  });

  it('a canned reply needs its transition and a title and a text in both languages; example questions are one per line without repeats', () => {
    expect(cannedProblems([collected])).toEqual([]);
    expect(cannedProblems([{ id: '', for: 'closed', title: { vi: 'x'.repeat(81), en: '' }, text: { vi: 'Đã xử lý.', en: '' } }])).toEqual([
      { field: 'replies.0.for', code: 'invalid' },
      { field: 'replies.0.title.vi', code: 'too-long', limit: 80 },
      { field: 'replies.0.title.en', code: 'required' },
      { field: 'replies.0.text.en', code: 'required' },
    ]);
    expect(cannedProblems(Array.from({ length: 11 }, () => collected))).toEqual([{ field: 'replies', code: 'too-many', limit: 10 }]);
    expect(exampleLines(' a \r\n\r\nb\na\n')).toEqual(['a', 'b']);
  });

  it('saved canned replies keep their ids; a new one (or a repeated or broken id) gets one from its title, unique in the list', () => {
    const drafts = [
      collected,
      { ...collected, id: '', for: 'rejected', title: { vi: 'Không thuộc phạm vi', en: 'Not ours' } },
      { ...collected, id: 'collected', title: { vi: 'Thu gom lần hai', en: 'Collected' } },
      { ...collected, id: 'Bad id', title: { vi: 'Đã dọn', en: '' } },
    ];
    expect(withCannedIds(drafts).map((r) => [r.id, r.for])).toEqual([['collected', 'resolved'], ['not-ours', 'rejected'], ['collected-2', 'resolved'], ['da-don', 'resolved']]);
  });

  it('the history names each changed field with its texts', () => {
    expect(changedFields({ short: { vi: 'cũ', en: 'same' }, examples: { vi: ['a'] } }, { short: { vi: 'mới', en: 'same' }, examples: { vi: ['a', 'b'] } })).toEqual([
      { field: 'short.vi', before: 'cũ', after: 'mới' },
      { field: 'examples.vi', before: 'a', after: 'a\nb' },
    ]);
  });

  it('the preview fills placeholders in each language', () => {
    const vi = renderedTopic(topic, faqEditOf(topic), shipped.city, 'vi');
    const en = renderedTopic(topic, faqEditOf(topic), shipped.city, 'en');
    expect(vi.short).toContain('Thành phố Huế: 1022');
    expect(en.short).toContain('1022');
    expect(en.short).not.toContain('{{');
  });
});
