/**
 * GeoReport v2's two formats. JSON: what the specification's examples show (arrays of objects, the
 * discovery and service definition objects). XML: UTF-8 with the declaration, a root element and
 * one element per item (`<service_requests><request>…`), every field present (null → empty
 * element), nested lists named in {@link XML_ITEM}.
 */
import type { Response } from 'express';

export type Format = 'json' | 'xml';

export type Field = string | number | boolean | null | undefined | Field[] | { [k: string]: Field };
export type Doc = Record<string, Field>;

/** Element names of list items inside a field (`formats` → `<format>`). */
const XML_ITEM: Readonly<Record<string, string>> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

export function escapeXml(s: string): string {
  // Characters XML 1.0 forbids are dropped; the five specials are escaped.
  // eslint-disable-next-line no-control-regex -- these are exactly the characters XML cannot carry
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

function fieldXml(name: string, v: Field): string {
  if (v === null || v === undefined) return `<${name}></${name}>`;
  if (Array.isArray(v)) {
    const item = XML_ITEM[name] ?? 'item';
    return `<${name}>${v.map((x) => fieldXml(item, x)).join('')}</${name}>`;
  }
  if (typeof v === 'object') return `<${name}>${Object.entries(v).map(([k, x]) => fieldXml(k, x)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n';

/** `<root><item>…</item>…</root>` for a list answer. */
export function listXml(root: string, item: string, docs: readonly Doc[]): string {
  return `${XML_DECL}<${root}>${docs.map((d) => fieldXml(item, d)).join('')}</${root}>\n`;
}

/** `<root>…fields…</root>` for a single object answer (discovery, service definition). */
export function objectXml(root: string, doc: Doc): string {
  return `${XML_DECL}${fieldXml(root, doc)}\n`;
}

export function sendList(res: Response, fmt: Format, root: string, item: string, docs: readonly Doc[], status = 200): void {
  if (fmt === 'json') res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(docs));
  else res.status(status).type('text/xml; charset=utf-8').send(listXml(root, item, docs));
}

export function sendObject(res: Response, fmt: Format, root: string, doc: Doc, status = 200): void {
  if (fmt === 'json') res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(doc));
  else res.status(status).type('text/xml; charset=utf-8').send(objectXml(root, doc));
}

/** The specification's error answer: `[{"code", "description"}]` / `<errors><error>…`. */
export function sendErrors(res: Response, fmt: Format, status: 400 | 403 | 404 | 429 | 500, description: string): void {
  sendList(res, fmt, 'errors', 'error', [{ code: status, description }], status);
}
