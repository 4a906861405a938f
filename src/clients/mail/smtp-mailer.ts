/**
 * The {@link Mailer} port over SMTP (nodemailer), configured by SMTP_URL and SMTP_FROM: plain-text
 * mail to staff. One connection per message (a handful of reminders a day needs no pool).
 *
 * Failures become {@link PlatformApiError} with platform `smtp` and what to do next. Their messages
 * are ours, never the server's: a server's refusal often repeats the recipient's address, and the
 * URL holds the password, so neither may reach a log line through an error message.
 */
import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from '../../domain/notifications/ports';
import { PlatformApiError, type PlatformErrorAction } from '../../domain/shared/errors';

export interface SmtpMailerOptions {
  /** `smtps://user:password@host:465` (TLS from the start) or `smtp://host:25` (STARTTLS when offered). */
  readonly url: string;
  /** The sender: `no-reply@hue.gov.vn` or `Phản ánh Huế <no-reply@hue.gov.vn>`. */
  readonly from: string;
  /** Connecting, the greeting and each reply wait at most this long (default 15 s). */
  readonly timeoutMs?: number;
}

/** What nodemailer's errors carry besides the message. */
interface SmtpFailure {
  readonly code?: unknown;
  readonly responseCode?: unknown;
}

/** Connection-level failures worth trying again later (the server or the network, not the message). */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY', 'EMAXLIMIT']);

/** What to do after a send failed: reply code first (4yz transient, 5yz permanent), else the error code. */
export function smtpErrorAction(code: string | undefined, responseCode: number | undefined): PlatformErrorAction {
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) return 'retry';
  if (responseCode !== undefined && responseCode >= 500) return 'give-up';
  return code !== undefined && TRANSIENT_CODES.has(code) ? 'retry' : 'give-up';
}

/** Our own words for a failure: the fix where there is one, never the server's text. */
function describe(code: string | undefined, responseCode: number | undefined): string {
  if (code === 'EAUTH' || code === 'ENOAUTH') return 'the mail server refused the sign-in; check the user and password in SMTP_URL';
  if (code === 'ETLS' || code === 'EREQUIRETLS') return 'TLS with the mail server failed; check the scheme and port of SMTP_URL (smtps:// with 465, smtp:// with 25 or 587)';
  if (code === 'EENVELOPE') return `the mail server refused the sender or the recipient${responseCode ? ` (${responseCode})` : ''}; check SMTP_FROM and the agency's email in the city profile`;
  if (responseCode !== undefined) return `the mail server refused the message (${responseCode})`;
  if (code !== undefined && TRANSIENT_CODES.has(code)) return 'could not reach the mail server; check the host and port of SMTP_URL';
  return 'sending failed';
}

/** Converts what nodemailer threw into a {@link PlatformApiError} without its message. */
export function toSmtpError(err: unknown): PlatformApiError {
  if (err instanceof PlatformApiError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpFailure;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  return new PlatformApiError({
    platform: 'smtp',
    method: 'sendMail',
    code: code ?? (responseCode !== undefined ? `smtp-${responseCode}` : 'unknown'),
    action: smtpErrorAction(code, responseCode),
    message: describe(code, responseCode),
    status: responseCode,
  });
}

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly o: SmtpMailerOptions) {
    const timeout = o.timeoutMs ?? 15_000;
    this.transport = createTransport({
      url: o.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // The messages are plain text we build; nothing may make nodemailer read a file or a URL.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(m: MailMessage): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.o.from, to: m.to, subject: m.subject, text: m.text });
    } catch (err) {
      throw toSmtpError(err);
    }
  }

  /** Closes idle connections (none are kept between messages; here for a clean stop). */
  close(): void {
    this.transport.close();
  }
}
