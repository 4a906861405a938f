/**
 * The real app (src/main.ts) as a child process: the event is stored before the 200, so a process
 * killed before it replied answers after a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FakeGraphApi } from '../../../dev/fakes/fake-graph-api';
import { FakeNominatim } from '../../../dev/fakes/fake-nominatim';
import { createMessengerWebhooks } from '../../../dev/fakes/messenger-webhooks';
import { createTestDb, type TestDb } from '../../support/db';
import { TEST_MESSENGER } from '../../support/harness';

const ROOT = path.resolve(__dirname, '../../..');
const BOOT_TIMEOUT_MS = 40_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, child?: Child): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (child && child.proc.exitCode !== null) {
      throw new Error(`${what}: the app exited with code ${child.proc.exitCode}\n${child.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${child ? `\n${child.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Child {
  readonly proc: ChildProcess;
  readonly url: string;
  output(): string;
}

const graphOptions = {
  accessToken: TEST_MESSENGER.accessToken,
  appSecret: TEST_MESSENGER.appSecret,
  pageId: TEST_MESSENGER.pageId,
  appId: TEST_MESSENGER.appId,
};

describe('crash recovery of the real app process', () => {
  let t: TestDb;
  let dataDir: string;
  let nominatim: FakeNominatim;
  const graphs: FakeGraphApi[] = [];
  const children: Child[] = [];
  const webhooks = createMessengerWebhooks({ appSecret: TEST_MESSENGER.appSecret, pageId: TEST_MESSENGER.pageId });

  beforeAll(async () => {
    t = await createTestDb();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-crash-'));
    nominatim = new FakeNominatim();
    await nominatim.start();
  });

  afterAll(async () => {
    for (const c of children) {
      if (c.proc.exitCode === null && c.proc.signalCode === null) {
        const gone = new Promise((r) => c.proc.once('exit', r));
        c.proc.kill('SIGKILL');
        await gone;
      }
    }
    for (const g of graphs) await g.stop();
    await nominatim?.stop();
    await t?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function newGraph(): Promise<FakeGraphApi> {
    const g = new FakeGraphApi(graphOptions);
    await g.start();
    graphs.push(g);
    return g;
  }

  /** Starts `node -r ts-node/register/transpile-only src/main.ts` and waits for /healthz. */
  async function startApp(graph: FakeGraphApi): Promise<Child> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: 'test',
      DATABASE_URL: t.url,
      PORT: String(port),
      DATA_DIR: dataDir,
      MESSENGER_ACCESS_TOKEN: TEST_MESSENGER.accessToken,
      MESSENGER_APP_SECRET: TEST_MESSENGER.appSecret,
      MESSENGER_PAGE_ID: TEST_MESSENGER.pageId,
      MESSENGER_APP_ID: TEST_MESSENGER.appId,
      MESSENGER_VERIFY_TOKEN: TEST_MESSENGER.verifyToken,
      MESSENGER_API_URL: graph.url,
      GEOCODER_URL: nominatim.url,
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
    };
    const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
    proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
    const child: Child = { proc, url: `http://127.0.0.1:${port}`, output: () => log };
    children.push(child);
    await until('GET /healthz', async () => ((await fetch(`${child.url}/healthz`)).ok ? true : undefined), BOOT_TIMEOUT_MS, child);
    return child;
  }

  async function kill(child: Child): Promise<void> {
    const gone = new Promise((r) => child.proc.once('exit', r));
    child.proc.kill('SIGKILL');
    await gone;
  }

  async function inboundFor(psid: string): Promise<Array<{ status: string }>> {
    const r = await t.db.query<{ status: string }>('SELECT status FROM inbound_events WHERE conversation_key = $1 ORDER BY id', [`messenger:${psid}`]);
    return r.rows;
  }

  async function outboxFor(psid: string): Promise<Array<{ status: string }>> {
    const r = await t.db.query<{ status: string }>('SELECT status FROM outbound_messages WHERE conversation_key = $1 ORDER BY id', [`messenger:${psid}`]);
    return r.rows;
  }

  it('a process that dies while sending a turn\'s reply sends it after restart, once, without handling the message again', async () => {
    const psid = 'crash-resident-1';

    // First life: replies hang at the platform, so the process is mid-turn when it dies.
    const hanging = await newGraph();
    hanging.slow(60_000);
    const first = await startApp(hanging);

    const req = webhooks.text({ psid, text: 'PA-CRASH2' });
    const res = await fetch(`${first.url}/webhooks/messenger`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.status).toBe(200);

    // The reply is on its way to the platform (held there) when the process is killed. The turn has
    // committed: the message is handled, its reply recorded and not yet sent.
    await until('the reply to reach the platform', async () => (hanging.calls({ method: 'POST', path: '/me/messages' }).length > 0 ? true : undefined), 10_000, first);
    await kill(first);
    await hanging.stop(); // drops the held request: the first life never delivered anything
    expect(hanging.sentMessages(psid)).toEqual([]);
    expect(await inboundFor(psid)).toEqual([{ status: 'done' }]);
    expect(await outboxFor(psid)).toEqual([{ status: 'pending' }]);

    // Second life with a healthy platform.
    const healthy = await newGraph();
    const second = await startApp(healthy);
    const sent = await healthy.waitForMessages(psid, 1, 15_000);
    expect(sent.map((m) => m.message?.text)).toEqual([expect.stringMatching(/Không tìm thấy phản ánh có mã PA-CRASH2/)]);
    await until('the reply to be marked sent', async () => ((await outboxFor(psid))[0]?.status === 'sent' ? true : undefined), 10_000, second);
    expect(await inboundFor(psid)).toEqual([{ status: 'done' }]);
    // Handled once: no second reply shows up.
    await new Promise((r) => setTimeout(r, 300));
    expect(healthy.sentMessages(psid)).toHaveLength(1);
  }, 90_000);
});
