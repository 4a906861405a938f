/**
 * Inputs that made PostgreSQL refuse the inbox insert: the webhook answered 503, the platform
 * retried forever, and the good events of the same batch failed with them. On a real PostgreSQL:
 * first that the database does refuse the raw input, then that the inbox stores it.
 */
import { randomBytes } from 'node:crypto';
import { parseZaloEvent, zaloDedupeKey } from '../../../src/channels/zalo/zalo-webhook.schema';
import { MAX_EVENT_DEPTH } from '../../../src/domain/shared/sanitise';
import { PgInboxRepo, type InboundEventInput } from '../../../src/storage/inbox-repo';
import { createTestDb, type TestDb } from '../../support/db';

let t: TestDb;
let inbox: PgInboxRepo;
beforeAll(async () => {
  t = await createTestDb();
  inbox = new PgInboxRepo(t.db);
});
afterAll(async () => {
  await t.drop();
});

const fresh = () => randomBytes(6).toString('hex');

function zaloText(text: string): InboundEventInput {
  const id = fresh();
  return {
    channel: 'zalo',
    dedupeKey: `m-${id}`,
    conversationKey: 'zalo:111',
    kind: 'text',
    body: { event_name: 'user_send_text', sender: { id: '111' }, recipient: { id: 'oa' }, message: { msg_id: `m-${id}`, text }, timestamp: '1763799015530' },
  };
}

/** A Zalo read receipt for `n` OA messages, through the real wire schema and dedupe key. */
function seenReceipt(n: number): InboundEventInput {
  const body = {
    app_id: '4107330921648205127',
    event_name: 'user_seen_message',
    timestamp: '1763799015530',
    sender: { id: '2950471185532601093' },
    recipient: { id: '5519028374615903382' },
    message: { msg_ids: Array.from({ length: n }, () => randomBytes(10).toString('hex')) },
  };
  const parsed = parseZaloEvent(body);
  if (!parsed.ok) throw new Error(parsed.error);
  return { channel: 'zalo', dedupeKey: zaloDedupeKey(parsed.event), conversationKey: 'zalo:5519028374615903382', kind: 'seen', body };
}

/** A text event whose `message.extra` field holds JSON nested `depth` levels, parsed from the wire. */
function deepEvent(depth: number): InboundEventInput {
  const e = zaloText('hello');
  const raw = JSON.stringify(e.body).replace(/}$/, `,"extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
  return { ...e, body: JSON.parse(raw) as unknown };
}

async function row(e: InboundEventInput) {
  const r = await t.db.query<{ status: string; body: unknown }>('SELECT status, body FROM inbound_events WHERE channel = $1 AND dedupe_key = $2', [e.channel, e.dedupeKey]);
  return r.rows[0];
}

describe('the inbox stores what PostgreSQL would refuse', () => {
  it('a text with a lone UTF-16 surrogate: jsonb refuses the escape; the inbox stores U+FFFD and keeps emoji', async () => {
    await expect(t.db.query('SELECT $1::jsonb', [JSON.stringify({ text: 'hỏng \ud800 rồi' })])).rejects.toThrow(/invalid input syntax for type json/);

    const e = zaloText('đèn hỏng \ud800 rồi 💡\udc00');
    expect(await inbox.insertFlags([e])).toEqual([true]);
    const stored = await row(e);
    expect(stored?.status).toBe('pending');
    expect((stored?.body as { message: { text: string } }).message.text).toBe('đèn hỏng \ufffd rồi 💡\ufffd');
  });

  it('U+0000 in a text or a key is dropped', async () => {
    const e = zaloText('a\u0000b');
    (e.body as Record<string, unknown>)['x\u0000y'] = 1;
    expect(await inbox.insertFlags([e])).toEqual([true]);
    const body = (await row(e))?.body as { message: { text: string }; xy: number };
    expect(body.message.text).toBe('ab');
    expect(body.xy).toBe(1);
  });

  it('a Zalo read receipt for 300 messages: the raw key overflows the btree row; the bounded key is stored and deduplicates the redelivery', async () => {
    const receipt = seenReceipt(300);
    const rawKey = `seen:${[...(receipt.body as { message: { msg_ids: string[] } }).message.msg_ids].sort().join(',')}`;
    await expect(
      t.db.query("INSERT INTO inbound_events (channel, dedupe_key, conversation_key, kind, body) VALUES ('zalo', $1, 'c', 'seen', '{}')", [rawKey]),
    ).rejects.toThrow(/index row size/);

    expect(receipt.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await inbox.insertFlags([receipt])).toEqual([true]);
    // Zalo redelivers with the ids in another order: same key, stored once
    const again = { ...receipt, body: structuredClone(receipt.body) as { message: { msg_ids: string[] } } };
    again.body.message.msg_ids.reverse();
    const redelivered = seenReceipt(1);
    const parsed = parseZaloEvent(again.body);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(await inbox.insertFlags([{ ...redelivered, dedupeKey: zaloDedupeKey(parsed.event), body: again.body }])).toEqual([false]);
  });

  it('a long key from any channel is bounded centrally, even if the channel did not bound it', async () => {
    const e: InboundEventInput = { ...zaloText('x'), channel: 'messenger', dedupeKey: `postback:1:2:${randomBytes(3000).toString('hex')}` };
    expect(await inbox.insertFlags([e, e])).toEqual([true, false]);
    expect(await inbox.insertFlags([e])).toEqual([false]);
  });

  it.each([3_000, 10_000])('JSON nested %d deep in a kept field is stored as refused (status failed, with the reason), not handled', async (depth) => {
    const e = deepEvent(depth);
    expect(await inbox.insertFlags([e])).toEqual([true]);
    const stored = await t.db.query<{ status: string; last_error: string; body: unknown; handled_at: Date | null }>(
      'SELECT status, last_error, body, handled_at FROM inbound_events WHERE dedupe_key = $1',
      [e.dedupeKey],
    );
    expect(stored.rows[0]).toMatchObject({ status: 'failed', last_error: 'body refused: too-deep', body: { refused: 'too-deep' } });
    expect(stored.rows[0]?.handled_at).toBeInstanceOf(Date);
    expect(await inbox.pending(e.conversationKey, 100)).not.toContainEqual(expect.objectContaining({ body: { refused: 'too-deep' } }));
  });

  it('PostgreSQL refuses jsonb nested far deeper than our bound, and accepts our bound', async () => {
    const deep = (d: number) => '['.repeat(d) + ']'.repeat(d);
    await expect(t.db.query('SELECT $1::jsonb', [deep(200_000)])).rejects.toThrow(/stack depth limit exceeded/);
    await expect(t.db.query('SELECT $1::jsonb', [deep(MAX_EVENT_DEPTH)])).resolves.toBeDefined();
    // the margin: depth 10,000 is still accepted at the default max_stack_depth of 2 MB
    await expect(t.db.query('SELECT $1::jsonb', [deep(10_000)])).resolves.toBeDefined();
  });

  it('a batch with one of each bad input still stores its good events, in order', async () => {
    const good1 = zaloText('một');
    const good2 = zaloText('hai');
    const batch = [good1, zaloText('\ud800'), seenReceipt(200), deepEvent(3_000), good2];
    expect(await inbox.insertFlags(batch)).toEqual([true, true, true, true, true]);
    const pending = await inbox.pending('zalo:111', 1000);
    const texts = pending.map((p) => (p.body as { message?: { text?: string } }).message?.text);
    expect(texts.indexOf('một')).toBeGreaterThanOrEqual(0);
    expect(texts.indexOf('hai')).toBeGreaterThan(texts.indexOf('một'));
    expect(texts).toContain('\ufffd');
  });
});
