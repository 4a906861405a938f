import { GroupInsert } from '../../../src/inbox/group-insert';

describe('GroupInsert', () => {
  it('writes the first request at once and groups the ones that arrive meanwhile, keeping their order', async () => {
    const calls: string[][] = [];
    const g = new GroupInsert<string>(async (items) => {
      calls.push([...items]);
      await new Promise((r) => setTimeout(r, 10));
      return items.map((x) => !x.startsWith('dup'));
    }, 1);
    const results = await Promise.all([g.insert(['a']), g.insert(['b', 'dup-b']), g.insert(['c'])]);
    expect(calls).toEqual([['a'], ['b', 'dup-b', 'c']]);
    expect(results).toEqual([[true], [true, false], [true]]);
  });

  it('when a shared insert fails, tries each request alone: only the one the database refuses gets its error (503)', async () => {
    const calls: string[][] = [];
    const g = new GroupInsert<string>(async (items) => {
      calls.push([...items]);
      await new Promise((r) => setTimeout(r, 5));
      if (items.includes('bad')) throw new Error('invalid input');
      return items.map(() => true);
    }, 1);
    const outcomes = await Promise.allSettled([g.insert(['a']), g.insert(['bad']), g.insert(['c'])]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['a'], ['bad', 'c'], ['bad'], ['c']]);
    await expect(g.insert(['d'])).resolves.toEqual([true]);
  });

  it('caps the items of one statement', async () => {
    const sizes: number[] = [];
    const g = new GroupInsert<number>(async (items) => {
      sizes.push(items.length);
      await new Promise((r) => setTimeout(r, 5));
      return items.map(() => true);
    }, 1, 3);
    await Promise.all([g.insert([1]), g.insert([2, 3]), g.insert([4]), g.insert([5, 6, 7, 8])]);
    expect(sizes).toEqual([1, 3, 4]); // a request larger than the cap still goes whole, alone
  });
});
