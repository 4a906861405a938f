/**
 * Which stored photo may be shown outside the staff console (the public page, broadcasts, the
 * communications role): the redacted variant of a photo once the redaction module has made one.
 *
 * This is the one lookup the report desk goes through for every photo URL it gives to someone who
 * must not see the original (faces, house numbers, number plates). Until redaction lands it returns
 * the key it is given; the redaction module replaces {@link publicPhotoKey} in `src/main.ts` with
 * its own lookup (photo and thumbnail keys both go through it).
 */

/** The key of the publicly showable version of the stored photo `key` (a photo's or a thumbnail's). */
export type PublicPhotoKey = (key: string) => Promise<string>;

/** Before redaction exists: every photo is its own public version. */
export const publicPhotoKey: PublicPhotoKey = async (key) => key;
