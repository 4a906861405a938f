/**
 * A fake mail server on loopback (the `smtp-server` package) for tests of the SMTP adapter and the
 * overdue reminders: it accepts what nodemailer sends, records each message decoded (envelope,
 * subject, plain text, the signed-in user), and fails on demand (`failNext('reject-recipient')`,
 * `failNext('try-later')`). Plain SMTP without STARTTLS; with a user and password it requires
 * AUTH (PLAIN or LOGIN), which it allows without TLS because it only listens on loopback.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** MAIL FROM of the envelope. */
  readonly from: string;
  /** RCPT TO of the envelope. */
  readonly to: readonly string[];
  /** The `From:` header as written (encoded words decoded). */
  readonly fromHeader: string;
  readonly subject: string;
  /** The plain-text body, decoded (quoted-printable or base64), with `\n` line ends. */
  readonly text: string;
  /** Header names in lower case, values unfolded and decoded. */
  readonly headers: Readonly<Record<string, string>>;
  /** The user who signed in (AUTH), null without AUTH. */
  readonly user: string | null;
}

/**
 * What `failNext` makes the next messages meet: `reject-recipient` a permanent 550 on RCPT TO
 * (the address is refused), `try-later` a transient 451 after DATA.
 */
export type FakeSmtpFailure = 'reject-recipient' | 'try-later';

type ServerError = Error & { responseCode?: number };

const failure = (message: string, responseCode: number): ServerError => Object.assign(new Error(message), { responseCode });

export class FakeSmtpServer {
  private server: SMTPServer | null = null;
  private port = 0;
  private readonly received: ReceivedMail[] = [];
  private readonly failures: FakeSmtpFailure[] = [];
  private attemptCount = 0;

  constructor(private readonly o: { user?: string; pass?: string } = {}) {}

  async start(): Promise<string> {
    const auth = this.o.user !== undefined && this.o.pass !== undefined;
    const server = new SMTPServer({
      logger: false,
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !auth,
      allowInsecureAuth: true,
      disableReverseLookup: true,
      // `stop()` waits at most this long for a client that is still connected.
      closeTimeout: 2000,
      onAuth: (a, _session, cb) => {
        if (a.username === this.o.user && a.password === this.o.pass) cb(null, { user: a.username });
        else cb(failure('Invalid username or password', 535));
      },
      onMailFrom: (_address, _session, cb) => {
        this.attemptCount++;
        cb();
      },
      onRcptTo: (_address: SMTPServerAddress, _session, cb) => {
        if (this.failures[0] === 'reject-recipient') {
          this.failures.shift();
          cb(failure('Mailbox unavailable', 550));
        } else cb();
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.failures[0] === 'try-later') {
            this.failures.shift();
            cb(failure('Try again later', 451));
            return;
          }
          this.received.push(parseMail(Buffer.concat(chunks).toString('latin1'), session));
          cb(null);
        });
      },
    });
    server.on('error', () => undefined); // a client that hangs up mid-session is not the test's failure
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** `smtp://user:pass@127.0.0.1:<port>` (without credentials when none were given). */
  get url(): string {
    const cred = this.o.user !== undefined && this.o.pass !== undefined ? `${encodeURIComponent(this.o.user)}:${encodeURIComponent(this.o.pass)}@` : '';
    return `smtp://${cred}127.0.0.1:${this.port}`;
  }

  /** Messages accepted so far, oldest first. */
  get messages(): readonly ReceivedMail[] {
    return [...this.received];
  }

  /** Sessions that got as far as MAIL FROM (accepted or refused). */
  get attempts(): number {
    return this.attemptCount;
  }

  /** The next `count` messages meet `kind`. */
  failNext(kind: FakeSmtpFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(kind);
  }

  /** Forgets the messages, attempts and pending failures. */
  reset(): void {
    this.received.length = 0;
    this.failures.length = 0;
    this.attemptCount = 0;
  }
}

/** A MIME message with one text part (what the adapter sends), decoded. `raw` is byte-per-char (latin1). */
function parseMail(raw: string, session: SMTPServerSession): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r\n[ \t]+/g, ' ');
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : Buffer.from(body, 'latin1');
  const mailFrom = session.envelope.mailFrom;
  return {
    from: mailFrom ? mailFrom.address : '',
    to: session.envelope.rcptTo.map((r) => r.address),
    fromHeader: headers.from ?? '',
    subject: headers.subject ?? '',
    text: bytes.toString('utf8').replace(/\r\n/g, '\n'),
    headers,
    user: typeof session.user === 'string' ? session.user : null,
  };
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words (adjacent ones joined before decoding, as RFC 2047 says). */
function decodeWords(value: string): string {
  return value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)(\s+=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g, (run) => {
    const parts = [...run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)].map(([, , enc, data]) =>
      enc!.toUpperCase() === 'B' ? Buffer.from(data!, 'base64') : decodeQuotedPrintable(data!.replace(/_/g, ' ')),
    );
    return Buffer.concat(parts).toString('utf8');
  });
}

function decodeQuotedPrintable(s: string): Buffer {
  const text = s.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '=' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}
