import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FsImageStore, isImageKey } from '../../../src/media/image-store';

const keyOf = (data: Buffer, ext = 'jpg') => `${createHash('sha256').update(data).digest('hex')}.${ext}`;

async function listAll(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('FsImageStore', () => {
  let root: string;
  let store: FsImageStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'image-store-'));
    store = new FsImageStore(path.join(root, 'images'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('when a photo is stored, files it under its first two hex digits and gives it back', async () => {
    const data = randomBytes(1000);
    const key = keyOf(data);
    await store.put(key, data, 'image/jpeg');

    expect(await readFile(path.join(root, 'images', key.slice(0, 2), key))).toEqual(data);
    expect(await store.has(key)).toBe(true);
    expect(await store.get(key)).toEqual({ data, contentType: 'image/jpeg' });
    expect(await listAll(root)).toEqual([path.join('images', key.slice(0, 2), key)]);
  });

  it('when asked for a photo it never stored, answers null and false', async () => {
    const key = keyOf(Buffer.from('nothing'));
    expect(await store.get(key)).toBeNull();
    expect(await store.has(key)).toBe(false);
  });

  it('when the same photo is stored twice, or many times at once, keeps one file and no temporaries', async () => {
    const data = randomBytes(50_000);
    const key = keyOf(data);
    await store.put(key, data, 'image/jpeg');
    await Promise.all(Array.from({ length: 20 }, () => store.put(key, data, 'image/jpeg')));
    const fresh = randomBytes(10);
    await Promise.all(Array.from({ length: 20 }, () => store.put(keyOf(fresh), fresh, 'image/jpeg')));

    expect((await listAll(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await store.get(key)).toEqual({ data, contentType: 'image/jpeg' });
    expect((await store.get(keyOf(fresh)))?.data).toEqual(fresh);
  });

  it('when a reader looks while a large photo is being written, it sees nothing or the whole photo', async () => {
    const data = randomBytes(8 * 1024 * 1024);
    const key = keyOf(data);
    const writing = store.put(key, data, 'image/jpeg');
    const seen: number[] = [];
    let done = false;
    void writing.then(() => (done = true));
    while (!done) {
      const got = await store.get(key);
      if (got) seen.push(got.data.length);
      await new Promise((r) => setImmediate(r));
    }
    await writing;
    expect(seen.every((n) => n === data.length)).toBe(true);
  });

  it('keeps the WebP content type for .webp keys', async () => {
    const data = randomBytes(100);
    await store.put(keyOf(data, 'webp'), data, 'image/webp');
    expect((await store.get(keyOf(data, 'webp')))?.contentType).toBe('image/webp');
  });

  it('refuses a content type that contradicts the key', async () => {
    const data = randomBytes(100);
    await expect(store.put(keyOf(data), data, 'image/png')).rejects.toThrow(/does not match/);
  });

  it.each([
    ['path traversal', '../../../../etc/passwd'],
    ['traversal dressed as a key', `../${'a'.repeat(61)}.jpg`],
    ['an absolute path', `/tmp/${'a'.repeat(64)}.jpg`],
    ['upper-case hex', `${'A'.repeat(64)}.jpg`],
    ['a short hash', `${'a'.repeat(63)}.jpg`],
    ['another extension', `${'a'.repeat(64)}.png`],
    ['a trailing newline', `${'a'.repeat(64)}.jpg\n`],
    ['an empty key', ''],
  ])('when a key is %s, refuses it for put, get and has and writes nothing', async (_what, key) => {
    await expect(store.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/invalid image key/);
    await expect(store.get(key)).rejects.toThrow(/invalid image key/);
    await expect(store.has(key)).rejects.toThrow(/invalid image key/);
    expect(isImageKey(key)).toBe(false);
    expect(await listAll(root)).toEqual([]);
  });

  it('does not treat a directory squatting on a key as a stored photo', async () => {
    const key = keyOf(Buffer.from('squatted'));
    await mkdir(path.join(root, 'images', key.slice(0, 2), key), { recursive: true });
    expect(await store.has(key)).toBe(false);
  });
});
