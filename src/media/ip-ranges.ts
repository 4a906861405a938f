/**
 * Which IP addresses a photo download may connect to: public unicast only. Everything else
 * (loopback, private networks, link-local with the cloud metadata service, CGNAT, multicast,
 * documentation and reserved ranges) is how a forged attachment URL would reach our own network.
 *
 * Addresses are compared as numbers, never as text, so spellings cannot slip through; the caller
 * gives canonical text (WHATWG URL parsing turns `2130706433` and `0177.0.0.1` into `127.0.0.1`,
 * and DNS answers are canonical).
 */
import net from 'node:net';

type Range4 = readonly [base: number, prefix: number, reason: string];

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** IPv4 ranges that are not publicly routable unicast (IANA special-purpose registry). */
const BLOCKED_V4: readonly Range4[] = [
  [v4(0, 0, 0, 0), 8, '"this network" (0.0.0.0/8)'],
  [v4(10, 0, 0, 0), 8, 'private (10.0.0.0/8)'],
  [v4(100, 64, 0, 0), 10, 'carrier-grade NAT (100.64.0.0/10)'],
  [v4(127, 0, 0, 0), 8, 'loopback (127.0.0.0/8)'],
  [v4(169, 254, 0, 0), 16, 'link-local or cloud metadata (169.254.0.0/16)'],
  [v4(172, 16, 0, 0), 12, 'private (172.16.0.0/12)'],
  [v4(192, 0, 0, 0), 24, 'IETF protocol assignments (192.0.0.0/24)'],
  [v4(192, 0, 2, 0), 24, 'documentation (192.0.2.0/24)'],
  [v4(192, 88, 99, 0), 24, '6to4 relay anycast (192.88.99.0/24)'],
  [v4(192, 168, 0, 0), 16, 'private (192.168.0.0/16)'],
  [v4(198, 18, 0, 0), 15, 'benchmarking (198.18.0.0/15)'],
  [v4(198, 51, 100, 0), 24, 'documentation (198.51.100.0/24)'],
  [v4(203, 0, 113, 0), 24, 'documentation (203.0.113.0/24)'],
  [v4(224, 0, 0, 0), 4, 'multicast (224.0.0.0/4)'],
  [v4(240, 0, 0, 0), 4, 'reserved or broadcast (240.0.0.0/4)'],
];

function parseV4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const b = Number(p);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return n;
}

function v4Reason(n: number): string | null {
  for (const [base, prefix, reason] of BLOCKED_V4) {
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if (((n & mask) >>> 0) === base) return reason;
  }
  return null;
}

/** Eight 16-bit groups; an embedded dotted IPv4 tail (`::ffff:1.2.3.4`) is accepted. */
function parseV6(text: string): number[] | null {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    const n = parseV4(s.slice(lastColon + 1));
    if (n === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string | undefined) => (h ? h.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words: number[] = [];
  for (const g of [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    words.push(parseInt(g, 16));
  }
  return words;
}

function startsWithBits(words: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((words[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function v6Reason(w: readonly number[]): string | null {
  const embedded = (hi: number, lo: number) => v4Reason(((hi << 16) | lo) >>> 0);
  const allZero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (allZero(0, 8)) return 'unspecified (::)';
  if (allZero(0, 7) && w[7] === 1) return 'loopback (::1)';
  // IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d reach the IPv4 address.
  if (allZero(0, 5) && w[5] === 0xffff) return prefixed('IPv4-mapped', embedded(w[6]!, w[7]!));
  if (allZero(0, 6)) return prefixed('IPv4-compatible', embedded(w[6]!, w[7]!));
  // NAT64 (64:ff9b::/96) translates to the embedded IPv4 address; the local-use prefix is private.
  if (startsWithBits(w, [0x64, 0xff9b, 0, 0, 0, 0], 96)) return prefixed('NAT64', embedded(w[6]!, w[7]!));
  if (startsWithBits(w, [0x64, 0xff9b, 1], 48)) return 'NAT64 local-use (64:ff9b:1::/48)';
  // 6to4 (2002::/16) carries an IPv4 address in bits 16–47.
  if (startsWithBits(w, [0x2002], 16)) return prefixed('6to4', embedded(w[1]!, w[2]!));
  if (startsWithBits(w, [0xfc00], 7)) return 'unique local (fc00::/7)';
  if (startsWithBits(w, [0xfe80], 10)) return 'link-local (fe80::/10)';
  if (startsWithBits(w, [0xfec0], 10)) return 'site-local (fec0::/10)';
  if (startsWithBits(w, [0xff00], 8)) return 'multicast (ff00::/8)';
  if (startsWithBits(w, [0x2001, 0x0db8], 32)) return 'documentation (2001:db8::/32)';
  if (startsWithBits(w, [0x2001, 0], 23)) return 'IETF protocol assignments (2001::/23)';
  // Everything else outside global unicast 2000::/3 is reserved.
  if (!startsWithBits(w, [0x2000], 3)) return 'reserved IPv6 range';
  return null;
}

function prefixed(form: string, inner: string | null): string | null {
  return inner === null ? null : `${form} ${inner}`;
}

/**
 * Why `address` must not be connected to, or `null` when it is public unicast.
 * Anything that is not a well-formed IP address is refused too.
 */
export function nonPublicReason(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = net.isIP(bare);
  if (family === 4) {
    const n = parseV4(bare);
    return n === null ? 'not an IP address' : v4Reason(n);
  }
  if (family === 6) {
    const w = parseV6(bare);
    return w === null ? 'not an IP address' : v6Reason(w);
  }
  return 'not an IP address';
}
