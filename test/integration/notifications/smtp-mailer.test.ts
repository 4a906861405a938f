/**
 * The SMTP adapter against a real SMTP server on loopback (dev/fakes/fake-smtp-server.ts): what
 * arrives, sign-in with the credentials of the URL, and refusals as typed errors that name neither
 * the address nor the password.
 */
import net from 'node:net';
import { SmtpMailer } from '../../../src/clients/mail/smtp-mailer';
import { PlatformApiError } from '../../../src/domain/shared/errors';
import { FakeSmtpServer } from '../../../dev/fakes/fake-smtp-server';

const PASSWORD = 'mật khẩu: p@ss/1';
const server = new FakeSmtpServer({ user: 'phananh-bot', pass: PASSWORD });
let mailer: SmtpMailer;

beforeAll(async () => {
  await server.start();
  mailer = new SmtpMailer({ url: server.url, from: 'Phản ánh Huế <no-reply@hue.gov.vn>', timeoutMs: 5000 });
});
afterAll(async () => {
  mailer.close();
  await server.stop();
});
beforeEach(() => server.reset());

/** What `send` threw (fails the test if it did not throw a PlatformApiError). */
async function failureOf(p: Promise<void>): Promise<PlatformApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PlatformApiError) return err;
    throw err;
  }
  throw new Error('send did not fail');
}

describe('the SMTP mailer', () => {
  it('delivers a Vietnamese subject and text intact, from SMTP_FROM, signed in with the URL credentials (percent-encoded in the URL)', async () => {
    const text = 'Kính gửi Sở Xây dựng,\n\nNgày 02/03/2026, đơn vị có 3 phản ánh đã quá hạn xử lý.\n- PA-M22222: http://bot.test/console/reports/PA-M22222\n';
    await mailer.send({ to: 'so-xay-dung@example.invalid', subject: 'Nhắc việc ngày 02/03/2026: 3 phản ánh quá hạn xử lý', text });
    expect(server.messages).toHaveLength(1);
    const m = server.messages[0]!;
    expect(m).toMatchObject({ from: 'no-reply@hue.gov.vn', to: ['so-xay-dung@example.invalid'], subject: 'Nhắc việc ngày 02/03/2026: 3 phản ánh quá hạn xử lý', text, user: 'phananh-bot' });
    expect(m.fromHeader).toBe('Phản ánh Huế <no-reply@hue.gov.vn>');
    expect(m.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/i);
  });

  it('a refused recipient is a permanent failure whose message names neither the address nor the password', async () => {
    server.failNext('reject-recipient');
    const err = await failureOf(mailer.send({ to: 'nobody@example.invalid', subject: 's', text: 't' }));
    expect(err).toMatchObject({ platform: 'smtp', code: 'EENVELOPE', action: 'give-up', status: 550 });
    expect(err.message).not.toContain('nobody@example.invalid');
    expect(err.message).not.toContain(PASSWORD);
    expect(server.messages).toHaveLength(0);
  });

  it('"try again later" after the message is a transient failure', async () => {
    server.failNext('try-later');
    const err = await failureOf(mailer.send({ to: 'hepco@example.invalid', subject: 's', text: 't' }));
    expect(err).toMatchObject({ platform: 'smtp', action: 'retry', status: 451 });
    expect(err.message).not.toContain('hepco@example.invalid');
  });

  it('a wrong password says to check SMTP_URL, without repeating it', async () => {
    const wrong = new SmtpMailer({ url: server.url.replace(encodeURIComponent(PASSWORD), 'wrong-password-42'), from: 'no-reply@hue.gov.vn', timeoutMs: 5000 });
    const err = await failureOf(wrong.send({ to: 'hepco@example.invalid', subject: 's', text: 't' }));
    wrong.close();
    expect(err).toMatchObject({ platform: 'smtp', code: 'EAUTH', action: 'give-up' });
    expect(err.message).toContain('check the user and password in SMTP_URL');
    expect(err.message).not.toContain('wrong-password-42');
  });

  it('a server that is not there is worth retrying later', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const away = new SmtpMailer({ url: `smtp://phananh-bot:secret-77@127.0.0.1:${free}`, from: 'no-reply@hue.gov.vn', timeoutMs: 2000 });
    const err = await failureOf(away.send({ to: 'hepco@example.invalid', subject: 's', text: 't' }));
    away.close();
    expect(err).toMatchObject({ platform: 'smtp', code: expect.stringMatching(/^(ECONNECTION|ESOCKET)$/), action: 'retry' });
    expect(err.message).not.toContain('secret-77');
  });
});
