import { splitText } from '../../../src/domain/shared/split-text';

const ZALO_TEXT_MAX = 2000;
const splitZaloText = (text: string, max = ZALO_TEXT_MAX): string[] => splitText(text, max);

const sentence = (i: number) => `Câu số ${i} nói về thủ tục hành chính ở phường.`; // 47 chars

describe('splitting long Zalo texts', () => {
  it('keeps a short text as one message, trimmed', () => {
    expect(splitZaloText('  Xin chào!  ')).toEqual(['Xin chào!']);
  });

  it('gives nothing for blank text', () => {
    expect(splitZaloText(' \n ')).toEqual([]);
  });

  it('normalises decomposed Vietnamese to NFC before measuring', () => {
    const decomposed = 'Phường Phú Hội'.normalize('NFD');
    expect(decomposed.length).toBeGreaterThan('Phường Phú Hội'.length);
    expect(splitZaloText(decomposed)).toEqual(['Phường Phú Hội']);
  });

  it('a text of exactly 2,000 characters is not split; one more character splits it', () => {
    const exact = 'a'.repeat(ZALO_TEXT_MAX - 2) + ' b';
    expect(splitZaloText(exact)).toEqual([exact]);
    expect(splitZaloText(`${exact}c`)).toHaveLength(2);
  });

  it('splits at a paragraph break when one falls in the second half of the chunk', () => {
    const p1 = Array.from({ length: 30 }, (_, i) => sentence(i)).join(' '); // ~1,440 chars
    const p2 = Array.from({ length: 30 }, (_, i) => sentence(i + 30)).join(' ');
    const parts = splitZaloText(`${p1}\n\n${p2}`);
    expect(parts).toEqual([p1, p2]);
  });

  it('splits at a sentence end rather than mid-sentence when there is no paragraph break', () => {
    const text = Array.from({ length: 100 }, (_, i) => sentence(i)).join(' ');
    const parts = splitZaloText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_MAX);
      expect(p.endsWith('phường.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('falls back to a word boundary for one endless sentence, never cutting a word', () => {
    const words = Array.from({ length: 700 }, (_, i) => `từ${i}`);
    const text = words.join(' ');
    const parts = splitZaloText(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_MAX);
    expect(parts.join(' ').split(' ')).toEqual(words);
  });

  it('cuts a run without spaces hard, but never between the halves of an emoji', () => {
    const text = 'x'.repeat(ZALO_TEXT_MAX - 1) + '😀' + 'y'.repeat(10);
    const parts = splitZaloText(text);
    expect(parts[0]).toBe('x'.repeat(ZALO_TEXT_MAX - 1));
    expect(parts[1]).toBe('😀' + 'y'.repeat(10));
  });

  it('splits a very long answer into as many messages as needed, losing no text', () => {
    const paragraphs = Array.from({ length: 12 }, (_, p) => Array.from({ length: 12 }, (_, i) => sentence(p * 12 + i)).join(' '));
    const text = paragraphs.join('\n\n');
    const parts = splitZaloText(text);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_MAX);
    expect(parts.join('\n\n').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });
});
