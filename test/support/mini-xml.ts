/**
 * A small XML reader for tests, independent of the app's XML writer: elements, text and the five
 * predefined entities (plus numeric references), no attributes kept, no DTDs. Enough to read
 * GeoReport v2 answers the way an Open311 client would.
 */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`unknown entity ${m}`);
    return v;
  });
}

/** Parses a document; throws on malformed input (unclosed or mismatched tags, text outside the root). */
export function parseXml(doc: string): XmlElement {
  let s = doc.replace(/^\uFEFF/, '');
  const decl = /^<\?xml[^?]*\?>\s*/.exec(s);
  if (decl) s = s.slice(decl[0].length);
  const root: XmlElement = { name: '#document', children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = tag.exec(s)) !== null) {
    if (m.index !== consumed) throw new Error(`unexpected character at ${consumed}`);
    consumed = tag.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      if (top === root) {
        if (m[5].trim() !== '') throw new Error('text outside the root element');
        continue;
      }
      top.text += decode(m[5]);
      continue;
    }
    const [, close, name, , selfClose] = m;
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const el: XmlElement = { name: name!, children: [], text: '' };
    top.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (consumed !== s.length) throw new Error('trailing garbage');
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (root.children.length !== 1) throw new Error('a document has exactly one root element');
  return root.children[0]!;
}

/** The element's children as a plain object of texts (leaf elements), for flat records. */
export function record(el: XmlElement): Record<string, string> {
  return Object.fromEntries(el.children.map((c) => [c.name, c.text]));
}

export function child(el: XmlElement, name: string): XmlElement {
  const c = el.children.find((x) => x.name === name);
  if (!c) throw new Error(`<${el.name}> has no <${name}>`);
  return c;
}
