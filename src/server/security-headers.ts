/**
 * Security headers (helmet) on every response, and the content security policy each kind of page
 * needs: nothing at all for JSON and files, the map picker's own needs (its scripts and styles,
 * map tiles, being shown in Messenger's desktop web view), stricter pages elsewhere.
 */
import helmet from 'helmet';
import type { RequestHandler } from 'express';
import { tileOrigin } from '../domain/geo/tile-origin';

type Directives = Record<string, string[]>;

/** Headers for every response; HSTS only when the app is served over https. */
export function baseSecurityHeaders(https: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Photos are shown by other origins too (the platforms' previews, the public page).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}

/** A page's own policy (replaces the base one for that route). */
export function pagePolicy(directives: Directives): RequestHandler {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives: { baseUri: ["'none'"], objectSrc: ["'none'"], ...directives } });
}

/** The map web view: Leaflet and our script from here, tiles from the tile server, inline styles (Leaflet sets them). */
export function webviewPolicy(mapTileUrl: string): RequestHandler {
  // A relative tile URL: tiles come from here.
  const tiles = tileOrigin(mapTileUrl) ?? "'self'";
  return pagePolicy({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', tiles],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    // Messenger's desktop web view shows the page in a frame of messenger.com / facebook.com.
    frameAncestors: ["'self'", 'https://www.messenger.com', 'https://www.facebook.com'],
  });
}
