/**
 * Typed answers to "is it really fixed?" and to the rating, as dialogs/choices reads them against
 * the choice point a resolved notice leaves; and every resident-facing and console text of this
 * part exists in both languages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { typedAnswer } from '../../../dialogs/choices';
import { verdictMenu } from '../../../dialogs/verdict/verdict-dialog';
import type { Menu } from '../../../dialogs/state';
import type { Turn } from '../../../dialogs/types';
import { verdictQuestion } from '../../../src/app/notify-resident';
import { createI18n } from '../../../src/i18n';

const i18n = createI18n();
const t = i18n.forLocale('vi');
const CODE = 'PA-7K3M9Q2';

/** Just enough of a turn for typed answers: the remembered choice point and the channel's button cap. */
function at(menu: Menu): Turn {
  return { state: { menu }, capabilities: { maxChoices: 5 } } as unknown as Turn;
}

const STARS = ['resident:verdict.stars.1', 'resident:verdict.stars.2', 'resident:verdict.stars.3', 'resident:verdict.stars.4', 'resident:verdict.stars.5'];
const verdict = verdictMenu(verdictQuestion(t, CODE).message, t)!;
const rating: Menu = {
  text: 'rate',
  choices: STARS.map((key, i) => ({ title: t(key), payload: `RATING:${CODE}:${i + 1}` })),
  page: 0, yes: null, no: null, moreTitle: null, moreText: null, hint: null,
};

describe('typed answers to the resolution question', () => {
  it.each(['rồi', 'rồi, sửa xong rồi', 'đã sửa xong', 'ok', 'có', 'vâng', 'xong rồi nhé', 'đã khắc phục', 'yes', "yes it's fixed", '1'])('"%s" confirms', (text) => {
    expect(typedAnswer(at(verdict), t, text)?.payload).toBe(`RESOLVED_CONFIRM:${CODE}`);
  });

  it.each(['chưa', 'không', 'vẫn còn', 'vẫn còn nguyên', 'chưa, vẫn còn', 'chưa sửa', 'chưa ai sửa', 'not fixed', 'still there', '2'])('"%s" says it is not fixed', (text) => {
    expect(typedAnswer(at(verdict), t, text)?.payload).toBe(`RESOLVED_REJECT:${CODE}`);
  });

  it.each(['hôm qua có người đến xem', 'bao giờ thì làm'])('"%s" answers neither', (text) => {
    expect(typedAnswer(at(verdict), t, text)).toBeNull();
  });
});

describe('typed ratings', () => {
  it.each([['5', 5], ['5 sao', 5], ['năm sao', 5], ['rất tốt', 5], ['tuyệt vời', 5], ['4', 4], ['tốt', 4], ['3 sao', 3], ['tạm được', 3], ['1', 1], ['rất tệ', 1]])('"%s" is %i', (text, n) => {
    expect(typedAnswer(at(rating), t, text)?.payload).toBe(`RATING:${CODE}:${n}`);
  });
});

describe('the texts of the resident side, the hand-over queue and content editing', () => {
  it('have the same keys in both languages', () => {
    const flat = (o: unknown, prefix = ''): string[] =>
      typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
    for (const ns of ['resident', 'handovers', 'content']) {
      const read = (l: string) => flat(JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../../locales/${l}/${ns}.json`), 'utf8'))).sort();
      expect(read('en')).toEqual(read('vi'));
    }
  });

  it('fit the platforms: button titles within Messenger\'s 20 characters, the question within a Zalo card title', () => {
    for (const locale of ['vi', 'en'] as const) {
      const tl = i18n.forLocale(locale);
      const q = verdictQuestion(tl, CODE).message;
      expect(q.text.length).toBeLessThanOrEqual(100);
      for (const c of q.choices!) expect([...c.title].length).toBeLessThanOrEqual(20);
      for (const key of STARS) expect([...tl(key)].length).toBeLessThanOrEqual(20);
    }
  });
});
