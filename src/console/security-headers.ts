/**
 * helmet on every console page and staff API answer. The pages load only their own stylesheet and
 * htmx from `/console/static`, so the Content-Security-Policy allows `self` and nothing else: no
 * inline script or style, no eval (htmx is configured without it), no framing by anyone, forms only
 * to this origin. HSTS only when the console is served over https (COOKIE_SECURE / PUBLIC_URL).
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function consoleSecurityHeaders(o: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(o.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: o.https ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  });
}

/** Console answers hold staff data and one-time secrets: never stored by browsers or proxies. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};
