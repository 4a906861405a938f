/**
 * Photo redaction in the console: the staff page (`pages/redaction-pages.ts`), the originals for
 * staff (`/console/media/:key`) and the JSON API (`api/redaction-api.ts`). main.ts calls
 * {@link registerRedactionConsole} before the console is mounted.
 */
import type { PhotoRedaction } from '../app/photo-redaction';
import type { PhotoReader } from '../domain/photos/ports';
import { redactionApi } from './api/redaction-api';
import { redactionPages } from './pages/redaction-pages';
import type { StaffConsole } from './index';

export { redactionPath } from './pages/redaction-pages';

export interface RedactionConsoleDeps {
  readonly redaction: PhotoRedaction;
  /** Stored photos (originals for staff). */
  readonly images: PhotoReader;
  /** Absolute public URL of a stored key, for the API's `public` links. */
  readonly mediaUrl: (key: string) => string;
}

export function registerRedactionConsole(staff: Pick<StaffConsole, 'addPages' | 'addApi'>, d: RedactionConsoleDeps): void {
  staff.addPages((r, { views }) => redactionPages(r, { views, redaction: d.redaction, images: d.images }));
  staff.addApi((r) => redactionApi(r, { redaction: d.redaction, mediaUrl: d.mediaUrl }));
}
