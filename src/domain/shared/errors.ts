/** What a caller should do after a platform API failure. */
export type PlatformErrorAction =
  /** transient (rate limit, 5xx, network): back off and try again */
  | 'retry'
  /** the access token is invalid or expired: refresh it once, then retry */
  | 'refresh'
  /** the platform refuses now but will accept later (night-time rule, quota): try again at `retryAt` */
  | 'reschedule'
  /** the messaging window is closed for this recipient: use another route or wait for the resident */
  | 'window-closed'
  /** permanent (bad payload, permissions, blocked user): do not retry */
  | 'give-up';

/** The outside services our clients talk to. */
export type Platform = 'messenger' | 'zalo' | 'geocoder' | 'smtp';

/**
 * Thrown by every platform client. Never carries tokens or message bodies in its message.
 */
export class PlatformApiError extends Error {
  readonly platform: Platform;
  readonly method: string;
  readonly code: string;
  readonly action: PlatformErrorAction;
  /** The HTTP status, or the mail server's reply code (`smtp`). */
  readonly status: number | undefined;
  readonly retryAt: Date | undefined;

  constructor(p: {
    platform: Platform;
    method: string;
    code: string | number;
    action: PlatformErrorAction;
    message: string;
    status?: number;
    retryAt?: Date;
  }) {
    super(`${p.platform} ${p.method} failed (${p.code}): ${p.message}`);
    this.name = 'PlatformApiError';
    this.platform = p.platform;
    this.method = p.method;
    this.code = String(p.code);
    this.action = p.action;
    this.status = p.status;
    this.retryAt = p.retryAt;
  }

  get retryable(): boolean {
    return this.action === 'retry' || this.action === 'refresh' || this.action === 'reschedule';
  }
}

/** A domain failure with a stable code that dialogs map to an i18n key. */
export class DomainError extends Error {
  constructor(readonly code: string, message?: string) {
    super(message ?? code);
    this.name = 'DomainError';
  }
}
