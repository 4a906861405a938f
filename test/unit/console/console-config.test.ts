/** The staff console's settings in src/config.ts: defaults, the first admin, cookies. */
import { ConfigError, parseConfig } from '../../../src/config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('console settings', () => {
  it('needs nothing: no first admin, 12-hour tokens and sessions, 5 failures lock for 15 minutes', () => {
    expect(parseConfig({}).console).toEqual({
      firstAdmin: null,
      sessionSecret: undefined,
      secureCookies: false,
      sessionHours: 12,
      tokenHours: 12,
      maxFailures: 5,
      lockMinutes: 15,
      ipFailuresPer15Min: 30,
      passwordLinkHours: 24,
    });
  });

  it('takes ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(parseConfig({ ADMIN_EMAIL: 'a@hue.gov.vn', ADMIN_PASSWORD: 'twelve chars' }).console.firstAdmin).toEqual({ email: 'a@hue.gov.vn', password: 'twelve chars' });
    expect(problemsOf({ ADMIN_EMAIL: 'a@hue.gov.vn' })).toEqual([expect.stringMatching(/^ADMIN_PASSWORD is empty while the other is set/)]);
    expect(problemsOf({ ADMIN_PASSWORD: 'twelve chars' })).toEqual([expect.stringMatching(/^ADMIN_EMAIL is empty/)]);
  });

  it('refuses a weak ADMIN_PASSWORD (under 12 characters) with a clear error that does not repeat it', () => {
    const problems = problemsOf({ ADMIN_EMAIL: 'a@hue.gov.vn', ADMIN_PASSWORD: 'short-pw-11' });
    expect(problems).toEqual([expect.stringMatching(/^ADMIN_PASSWORD is shorter than 12 characters; choose a longer passphrase/)]);
    expect(problems.join()).not.toContain('short-pw-11');
    expect(problemsOf({ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long enough passphrase' })).toEqual([expect.stringMatching(/^ADMIN_EMAIL is not an email address/)]);
  });

  it('lists console problems together with the others', () => {
    expect(problemsOf({ ADMIN_EMAIL: 'a@hue.gov.vn', ADMIN_PASSWORD: 'short', SESSION_SECRET: 'tiny', MESSENGER_ACCESS_TOKEN: 't' })).toHaveLength(3);
  });

  it('secure cookies follow PUBLIC_URL unless COOKIE_SECURE says otherwise', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://phananh.hue.gov.vn' }).console.secureCookies).toBe(true);
    expect(parseConfig({ PUBLIC_URL: 'http://localhost:5000' }).console.secureCookies).toBe(false);
    expect(parseConfig({ PUBLIC_URL: 'https://phananh.hue.gov.vn', COOKIE_SECURE: 'off' }).console.secureCookies).toBe(false);
    expect(parseConfig({ COOKIE_SECURE: 'on' }).console.secureCookies).toBe(true);
  });

  it('keeps API tokens at 12 hours or less', () => {
    expect(parseConfig({ STAFF_TOKEN_HOURS: '4' }).console.tokenHours).toBe(4);
    expect(() => parseConfig({ STAFF_TOKEN_HOURS: '13' })).toThrow(/STAFF_TOKEN_HOURS: must be an integer between 1 and 12/);
  });
});
