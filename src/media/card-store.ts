import crypto from 'node:crypto';
import type { CardStore } from '../domain/broadcasts/ports';
import type { ImageStore } from './image-store';

/** Rendered cards, content-addressed in the image store (served at /media/<key> like photos). */
export class ImageCardStore implements CardStore {
  constructor(private readonly images: ImageStore) {}

  async put(jpeg: Buffer): Promise<string> {
    const key = `${crypto.createHash('sha256').update(jpeg).digest('hex')}.jpg`;
    await this.images.put(key, jpeg, 'image/jpeg');
    return key;
  }

  async get(key: string): Promise<Buffer | null> {
    return (await this.images.get(key))?.data ?? null;
  }
}
