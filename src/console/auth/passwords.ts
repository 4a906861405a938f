/**
 * Password hashing with argon2id (`@node-rs/argon2`, its defaults: 19 MiB, 2 passes, 1 lane, the
 * OWASP minimum). A sign-in with an unknown email still runs one verification against a dummy hash,
 * so the answer takes as long whether or not the account exists.
 */
import { hash, verify } from '@node-rs/argon2';
import { randomSecret } from './secrets';

/** argon2id is the library's default algorithm; the PHC string starts with `$argon2id$`. */
export async function hashPassword(password: string): Promise<string> {
  const h = await hash(password);
  if (!h.startsWith('$argon2id$')) throw new Error('password hashing did not produce argon2id; check the @node-rs/argon2 version');
  return h;
}

let dummy: Promise<string> | undefined;

/** Verifies a password; with no hash (unknown account, no password yet) it spends the same effort and says no. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummy ??= hash(randomSecret());
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
