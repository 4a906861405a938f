import { createDb, type Db } from '../../../src/storage/db';
import { PgZaloTokenStore } from '../../../src/storage/zalo-token-repo';
import type { ZaloTokenPair } from '../../../src/clients/zalo-oa';
import { createTestDb, type TestDb } from '../../support/db';

const OA = '2950471185532601093';
const pair = (n: number, expiresAt: Date | null = new Date('2026-11-23T04:00:00Z')): ZaloTokenPair => ({
  accessToken: `at-${n}`,
  refreshToken: `rt-${n}`,
  expiresAt,
});

describe('PostgreSQL Zalo token store', () => {
  let t: TestDb;
  let store: PgZaloTokenStore;
  beforeAll(async () => {
    t = await createTestDb();
    store = new PgZaloTokenStore(t.db);
  });
  afterAll(async () => t.drop());
  beforeEach(async () => {
    await t.db.query('DELETE FROM zalo_tokens');
  });

  it('an OA that was never seeded has no pair', async () => {
    await expect(store.load(OA)).resolves.toBeNull();
  });

  it('saves and reloads a pair, including an unknown expiry and a missing access token', async () => {
    await store.save(OA, pair(1));
    await expect(store.load(OA)).resolves.toEqual(pair(1));
    await store.save(OA, { accessToken: null, refreshToken: 'rt-seed', expiresAt: null });
    await expect(store.load(OA)).resolves.toEqual({ accessToken: null, refreshToken: 'rt-seed', expiresAt: null });
    await expect(store.refreshCount(OA)).resolves.toBe(0);
  });

  it('refreshes under the lock and commits the new pair before returning it, counting the refresh', async () => {
    await store.save(OA, pair(1));
    const seen: Array<ZaloTokenPair | null> = [];
    const got = await store.refreshLocked(OA, 'at-1', async (current) => {
      seen.push(current);
      return pair(2);
    });
    expect(seen).toEqual([pair(1)]);
    expect(got).toEqual(pair(2));
    await expect(store.load(OA)).resolves.toEqual(pair(2));
    await expect(store.refreshCount(OA)).resolves.toBe(1);
  });

  it('with an empty table, hands null to the refresher and inserts the result', async () => {
    const got = await store.refreshLocked(OA, null, async (current) => {
      expect(current).toBeNull();
      return pair(1);
    });
    expect(got).toEqual(pair(1));
    await expect(store.load(OA)).resolves.toEqual(pair(1));
  });

  it('does not refresh when another process already replaced the stale token: returns the stored pair', async () => {
    await store.save(OA, pair(2));
    const doRefresh = jest.fn(async () => pair(3));
    await expect(store.refreshLocked(OA, 'at-1', doRefresh)).resolves.toEqual(pair(2));
    expect(doRefresh).not.toHaveBeenCalled();
  });

  it('a failed refresh changes nothing (the transaction rolls back)', async () => {
    await store.save(OA, pair(1));
    await expect(
      store.refreshLocked(OA, 'at-1', async () => {
        throw new Error('Zalo said no');
      }),
    ).rejects.toThrow('Zalo said no');
    await expect(store.load(OA)).resolves.toEqual(pair(1));
    await expect(store.refreshCount(OA)).resolves.toBe(0);
  });

  it('five processes racing with the same stale token refresh exactly once; the others get the new pair', async () => {
    await store.save(OA, pair(1));
    const pools: Db[] = Array.from({ length: 5 }, () => createDb(t.url, 2));
    try {
      let calls = 0;
      const results = await Promise.all(
        pools.map((db) =>
          new PgZaloTokenStore(db).refreshLocked(OA, 'at-1', async () => {
            calls += 1;
            await new Promise((r) => setTimeout(r, 50)); // hold the lock while the others queue up
            return pair(2);
          }),
        ),
      );
      expect(calls).toBe(1);
      expect(results).toEqual(Array(5).fill(pair(2)));
      await expect(store.refreshCount(OA)).resolves.toBe(1);
    } finally {
      await Promise.all(pools.map((db) => db.close()));
    }
  });

  it('keeps different OAs apart', async () => {
    await store.save(OA, pair(1));
    await store.save('other-oa', pair(7));
    await expect(store.load('other-oa')).resolves.toEqual(pair(7));
    await expect(store.load(OA)).resolves.toEqual(pair(1));
  });
});
