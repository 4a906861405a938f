/**
 * The real app (`src/main.ts`) as a child process against a test database and the loopback fakes,
 * for tests that kill it (kill -9) or run several processes on one database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { TEST_MESSENGER, TEST_ZALO } from './harness';

const ROOT = path.resolve(__dirname, '../..');
export const BOOT_TIMEOUT_MS = 40_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ChildApp {
  readonly proc: ChildProcess;
  readonly url: string;
  output(): string;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, child?: ChildApp): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (child && child.proc.exitCode !== null) throw new Error(`${what}: the app exited with code ${child.proc.exitCode}\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${child ? `\n${child.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ChildAppOptions {
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly graphUrl?: string;
  readonly zaloUrl?: string;
  readonly geocoderUrl?: string;
  readonly env?: Record<string, string>;
}

/** Starts `node -r ts-node/register/transpile-only src/main.ts` and waits for /healthz. */
export async function startChildApp(o: ChildAppOptions): Promise<ChildApp> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    NODE_ENV: 'test',
    DATABASE_URL: o.databaseUrl,
    PORT: String(port),
    DATA_DIR: o.dataDir,
    SIMULATOR: 'off',
    LOG_LEVEL: 'warn',
    ...(o.graphUrl
      ? {
          MESSENGER_ACCESS_TOKEN: TEST_MESSENGER.accessToken,
          MESSENGER_APP_SECRET: TEST_MESSENGER.appSecret,
          MESSENGER_PAGE_ID: TEST_MESSENGER.pageId,
          MESSENGER_APP_ID: TEST_MESSENGER.appId,
          MESSENGER_VERIFY_TOKEN: TEST_MESSENGER.verifyToken,
          MESSENGER_API_URL: o.graphUrl,
        }
      : {}),
    ...(o.zaloUrl
      ? {
          ZALO_APP_ID: TEST_ZALO.appId,
          ZALO_APP_SECRET: TEST_ZALO.appSecret,
          ZALO_OA_ID: TEST_ZALO.oaId,
          ZALO_OA_SECRET_KEY: TEST_ZALO.oaSecretKey,
          ZALO_REFRESH_TOKEN: TEST_ZALO.refreshToken,
          ZALO_API_URL: o.zaloUrl,
          ZALO_OAUTH_URL: o.zaloUrl,
        }
      : {}),
    ...(o.geocoderUrl ? { GEOCODER_URL: o.geocoderUrl } : {}),
    ...o.env,
  };
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  const child: ChildApp = { proc, url: `http://127.0.0.1:${port}`, output: () => log };
  await until('GET /healthz', async () => ((await fetch(`${child.url}/healthz`)).ok ? true : undefined), BOOT_TIMEOUT_MS, child);
  return child;
}

/** kill -9, and wait for the exit. */
export async function killHard(child: ChildApp): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const gone = new Promise((r) => child.proc.once('exit', r));
  child.proc.kill('SIGKILL');
  await gone;
}
