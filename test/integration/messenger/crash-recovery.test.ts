/**
 * The real app (src/main.ts) as a child process: the event is stored before the 200, so a process
 * killed before it replied answers after a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeGraphApi } from '../../../dev/fakes/fake-graph-api';
import { FakeNominatim } from '../../../dev/fakes/fake-nominatim';
import { createMessengerWebhooks } from '../../../dev/fakes/messenger-webhooks';
import { createTestDb, type TestDb } from '../../support/db';
import { killHard, startChildApp, until, type ChildApp } from '../../support/child-app';
import { TEST_MESSENGER } from '../../support/harness';

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
  const children: ChildApp[] = [];
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

  async function startApp(graph: FakeGraphApi): Promise<ChildApp> {
    const child = await startChildApp({ databaseUrl: t.url, dataDir, graphUrl: graph.url, geocoderUrl: nominatim.url });
    children.push(child);
    return child;
  }

  const kill = killHard;

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
