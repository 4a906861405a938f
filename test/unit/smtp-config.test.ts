/**
 * The mail settings in src/config.ts (SMTP_URL, SMTP_FROM) and the agencies' addresses in the city
 * profile: no SMTP_URL, no mail; a bad value is refused with its fix, never with its value.
 */
import { ConfigError, parseConfig } from '../../src/config';
import { parseCityProfile } from '../../src/domain/city-profile';
import { loadContent } from '../../src/storage/content-loader';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

const PUBLIC = { PUBLIC_URL: 'https://phananh.hue.gov.vn' };

describe('SMTP settings', () => {
  it('without SMTP_URL there is no mail server', () => {
    expect(parseConfig({}).smtp).toBeNull();
    expect(parseConfig({ SMTP_URL: '  ', SMTP_FROM: '' }).smtp).toBeNull();
  });

  it('takes SMTP_URL (smtps:// or smtp://) with SMTP_FROM', () => {
    expect(parseConfig({ ...PUBLIC, SMTP_URL: 'smtps://bot:secret@mail.hue.gov.vn:465', SMTP_FROM: 'Phản ánh Huế <no-reply@hue.gov.vn>' }).smtp).toEqual({
      url: 'smtps://bot:secret@mail.hue.gov.vn:465',
      from: 'Phản ánh Huế <no-reply@hue.gov.vn>',
    });
    expect(parseConfig({ ...PUBLIC, SMTP_URL: 'smtp://relay.internal:25', SMTP_FROM: 'no-reply@hue.gov.vn' }).smtp).toEqual({ url: 'smtp://relay.internal:25', from: 'no-reply@hue.gov.vn' });
  });

  it('wants both or neither, and PUBLIC_URL for the links', () => {
    expect(problemsOf({ ...PUBLIC, SMTP_URL: 'smtp://relay.internal:25' })).toEqual([expect.stringMatching(/^SMTP_FROM is empty while SMTP_URL is set; set it to the sender address/)]);
    expect(problemsOf({ ...PUBLIC, SMTP_FROM: 'no-reply@hue.gov.vn' })).toEqual([expect.stringMatching(/^SMTP_URL is empty while SMTP_FROM is set/)]);
    expect(problemsOf({ SMTP_URL: 'smtp://relay.internal:25', SMTP_FROM: 'no-reply@hue.gov.vn' })).toEqual([expect.stringMatching(/^PUBLIC_URL is empty while SMTP_URL is set/)]);
  });

  it('refuses another scheme or a URL without host, naming the fix but never the password', () => {
    for (const bad of ['https://bot:hunter2-secret@mail.hue.gov.vn', 'smtps://bot:hunter2-secret@', 'mail.hue.gov.vn:465 hunter2-secret']) {
      const problems = problemsOf({ ...PUBLIC, SMTP_URL: bad, SMTP_FROM: 'no-reply@hue.gov.vn' });
      expect(problems).toEqual([expect.stringMatching(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL with a host/)]);
      expect(problems.join()).not.toContain('hunter2-secret');
    }
  });

  it('refuses a sender that is not an address', () => {
    expect(problemsOf({ ...PUBLIC, SMTP_URL: 'smtp://relay.internal:25', SMTP_FROM: 'Phản ánh Huế' })).toEqual([expect.stringMatching(/^SMTP_FROM: must be an e-mail address/)]);
  });
});

describe("the city profile's agency e-mail", () => {
  const shipped = loadContent().city;

  it('is optional: the shipped profile has none', () => {
    expect(shipped.agencies.filter((a) => a.email !== undefined)).toEqual([]);
  });

  it('is kept when valid and refused when not, naming the field', () => {
    const withEmail = (email: string) => ({ ...shipped, agencies: shipped.agencies.map((a) => (a.id === 'hepco' ? { ...a, email } : a)) });
    expect(parseCityProfile('test', withEmail('hepco@example.invalid')).agencies.find((a) => a.id === 'hepco')?.email).toBe('hepco@example.invalid');
    const i = shipped.agencies.findIndex((a) => a.id === 'hepco');
    expect(() => parseCityProfile('test', withEmail('HEPCO office'))).toThrow(new RegExp(`agencies\\.${i}\\.email`));
  });
});
