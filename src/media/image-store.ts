import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where processed photos live. Keys are content hashes (`<sha256 hex>.jpg`), so a key always
 * names the same bytes: `put` of an existing key may be skipped. Implemented on the local disk by
 * {@link FsImageStore}; object storage can implement the same port later.
 */
export interface ImageStore {
  /** Stores `data` under `key`. Idempotent; concurrent puts of one key are safe. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or null when `key` was never stored. */
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
  has(key: string): Promise<boolean>;
}

/** A content-addressed image key: 64 lowercase hex digits and an extension. */
export type ImageKey = string & { readonly __brand: 'ImageKey' };

const KEY_PATTERN = /^[a-f0-9]{64}\.(jpg|webp)$/;

const CONTENT_TYPES = { jpg: 'image/jpeg', webp: 'image/webp' } as const;

/** True when `key` can name a stored image; use it to turn a user-supplied key into a 404 early. */
export function isImageKey(key: string): key is ImageKey {
  return KEY_PATTERN.test(key);
}

/** Content type implied by a valid key's extension. */
export function contentTypeForKey(key: ImageKey): string {
  return key.endsWith('.webp') ? CONTENT_TYPES.webp : CONTENT_TYPES.jpg;
}

function requireKey(key: string): ImageKey {
  if (!isImageKey(key)) {
    // Never echo the key: it may be an attacker's path and would end up in logs verbatim.
    throw new TypeError(
      `invalid image key (length ${key.length}); keys are "<64 lowercase hex>.jpg" or ".webp", ` +
        'as produced by the photo pipeline',
    );
  }
  return key;
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

/**
 * {@link ImageStore} on the local disk: `<rootDir>/<first two hex digits>/<key>`. The fan-out keeps
 * directories small. Writes go to a temporary file in the same directory and are renamed into
 * place, so a reader never sees half a photo, even if the process dies mid-write.
 */
export class FsImageStore implements ImageStore {
  private readonly root: string;

  constructor(rootDir: string) {
    if (!rootDir) throw new TypeError('FsImageStore needs a root directory; set the image directory in config');
    this.root = path.resolve(rootDir);
  }

  /** Absolute path for a key; the key pattern has no separators or dots beyond the extension. */
  pathFor(key: string): string {
    return this.fileOf(requireKey(key));
  }

  private fileOf(key: ImageKey): string {
    return path.join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    const k = requireKey(key);
    const file = this.fileOf(k);
    const expected = contentTypeForKey(k);
    if (contentType !== expected) {
      throw new TypeError(`content type ${contentType} does not match the key's extension (expected ${expected})`);
    }
    if (await this.has(k)) return; // same key, same bytes
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, data, { flag: 'wx' });
      // rename replaces atomically; a concurrent put of the same key wrote identical bytes
      await rename(tmp, file);
    } catch (err: unknown) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  async get(key: string): Promise<{ data: Buffer; contentType: string } | null> {
    const k = requireKey(key);
    try {
      return { data: await readFile(this.fileOf(k)), contentType: contentTypeForKey(k) };
    } catch (err: unknown) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    const file = this.pathFor(key);
    try {
      return (await stat(file)).isFile();
    } catch (err: unknown) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
