import { ingestPhotos } from '../../../src/media/ingest-photos';
import { Semaphore } from '../../../src/media/semaphore';

const tick = () => new Promise((r) => setImmediate(r));

describe('ingestPhotos', () => {
  it('takes at most allowed + margin distinct URLs and says how many it skipped', async () => {
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://cdn.example/${i}.jpg`);
    const ingest = jest.fn(async (url: string) => url.length);
    const out = await ingestPhotos(urls, { allowed: 3, ingest });
    expect(ingest).toHaveBeenCalledTimes(5);
    expect(out.results.map((r) => r.url)).toEqual(urls.slice(0, 5));
    expect(out.skipped).toBe(9_995);
    expect(out.repeated).toBe(0);
  });

  it('drops repeated URLs before counting, so repeats cannot crowd out real photos', async () => {
    const urls = ['a', 'a', 'b', 'a', 'b', 'c', 'd'];
    const out = await ingestPhotos(urls, { allowed: 2, margin: 1, ingest: async (u) => u.toUpperCase() });
    expect(out.results).toEqual([
      { status: 'fulfilled', value: 'A', url: 'a' },
      { status: 'fulfilled', value: 'B', url: 'b' },
      { status: 'fulfilled', value: 'C', url: 'c' },
    ]);
    expect(out.skipped).toBe(1);
    expect(out.repeated).toBe(3);
  });

  it('returns results in input order whatever order they finish in, failures included', async () => {
    const boom = new Error('photo.unsupported');
    const delays: Record<string, number> = { a: 30, b: 1, c: 10 };
    const out = await ingestPhotos(['a', 'b', 'c'], {
      allowed: 3,
      concurrency: 3,
      ingest: async (u) => {
        await new Promise((r) => setTimeout(r, delays[u]));
        if (u === 'b') throw boom;
        return u;
      },
    });
    expect(out.results).toEqual([
      { status: 'fulfilled', value: 'a', url: 'a' },
      { status: 'rejected', reason: boom, url: 'b' },
      { status: 'fulfilled', value: 'c', url: 'c' },
    ]);
  });

  it('never runs more than `concurrency` ingests at once', async () => {
    let now = 0;
    let max = 0;
    const out = await ingestPhotos(
      Array.from({ length: 12 }, (_, i) => String(i)),
      {
        allowed: 10,
        concurrency: 3,
        ingest: async (u) => {
          max = Math.max(max, ++now);
          await tick();
          await tick();
          now--;
          return u;
        },
      },
    );
    expect(out.results).toHaveLength(12);
    expect(max).toBe(3);
  });

  it('when the draft is full, downloads nothing', async () => {
    const ingest = jest.fn(async () => 1);
    const out = await ingestPhotos(['a', 'b'], { allowed: 0, ingest });
    expect(ingest).not.toHaveBeenCalled();
    expect(out).toEqual({ results: [], skipped: 2, repeated: 0 });
  });

  it('an ingest that throws synchronously is a failed result, not a rejection', async () => {
    const out = await ingestPhotos(['a'], {
      allowed: 1,
      ingest: (() => {
        throw new Error('sync');
      }) as (u: string) => Promise<never>,
    });
    expect(out.results[0]).toMatchObject({ status: 'rejected', url: 'a' });
  });

  it('refuses nonsense options with a message naming them', async () => {
    const ingest = async () => 1;
    await expect(ingestPhotos(['a'], { allowed: 1, concurrency: 0, ingest })).rejects.toThrow(/concurrency must be a whole number/);
    await expect(ingestPhotos(['a'], { allowed: 1, margin: -1, ingest })).rejects.toThrow(/margin/);
    await expect(ingestPhotos(['a'], { allowed: Number.NaN, ingest })).rejects.toThrow(/allowed/);
  });
});

describe('Semaphore', () => {
  it('admits waiters in arrival order and frees the slot when work fails', async () => {
    const s = new Semaphore(1);
    const order: string[] = [];
    let release!: () => void;
    const first = s.run(() => new Promise<void>((r) => (release = r)).then(() => void order.push('first')));
    const second = s.run(async () => {
      order.push('second');
      throw new Error('x');
    });
    const third = s.run(async () => void order.push('third'));
    await tick();
    expect(s.inUse).toBe(1);
    expect(s.queued).toBe(2);
    release();
    await first;
    await expect(second).rejects.toThrow('x');
    await third;
    expect(order).toEqual(['first', 'second', 'third']);
    expect(s.inUse).toBe(0);
  });

  it('refuses a slot count that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow(/slots must be a positive integer/);
  });
});
