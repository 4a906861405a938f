/**
 * The embedded PostgreSQL's lifecycle with real processes: the app killed with SIGKILL leaves its
 * server running and the next start adopts it; stale postmaster.pid files do not block a start;
 * stop() waits for the exit and gets rid of a server that ignores the polite signals.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { isPostmasterFor, startEmbeddedPostgres, type EmbeddedServer } from '../../../src/storage/embedded-postgres';

jest.setTimeout(120_000);

const SRC = path.resolve(__dirname, '../../../src/storage/embedded-postgres');
let dir: string;
const started: EmbeddedServer[] = [];
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-embedded-'));
  // when run as root the server runs as `postgres`, which must reach the directory
  fs.chmodSync(dir, 0o755);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const s of started) await s.stop({ timeoutMs: 5_000 });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Running, not merely a zombie: the postmaster is not our child, so reaping it is up to init. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
};

async function start(): Promise<EmbeddedServer> {
  const s = await startEmbeddedPostgres(dir);
  started.push(s);
  return s;
}

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** A separate node process playing the app: starts the embedded server in `dir`, reports, then idles. */
async function appProcess(): Promise<{ child: ChildProcess; pid: number; url: string }> {
  const script = `
    require('ts-node').register({ transpileOnly: true });
    require(${JSON.stringify(SRC)}).startEmbeddedPostgres(${JSON.stringify(dir)}).then(
      (s) => { process.stdout.write(JSON.stringify({ pid: s.pid, url: s.url }) + '\\n'); setInterval(() => undefined, 60000); },
      (e) => { process.stderr.write(String(e && e.stack)); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`app process exited with ${code}: ${err}`)));
  });
  return { child, ...(JSON.parse(line) as { pid: number; url: string }) };
}

/** A process id that is certainly not running any more. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => c.once('exit', r));
  return c.pid!;
}

function writePidFile(pid: number): void {
  // the layout PostgreSQL writes: pid, data dir, start time, port, socket dir, listen address, shmem key, status
  fs.writeFileSync(path.join(dir, 'postgres', 'postmaster.pid'), `${pid}\n${path.join(dir, 'postgres')}\n1700000000\n5999\n/tmp\n127.0.0.1\n  5999001     32768\nready   \n`);
}

describe('embedded PostgreSQL lifecycle', () => {
  it('when the app is killed with SIGKILL, its server survives, and the next start adopts it with the data intact', async () => {
    const app = await appProcess();
    await query(app.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before the crash')");
    app.child.kill('SIGKILL');
    await new Promise((r) => app.child.once('exit', r));

    expect(alive(app.pid)).toBe(true); // in its own session: the app's death did not take it along
    expect(isPostmasterFor(app.pid, path.join(dir, 'postgres'))).toBe(true);
    expect(isPostmasterFor(app.pid, os.tmpdir())).toBe(false);

    const next = await start();
    expect(next.adopted).toBe(true);
    expect(next.pid).toBe(app.pid);
    expect(await query(next.url, 'SELECT v FROM kept')).toEqual([{ v: 'before the crash' }]);

    await next.stop();
    expect(alive(app.pid)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
    await next.stop(); // twice is fine
  });

  it('when a crash left a postmaster.pid whose process is gone, starts anyway', async () => {
    writePidFile(await deadPid());
    const s = await start();
    expect(s.adopted).toBe(false);
    expect(await query(s.url, 'SELECT v FROM kept')).toEqual([{ v: 'before the crash' }]);
    await s.stop();
  });

  it('when the pid in a stale postmaster.pid now belongs to another program, starts anyway (PostgreSQL alone would refuse)', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 60000)']);
    children.push(other);
    writePidFile(other.pid!);
    const s = await start();
    expect(s.adopted).toBe(false);
    expect(s.pid).not.toBe(other.pid);
    expect(alive(other.pid!)).toBe(true); // left alone
    expect(await query(s.url, 'SELECT v FROM kept')).toEqual([{ v: 'before the crash' }]);
    await s.stop();
    other.kill('SIGKILL');
  });

  it('stop() waits for the exit, and kills a server that ignores fast and immediate shutdown; the next start recovers', async () => {
    const s = await start();
    await query(s.url, "INSERT INTO kept VALUES ('committed before the hang')");
    process.kill(s.pid, 'SIGSTOP'); // a wedged server: SIGINT and SIGQUIT stay pending
    await s.stop({ timeoutMs: 300 });
    expect(alive(s.pid)).toBe(false);

    const again = await start();
    expect(again.adopted).toBe(false);
    expect(await query(again.url, 'SELECT v FROM kept ORDER BY v')).toEqual([{ v: 'before the crash' }, { v: 'committed before the hang' }]);
    await again.stop();
  });
});
