/**
 * The console's pages allow images from 'self' only (src/console/security-headers.ts); pages with
 * a map also need the tile server of MAP_TILE_URL. This adds its origin to `img-src` of the policy
 * helmet already set for the response, leaving every other directive as it is.
 */
import type { Response } from 'express';
import { tileOrigin } from '../../domain/geo/tile-origin';

export function mapPagePolicy(res: Response, mapTileUrl: string): void {
  const origin = tileOrigin(mapTileUrl);
  const current = res.getHeader('content-security-policy');
  if (!origin || typeof current !== 'string') return;
  const directives = current.split(';').map((d) => d.trim()).filter(Boolean);
  const i = directives.findIndex((d) => d.startsWith('img-src '));
  if (i >= 0) directives[i] = `${directives[i]} ${origin}`;
  else directives.push(`img-src 'self' data: ${origin}`);
  res.setHeader('content-security-policy', directives.join(';'));
}
