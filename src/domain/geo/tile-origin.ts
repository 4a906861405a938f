/**
 * The origin a page's Content-Security-Policy must allow images from for the map tiles of
 * MAP_TILE_URL: `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`.
 * Null for a relative URL (tiles come from the page's own origin).
 */
export function tileOrigin(mapTileUrl: string): string | null {
  try {
    const u = new URL(mapTileUrl.replace(/\{[a-z]\}/g, 'a'));
    return u.origin.replace(/^(https?:\/\/)a\./, '$1*.');
  } catch {
    return null;
  }
}
