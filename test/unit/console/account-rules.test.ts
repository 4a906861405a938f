/** Pure rules of accounts, keys, secrets and audit details. */
import { checkEmail, checkName, checkPassword, checkScope, emailKey, splitCodes } from '../../../src/domain/staff/accounts';
import { cleanAuditDetails } from '../../../src/domain/staff/audit';
import { apiKeyString, newToken, parseBearer, randomSecret, safeEqual, sha256Hex } from '../../../src/console/auth/secrets';
import { safeNext } from '../../../src/console/pages/forms';

const AGENCIES = new Set(['hepco', 'cong-an']);

describe('staff account rules', () => {
  it('emails are trimmed, checked, and compared without case', () => {
    expect(checkEmail('  Lan.Nguyen@Hue.gov.vn ')).toEqual({ ok: true, value: 'Lan.Nguyen@Hue.gov.vn' });
    expect(emailKey(' Lan.Nguyen@Hue.gov.vn')).toBe('lan.nguyen@hue.gov.vn');
    for (const bad of ['', 'lan', 'lan@hue', 'a b@hue.gov.vn', 42, undefined]) expect(checkEmail(bad).ok).toBe(false);
  });

  it('passwords need 12 characters (counted as people see them), at most 256, and the same confirmation', () => {
    expect(checkPassword('mười hai ký').ok).toBe(false); // 11 characters
    expect(checkPassword('mười hai ký!').ok).toBe(true);
    expect(checkPassword('x'.repeat(257))).toEqual({ ok: false, problems: [{ field: 'password', code: 'password.too-long' }] });
    expect(checkPassword('long enough password', 'another')).toEqual({ ok: false, problems: [{ field: 'confirm', code: 'password.mismatch' }] });
  });

  it('names are required, collapsed and bounded', () => {
    expect(checkName('  Cổng   IOC ', 'name')).toEqual({ ok: true, value: 'Cổng IOC' });
    expect(checkName('   ', 'displayName')).toEqual({ ok: false, problems: [{ field: 'displayName', code: 'name.required' }] });
    expect(checkName('x'.repeat(81), 'name').ok).toBe(false);
  });

  it('the agency role needs known agencies or ward codes; other roles get an empty scope', () => {
    expect(checkScope({ role: 'agency', agencies: ['hepco', 'hepco'], wards: ['19774'] }, AGENCIES)).toEqual({ ok: true, value: { role: 'agency', agencies: ['hepco'], wards: ['19774'] } });
    expect(checkScope({ role: 'operator', agencies: ['hepco'], wards: ['1'] }, AGENCIES)).toEqual({ ok: true, value: { role: 'operator', agencies: [], wards: [] } });
    expect(checkScope({ role: 'agency' }, AGENCIES)).toEqual({ ok: false, problems: [{ field: 'agencies', code: 'scope.agency-needs-scope' }] });
    expect(checkScope({ role: 'agency', agencies: ['so-ma'] }, AGENCIES)).toEqual({ ok: false, problems: [{ field: 'agencies', code: 'scope.unknown-agency' }] });
    expect(checkScope({ role: 'agency', wards: ['19 774'] }, AGENCIES).ok).toBe(false);
    expect(checkScope({ role: 'root' }, AGENCIES)).toEqual({ ok: false, problems: [{ field: 'role', code: 'role.invalid' }] });
  });

  it('typed ward codes split on commas, spaces and semicolons', () => {
    expect(splitCodes('19774, 19777;19780  19783')).toEqual(['19774', '19777', '19780', '19783']);
    expect(splitCodes(undefined)).toEqual([]);
  });
});

describe('secrets', () => {
  it('tokens and API keys have a recognisable shape; anything else is not a credential', () => {
    const t = newToken();
    expect(parseBearer(t)).toEqual({ kind: 'token', token: t });
    const secret = randomSecret();
    expect(parseBearer(apiKeyString('42', secret))).toEqual({ kind: 'api-key', id: '42', secret });
    for (const bad of ['', 'pat_short', `pak_0_${secret}`, `pak_x_${secret}`, `${t} `, `Bearer ${t}`]) expect(parseBearer(bad)).toBeNull();
  });

  it('stores a SHA-256 digest and compares in constant time', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('after sign-in, goes only to console paths (no open redirect)', () => {
    expect(safeNext('/console/users?x=1')).toBe('/console/users?x=1');
    expect(safeNext('/console')).toBe('/console');
    for (const bad of ['https://evil.example', '//evil.example', '/consolex', '/console//evil', '/console/\\evil', undefined, 12]) expect(safeNext(bad)).toBe('/console');
  });
});

describe('audit details', () => {
  it('drops keys that could hold secrets or residents\' data, keeps the rest', () => {
    expect(cleanAuditDetails({ role: 'admin', password: 'x', token: 'y', phone: '09', text: 'hi', address: 'a', psid: '1', agency: 'hepco', key: 'pak' })).toEqual({
      details: { role: 'admin', agency: 'hepco' },
      dropped: ['password', 'token', 'phone', 'text', 'address', 'psid', 'key'],
    });
  });
});
