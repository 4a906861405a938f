import { boundKey, cleanText, MAX_EVENT_DEPTH, MAX_KEY_LENGTH, sanitiseEventBody } from '../../../src/domain/shared/sanitise';

/** `{ text: { text: … 'x' } }` nested `depth` objects deep, built without recursion. */
function nested(depth: number, leaf: unknown = 'x'): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { text: v };
  return v;
}

/** The same, as a JSON string (how a webhook body arrives). */
const nestedJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('sanitiseEventBody', () => {
  it.each<[string, unknown, unknown]>([
    ['a lone high surrogate', { text: 'ab\ud800c' }, { text: 'ab\ufffdc' }],
    ['a lone low surrogate', { text: '\udc00' }, { text: '\ufffd' }],
    ['a high surrogate at the end', { text: 'end\ud83d' }, { text: 'end\ufffd' }],
    ['two high surrogates, then a pair', { text: '\ud800\ud83d\ude00' }, { text: '\ufffd\ud83d\ude00' }],
    ['U+0000 in a string', { text: 'a\u0000b' }, { text: 'ab' }],
    ['U+0000 and a lone surrogate in a key', { 'k\u0000\udfff': 1 }, { 'k\ufffd': 1 }],
    ['dirty strings deep inside arrays', { a: [1, ['x\ud800', null, true]] }, { a: [1, ['x\ufffd', null, true]] }],
    ['undefined and non-finite numbers, as JSON would write them', { a: undefined, b: [undefined, NaN, Infinity], c: 1 }, { b: [null, null, null], c: 1 }],
    ['a Date', { at: new Date('2025-01-02T03:04:05Z') }, { at: '2025-01-02T03:04:05.000Z' }],
  ])('repairs %s', (_what, input, expected) => {
    const out = sanitiseEventBody(input);
    expect(out).toEqual({ ok: true, value: expected });
    // and what comes out is storable: JSON.stringify escapes only lone surrogates and U+0000 this way
    expect(JSON.stringify(out.ok && out.value)).not.toMatch(/\\u(0000|d[89a-f][0-9a-f]{2})/i);
  });

  it.each<[string, unknown]>([
    ['emoji (valid surrogate pairs) and Vietnamese text', { text: 'Đèn đường hỏng 💡🚧 ở kiệt 45' }],
    ['a plain Zalo event', { event_name: 'user_send_text', sender: { id: '1' }, message: { text: 'xin chào', msg_id: 'm' } }],
    ['primitives at the root', 'text'],
    ['null', null],
    ['nesting exactly at the limit', nested(MAX_EVENT_DEPTH)],
  ])('keeps %s as it is, without copying', (_what, input) => {
    const out = sanitiseEventBody(input);
    expect(out.ok).toBe(true);
    expect(out.ok && out.value).toBe(input);
  });

  it('keeps key order and a "__proto__" key as plain data', () => {
    const input = JSON.parse('{"b":"\\ud800","a":1,"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const out = sanitiseEventBody(input);
    if (!out.ok) throw new Error('expected ok');
    expect(Object.keys(out.value as object)).toEqual(['b', 'a', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out.value)).toBe(Object.prototype);
  });

  it.each([
    ['one level past the limit', () => nested(MAX_EVENT_DEPTH + 1)],
    ['3,000 levels parsed from JSON', () => JSON.parse(nestedJson(3000)) as unknown],
    ['100,000 levels of arrays', () => JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown],
    ['a deep body that also needs repair', () => nested(5000, '\ud800')],
  ])('refuses %s as too-deep without overflowing the stack', (_what, make) => {
    expect(sanitiseEventBody(make())).toEqual({ ok: false, reason: 'too-deep' });
  });

  it('refuses a cycle as too-deep instead of looping', () => {
    const a: Record<string, unknown> = { text: 'x\ud800' };
    a.self = a;
    expect(sanitiseEventBody(a)).toEqual({ ok: false, reason: 'too-deep' });
  });

  it('honours a custom depth and refuses a nonsense one', () => {
    expect(sanitiseEventBody(nested(3), { maxDepth: 3 }).ok).toBe(true);
    expect(sanitiseEventBody(nested(4), { maxDepth: 3 }).ok).toBe(false);
    expect(() => sanitiseEventBody({}, { maxDepth: 0 })).toThrow(/maxDepth must be a positive integer/);
  });

  it('does not modify its input', () => {
    const input = { text: 'a\u0000\ud800', list: ['\udc00'] };
    sanitiseEventBody(input);
    expect(input).toEqual({ text: 'a\u0000\ud800', list: ['\udc00'] });
  });
});

describe('cleanText', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a\u0000', 'a'],
    ['\ud800\udc00', '\ud800\udc00'],
    ['\udc00\ud800', '\ufffd\ufffd'],
  ])('%j → %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('boundKey', () => {
  const ids = Array.from({ length: 128 }, (_, i) => `63ecf43f0df7dba892e${i.toString(16).padStart(2, '0')}`);
  const seenKey = `seen:${ids.join(',')}`;

  it('keeps short keys as they are, so rows stored before still deduplicate', () => {
    expect(boundKey('mid:m_abc')).toBe('mid:m_abc');
    expect(boundKey('x'.repeat(MAX_KEY_LENGTH))).toBe('x'.repeat(MAX_KEY_LENGTH));
  });

  it('replaces a long key by a stable sha256 hash', () => {
    const k = boundKey(seenKey);
    expect(k).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(boundKey(seenKey)).toBe(k);
    expect(boundKey(`${seenKey}x`)).not.toBe(k);
    expect(boundKey(k)).toBe(k);
  });

  it('hashes keys PostgreSQL would refuse or change (U+0000, lone surrogates), keeping them apart', () => {
    expect(boundKey('mid:a\u0000b')).toMatch(/^sha256:/);
    const a = boundKey('mid:\ud800');
    const b = boundKey('mid:\ud801');
    expect(a).toMatch(/^sha256:/);
    expect(a).not.toBe(b);
  });
});
