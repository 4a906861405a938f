/**
 * The explicit exceptions to the photo download address policy: hosts that may be reached although
 * they are loopback or private (a platform fake in development, a media proxy on the LAN).
 * Configured as `MEDIA_FETCH_ALLOW`, comma-separated `host` or `host:port` entries; default empty.
 */

/** One parsed entry: `host` in URL form (`127.0.0.1`, `[::1]`, `media.internal`), `port` null for any port. */
export interface AllowEntry {
  readonly host: string;
  readonly port: number | null;
}

/** Canonical host form, as `new URL(...).hostname` gives it, without a trailing dot. */
export function canonicalHost(hostname: string): string {
  const h = hostname.toLowerCase();
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

function bad(entry: string, why: string): never {
  throw new TypeError(
    `MEDIA_FETCH_ALLOW entry "${entry}" ${why}; use comma-separated host or host:port entries, e.g. "127.0.0.1:8080,media.internal,[::1]:9000"`,
  );
}

/** Parses one entry; throws naming it when it is not `host`, `host:port`, `[v6]` or `[v6]:port`. */
export function parseAllowEntry(raw: string): AllowEntry {
  const entry = raw.trim();
  let hostText: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    hostText = `[${bracketed[1]}]`;
    portText = bracketed[2];
  } else if ((entry.match(/:/g) ?? []).length > 1) {
    hostText = `[${entry}]`; // a bare IPv6 address; a port needs brackets
  } else {
    const colon = entry.indexOf(':');
    hostText = colon < 0 ? entry : entry.slice(0, colon);
    portText = colon < 0 ? undefined : entry.slice(colon + 1);
  }
  if (hostText === '' || /[/?#@\\\s*]/.test(hostText)) bad(entry, 'is not a host name or IP address');
  let host: string;
  try {
    host = new URL(`http://${hostText}/`).hostname;
  } catch {
    return bad(entry, 'is not a host name or IP address');
  }
  if (!host) bad(entry, 'is not a host name or IP address');
  let port: number | null = null;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) bad(entry, 'has a port outside 1–65535');
    port = Number(portText);
  }
  return { host: canonicalHost(host), port };
}

/**
 * Parses the `MEDIA_FETCH_ALLOW` value: comma-separated `host` or `host:port` entries, blanks ignored.
 * Returns the entries in canonical form (`0177.0.0.1:80` becomes `127.0.0.1:80`).
 *
 * @throws TypeError naming the first bad entry and the expected form
 */
export function parseFetchAllowList(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const e = parseAllowEntry(s);
      return e.port === null ? e.host : `${e.host}:${e.port}`;
    });
}

/** Whether `host` (URL form) at `port` is one of the entries. */
export function isAllowed(entries: readonly AllowEntry[], host: string, port: number): boolean {
  const h = canonicalHost(host);
  return entries.some((e) => e.host === h && (e.port === null || e.port === port));
}
