/**
 * One HTTP(S) GET that connects to an address the caller has already checked, instead of resolving
 * the host name again: a DNS answer that changes between the check and the connect (DNS rebinding)
 * cannot redirect the connection. TLS still verifies the certificate against the host name (SNI and
 * identity check use `servername`), and the Host header carries the name.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** A checked IP address to connect to. */
export interface PinnedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

export interface PinnedGetInit {
  readonly address: PinnedAddress;
  readonly signal: AbortSignal;
  readonly headers: Readonly<Record<string, string>>;
}

/** Performs one GET without following redirects; the answer's body streams on demand. */
export type PinnedGet = (url: URL, init: PinnedGetInit) => Promise<Response>;

/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * Wraps the socket stream in a pull-driven web stream: at most one chunk is queued, the socket is
 * paused otherwise, so the caller's byte cap bounds memory. Cancelling destroys the connection.
 */
function webBody(res: http.IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) res.pause();
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          controller.close();
        });
        const fail = (err: Error) => {
          if (settled) return;
          settled = true;
          controller.error(err);
        };
        res.on('error', fail);
        res.on('close', () => fail(new Error('connection closed before the body ended')));
        res.pause();
      },
      pull() {
        res.resume();
      },
      cancel() {
        settled = true;
        res.destroy();
      },
    },
    { highWaterMark: 1 },
  );
}

function toResponse(res: http.IncomingMessage): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // a header value fetch would refuse (bytes outside Latin-1): not one we read
    }
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) {
    res.destroy();
    throw new Error(`unexpected HTTP status ${status}`);
  }
  if (NULL_BODY.has(status)) {
    res.destroy();
    return new Response(null, { status, headers });
  }
  return new Response(webBody(res), { status, headers });
}

/** The default {@link PinnedGet}: node's http/https with the connection pinned to `init.address`. */
export const pinnedGet: PinnedGet = (url, init) => {
  const tls = url.protocol === 'https:';
  const name = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const options: https.RequestOptions = {
    host: init.address.address,
    family: init.address.family,
    port: url.port ? Number(url.port) : tls ? 443 : 80,
    path: `${url.pathname}${url.search}`,
    method: 'GET',
    headers: { ...init.headers, host: url.host },
    // No pooled sockets: each download connects to the address checked for it.
    agent: false,
    signal: init.signal,
  };
  // SNI must not carry an IP address; the certificate is then checked against the IP.
  if (tls) options.servername = net.isIP(name) ? '' : name;
  return new Promise<Response>((resolve, reject) => {
    const req = (tls ? https : http).request(options, (res) => {
      try {
        resolve(toResponse(res));
      } catch (err: unknown) {
        reject(err);
      }
    });
    req.on('error', reject);
    req.end();
  });
};
