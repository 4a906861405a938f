import { isAllowed, parseAllowEntry, parseFetchAllowList } from '../../../src/media/fetch-allow-list';

describe('parseFetchAllowList (MEDIA_FETCH_ALLOW)', () => {
  it('is empty when unset or blank', () => {
    expect(parseFetchAllowList(undefined)).toEqual([]);
    expect(parseFetchAllowList('')).toEqual([]);
    expect(parseFetchAllowList(' , ,')).toEqual([]);
  });

  it('reads host and host:port entries in canonical form', () => {
    expect(parseFetchAllowList(' 127.0.0.1:8080, Media.Internal ,[::1]:9000,::1, 0177.0.0.1:80, localhost.')).toEqual([
      '127.0.0.1:8080',
      'media.internal',
      '[::1]:9000',
      '[::1]',
      '127.0.0.1:80',
      'localhost',
    ]);
  });

  it.each([
    ['http://127.0.0.1:8080'],
    ['127.0.0.1:0'],
    ['127.0.0.1:65536'],
    ['127.0.0.1:http'],
    ['host/path'],
    ['user@host'],
    ['*'],
    ['[::1'],
    ['10.0.0.0/8'],
    ['bad host'],
  ])('refuses %j naming the entry', (entry) => {
    expect(() => parseFetchAllowList(`ok.example,${entry}`)).toThrow(`MEDIA_FETCH_ALLOW entry "${entry}"`);
  });
});

describe('isAllowed', () => {
  const entries = ['127.0.0.1:8080', 'media.internal', '[::1]:9000'].map(parseAllowEntry);
  it.each([
    ['127.0.0.1', 8080, true],
    ['127.0.0.1', 8081, false],
    ['media.internal', 80, true],
    ['MEDIA.INTERNAL.', 443, true],
    ['[::1]', 9000, true],
    ['[::1]', 80, false],
    ['localhost', 8080, false],
  ] as const)('%s:%d → %s', (host, port, expected) => {
    expect(isAllowed(entries, host, port)).toBe(expected);
  });
});
