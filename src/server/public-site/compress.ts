/**
 * gzip for the public page and its assets (node's zlib, no dependency): a phone on 3G should get
 * the first page, its stylesheet and script in well under 200 KB. Static files are read and
 * compressed once, then served from memory with a long cache lifetime.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';

const acceptsGzip = (req: Request) => /\bgzip\b/.test(req.get('accept-encoding') ?? '');

/** Sends a text body, gzipped when the client takes it. */
export function sendText(req: Request, res: Response, body: string | Buffer, type: string, status = 200): void {
  res.status(status).type(type).setHeader('vary', 'Accept-Encoding');
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (raw.length > 1024 && acceptsGzip(req)) {
    res.setHeader('content-encoding', 'gzip');
    res.send(zlib.gzipSync(raw, { level: 6 }));
    return;
  }
  res.send(raw);
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

interface Cached {
  readonly raw: Buffer;
  readonly gz: Buffer | null;
  readonly type: string;
}

/**
 * Serves the listed files of `dir` (nothing else: no directory walking), gzipped when useful.
 * `files` maps URL names to file names in `dir`.
 */
export function staticFiles(dir: string, files: readonly string[], maxAgeSeconds = 7 * 86_400): RequestHandler {
  const cache = new Map<string, Cached>();
  const allowed = new Set(files);
  return (req, res, next) => {
    const name = req.path.replace(/^\/+/, '');
    if (!allowed.has(name)) return next();
    let c = cache.get(name);
    if (!c) {
      const raw = fs.readFileSync(path.join(dir, name));
      const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
      const gz = /^(text|application\/javascript|image\/svg)/.test(type) ? zlib.gzipSync(raw, { level: 9 }) : null;
      c = { raw, gz, type };
      cache.set(name, c);
    }
    res.setHeader('cache-control', `public, max-age=${maxAgeSeconds}`);
    res.setHeader('vary', 'Accept-Encoding');
    res.type(c.type);
    if (c.gz && acceptsGzip(req)) {
      res.setHeader('content-encoding', 'gzip');
      return res.send(c.gz);
    }
    return res.send(c.raw);
  };
}
