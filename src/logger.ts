/**
 * pino JSON logger. No message text, photo URLs, phone numbers or tokens at info level: callers log
 * ids and outcomes, and user ids go through {@link hashUserId}. Redaction is a second line of defence.
 */
import crypto from 'node:crypto';
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'phananh-bot' },
      redact: {
        paths: [
          'accessToken', 'access_token', 'refreshToken', 'refresh_token', 'appSecret', 'token', 'phone', 'text',
          '*.accessToken', '*.access_token', '*.refreshToken', '*.refresh_token', '*.phone', '*.text',
          'headers.authorization', 'headers.access_token', 'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Short, stable, non-reversible id for log lines (platform ids are personal data). */
export function hashUserId(channel: string, userId: string): string {
  return crypto.createHash('sha256').update(`${channel}:${userId}`).digest('hex').slice(0, 12);
}

/** A logger that drops everything (tests that do not inspect logs). */
export const silentLogger: Logger = pino({ level: 'silent' });
