/**
 * Fewer, better messages: what a turn sends is compacted, long lists take two screens at most, and
 * a Zalo card's header carries the whole prompt (or the prompt goes out as numbered text). Also:
 * every text a dialog asks for exists in both languages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compact } from '../../../dialogs/say';
import { pageOf } from '../../../dialogs/choices';
import { zaloCardHeader, ZALO_SUBTITLE_MAX } from '../../../src/channels/zalo/zalo-turn';
import { createI18n } from '../../../src/i18n';

const t = (key: string) => (key === 'common:more' ? 'More ▸' : key === 'common:back' ? '◂ Back' : key);
const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `C${i + 1}`, payload: `P${i + 1}` }));

describe('compact', () => {
  it('joins notes into the question that follows and keeps its buttons', () => {
    expect(compact([{ text: 'Đã nhận 3 ảnh (tổng 3/5).' }, { text: 'Sự việc ở đâu?', link: { title: 'Bản đồ', url: 'http://x' } }])).toEqual([
      { text: 'Đã nhận 3 ảnh (tổng 3/5).\nSự việc ở đâu?', link: { title: 'Bản đồ', url: 'http://x' } },
    ]);
  });

  it('drops a text repeated in the same turn and never joins into a message with images', () => {
    expect(compact([{ text: 'A' }, { text: 'A' }, { text: 'B', choices: choices(2) }])).toEqual([{ text: 'A\nB', choices: choices(2) }]);
    expect(compact([{ text: 'Note' }, { text: 'Result', images: ['http://i'] }])).toHaveLength(2);
    expect(compact([{ text: 'Q?' }, { text: 'Q?', choices: choices(2) }])).toEqual([{ text: 'Q?', choices: choices(2) }]);
  });

  it('keeps a message apart when joining would make it too long for one bubble', () => {
    const long = 'x'.repeat(700);
    expect(compact([{ text: long }, { text: 'Q', calls: [{ title: '113', phone: '113' }] }])).toHaveLength(2);
  });
});

describe('pageOf', () => {
  it('shows a list that fits as is', () => {
    expect(pageOf(choices(5), 0, 5, t)).toEqual(choices(5));
  });

  it('puts a long list on two screens: the first max-1 and "More", then all the rest and "Back"', () => {
    const list = choices(14);
    const first = pageOf(list, 0, 5, t, 'Loại khác ▸');
    expect(first.map((c) => c.payload)).toEqual(['P1', 'P2', 'P3', 'P4', 'PAGE:1']);
    expect(first[4]!.title).toBe('Loại khác ▸');
    const second = pageOf(list, 1, 5, t);
    expect(second.map((c) => c.payload)).toEqual([...list.slice(4).map((c) => c.payload), 'PAGE:0']);
    const messenger = pageOf(list, 0, 13, t);
    expect(messenger).toHaveLength(13);
    expect(pageOf(list, 1, 13, t).map((c) => c.payload)).toEqual(['P13', 'P14', 'PAGE:0']);
  });
});

describe('zaloCardHeader', () => {
  it('uses a short text as the title', () => {
    expect(zaloCardHeader('Bạn cần hỗ trợ gì?')).toEqual({ title: 'Bạn cần hỗ trợ gì?' });
  });

  it('puts the first line (or first sentences) in the title and the rest in the subtitle', () => {
    expect(zaloCardHeader('Đã nhận 3 ảnh.\nSự việc ở đâu?')).toEqual({ title: 'Đã nhận 3 ảnh.', subtitle: 'Sự việc ở đâu?' });
    const welcome = 'Xin chào! Đây là kênh tiếp nhận phản ánh hiện trường và hỗ trợ người dân của Thành phố Huế. Bạn đang trò chuyện với trợ lý tự động.\nBạn cần hỗ trợ gì?';
    const h = zaloCardHeader(welcome)!;
    expect(h.title).toBe('Xin chào! Đây là kênh tiếp nhận phản ánh hiện trường và hỗ trợ người dân của Thành phố Huế.');
    expect(h.title.length).toBeLessThanOrEqual(100);
    expect(`${h.title} ${h.subtitle}`).toBe(welcome);
  });

  it('gives up (numbered text instead) when the title cannot be cut at a sentence or the rest is too long', () => {
    expect(zaloCardHeader('x'.repeat(150))).toBeNull();
    expect(zaloCardHeader(`Tiêu đề.\n${'y'.repeat(ZALO_SUBTITLE_MAX + 1)}`)).toBeNull();
  });
});

describe('locales', () => {
  const i18n = createI18n();
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  const keys = new Set<string>();
  for (const f of files(path.resolve(__dirname, '../../../dialogs'))) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/['"]((?:common|report|faq):[a-zA-Z0-9_.]+)['"]/g)) keys.add(m[1]!);
  }

  it.each([...keys].sort())('%s exists in Vietnamese and English', (key) => {
    for (const locale of ['vi', 'en'] as const) {
      const text = i18n.t(locale, key, { count: 2 });
      expect(text).not.toBe(key.split(':')[1]);
      expect(text).not.toBe(key);
    }
  });

  it('has the same keys in both languages', () => {
    const flat = (o: unknown, prefix = ''): string[] =>
      typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
    for (const ns of ['common', 'report', 'faq']) {
      const read = (l: string) => flat(JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../../locales/${l}/${ns}.json`), 'utf8'))).sort();
      expect(read('en')).toEqual(read('vi'));
    }
  });
});
