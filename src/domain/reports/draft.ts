/**
 * A report draft: what the resident has sent so far, in any order. Pure functions only; the
 * service persists drafts under a row lock.
 */
import { z } from 'zod';

export const MAX_PHOTOS = 5;
export const MIN_DESCRIPTION = 10;
export const MAX_DESCRIPTION = 2000;

const Photo = z.object({
  key: z.string(),
  thumbKey: z.string(),
  width: z.number(),
  height: z.number(),
});
export type DraftPhoto = z.infer<typeof Photo>;

const Place = z.object({
  lat: z.number(),
  lng: z.number(),
  address: z.string().nullable(),
  source: z.enum(['platform', 'webview', 'geocoded', 'exif']),
});
export type Place = z.infer<typeof Place>;

export const DraftSchema = z.object({
  description: z.string().optional(),
  photos: z.array(Photo).default([]),
  location: Place.optional(),
  /** A geocoded address or photo GPS waiting for the resident's confirmation. */
  pendingLocation: Place.optional(),
  category: z.string().optional(),
  suggestedCategory: z.string().optional(),
  /** What we asked last; decides how an ambiguous text is read. */
  awaiting: z.enum(['description', 'photo', 'location', 'location-confirm', 'category', 'confirm', 'edit']).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
});
export type Draft = z.infer<typeof DraftSchema>;

export type Missing = 'description' | 'photo' | 'location' | 'category';

export function emptyDraft(now: Date): Draft {
  return { photos: [], startedAt: now.toISOString(), updatedAt: now.toISOString() };
}

/** The first thing still missing, in the order we ask for it; null when the draft is complete. */
export function nextMissing(d: Draft): Missing | null {
  if (d.description === undefined) return 'description';
  if (d.photos.length === 0) return 'photo';
  if (d.location === undefined) return 'location';
  if (d.category === undefined) return 'category';
  return null;
}

export function isIdleExpired(d: Draft, now: Date, idleHours: number): boolean {
  return now.getTime() - Date.parse(d.updatedAt) > idleHours * 3_600_000;
}

/** Adds photos, skipping duplicates (same content hash) and anything past {@link MAX_PHOTOS}. */
export function addPhotos(d: Draft, photos: DraftPhoto[]): { draft: Draft; added: number; duplicates: number; overLimit: number } {
  const out = [...d.photos];
  let added = 0;
  let duplicates = 0;
  let overLimit = 0;
  for (const p of photos) {
    if (out.some((x) => x.key === p.key)) duplicates++;
    else if (out.length >= MAX_PHOTOS) overLimit++;
    else {
      out.push(p);
      added++;
    }
  }
  return { draft: { ...d, photos: out }, added, duplicates, overLimit };
}

export type DescriptionProblem = 'report.description-too-short' | 'report.description-too-long';

export function checkDescription(text: string): DescriptionProblem | null {
  const len = [...text.normalize('NFC').trim()].length;
  if (len < MIN_DESCRIPTION) return 'report.description-too-short';
  if (len > MAX_DESCRIPTION) return 'report.description-too-long';
  return null;
}
