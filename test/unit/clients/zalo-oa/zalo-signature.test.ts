import fs from 'node:fs';
import path from 'node:path';
import { signZalo, verifyZaloSignature } from '../../../../src/channels/zalo/zalo-signature';
import { FAKE_SECRETS } from '../../../../dev/fake-credentials';
import { zaloWebhook } from '../../../../dev/fakes/zalo-webhooks';

const FIXTURES = path.join(__dirname, '../../../fixtures/zalo');
const APP_ID = '4107330921648205127';
const SECRET = 'TESTONLY-oa-secret-key-0000';

/** The reference vectors sign the compact form of the fixture: JSON.stringify(JSON.parse(file)). */
function compactFixture(name: string): string {
  return JSON.stringify(JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')));
}

describe('Zalo webhook signature (X-ZEvent-Signature)', () => {
  it('matches the reference vector for user_send_text (sha256 of appId + body + timestamp + OA secret)', () => {
    const body = compactFixture('user_send_text.json');
    expect(Buffer.byteLength(body)).toBe(348);
    const header = 'mac=dbd366159a6130c12c372b2532c4d5ee2662b7fde4fea9186ca842a34842bb03';
    expect(signZalo(body, APP_ID, SECRET)).toBe(header);
    expect(verifyZaloSignature({ rawBody: body, header, appIds: [APP_ID], oaSecretKey: SECRET })).toBe(true);
  });

  it('matches the reference vector for user_send_image, also when the body arrives as a Buffer', () => {
    const body = compactFixture('user_send_image.json');
    expect(Buffer.byteLength(body)).toBe(537);
    const header = 'mac=b0629a5616bad224c93ac7d6da64f9ce3add018631b2fac6c5ea71e42f2ac191';
    expect(verifyZaloSignature({ rawBody: Buffer.from(body), header, appIds: [APP_ID], oaSecretKey: SECRET })).toBe(true);
  });

  const fixtureFiles = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

  it.each(fixtureFiles)('accepts %s signed with the OA secret and refuses it with any other signature', (file) => {
    const raw = fs.readFileSync(path.join(FIXTURES, file), 'utf8'); // byte for byte, pretty-printed as stored
    const header = signZalo(raw, APP_ID, SECRET);
    expect(verifyZaloSignature({ rawBody: raw, header, appIds: [APP_ID], oaSecretKey: SECRET })).toBe(true);
    expect(verifyZaloSignature({ rawBody: raw, header: signZalo(raw, APP_ID, 'another-secret'), appIds: [APP_ID], oaSecretKey: SECRET })).toBe(false);
    expect(verifyZaloSignature({ rawBody: raw, header: signZalo(raw, '1111111111111111111', SECRET), appIds: [APP_ID], oaSecretKey: SECRET })).toBe(false);
    // Re-serialising changes the bytes, so the signature of the original no longer fits.
    expect(verifyZaloSignature({ rawBody: JSON.stringify(JSON.parse(raw)), header, appIds: [APP_ID], oaSecretKey: SECRET })).toBe(false);
  });

  it('accepts the signature when it matches any candidate app id (configured id or the body app_id)', () => {
    const body = compactFixture('user_send_text.json');
    const header = signZalo(body, APP_ID, SECRET);
    expect(verifyZaloSignature({ rawBody: body, header, appIds: ['999', undefined, APP_ID], oaSecretKey: SECRET })).toBe(true);
    expect(verifyZaloSignature({ rawBody: body, header, appIds: ['999', ''], oaSecretKey: SECRET })).toBe(false);
  });

  it('accepts upper-case hex and the header given as an array', () => {
    const body = compactFixture('user_send_text.json');
    const hex = signZalo(body, APP_ID, SECRET).slice(4);
    expect(verifyZaloSignature({ rawBody: body, header: [`mac=${hex.toUpperCase()}`], appIds: [APP_ID], oaSecretKey: SECRET })).toBe(true);
  });

  it('refuses a missing or malformed header, a body that is not JSON, or a body without timestamp', () => {
    const body = compactFixture('user_send_text.json');
    const header = signZalo(body, APP_ID, SECRET);
    const v = (rawBody: string, h: string | undefined) => verifyZaloSignature({ rawBody, header: h, appIds: [APP_ID], oaSecretKey: SECRET });
    expect(v(body, undefined)).toBe(false);
    expect(v(body, '')).toBe(false);
    expect(v(body, header.slice(4))).toBe(false); // no "mac=" prefix
    expect(v(body, `${header}00`)).toBe(false);
    expect(v(body, 'mac=not-hex')).toBe(false);
    expect(v('{"event_name":', header)).toBe(false);
    const noTimestamp = JSON.stringify({ ...JSON.parse(body), timestamp: undefined });
    expect(v(noTimestamp, header)).toBe(false);
    expect(verifyZaloSignature({ rawBody: body, header, appIds: [APP_ID], oaSecretKey: '' })).toBe(false);
  });

  it('refuses a body whose timestamp was changed after signing (a replay with a new time)', () => {
    const body = compactFixture('user_send_text.json');
    const header = signZalo(body, APP_ID, SECRET);
    const tampered = body.replace('1763798412345', '1763798412346');
    expect(verifyZaloSignature({ rawBody: tampered, header, appIds: [APP_ID], oaSecretKey: SECRET })).toBe(false);
  });

  it('the webhook builders produce requests that verify with the simulator secrets', () => {
    const wh = zaloWebhook.userSendText({ userId: '5519028374615903382', text: 'Đèn đường hỏng' });
    expect(wh.headers['content-type']).toBe('application/json');
    expect(
      verifyZaloSignature({ rawBody: wh.body, header: wh.headers['x-zevent-signature'], appIds: [zaloWebhook.appId], oaSecretKey: FAKE_SECRETS.zaloOaSecretKey }),
    ).toBe(true);
  });
});
