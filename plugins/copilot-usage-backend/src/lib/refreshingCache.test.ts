import { RefreshingCache } from './refreshingCache';

describe('RefreshingCache', () => {
  const setup = () => {
    let now = 0;
    let version = 0;
    let fail = false;
    const loads: number[] = [];
    const cache = new RefreshingCache<number>({
      ttlMs: 1000,
      maxSize: 10,
      now: () => now,
    });
    const load = async () => {
      loads.push(now);
      if (fail) throw new Error('down');
      return version;
    };
    return {
      cache,
      load,
      loads,
      at: (ms: number) => (now = ms),
      setVersion: (v: number) => (version = v),
      setFail: (f: boolean) => (fail = f),
    };
  };

  it('answers from the cache while fresh', async () => {
    const { cache, load, loads, at } = setup();
    expect(await cache.get('k', load)).toBe(0);
    at(999);
    expect(await cache.get('k', load)).toBe(0);
    expect(loads).toEqual([0]);
  });

  it('answers an expired value once more while one refresh runs', async () => {
    const { cache, load, loads, at, setVersion } = setup();
    await cache.get('k', load);
    setVersion(1);
    at(1000);
    expect(await cache.get('k', load)).toBe(0);
    expect(await cache.get('k', load)).toBe(1);
    expect(loads).toEqual([0, 1000]);
  });

  it('forgets everything on invalidate, loads under way included', async () => {
    const { cache, at, setVersion } = setup();
    let release!: (value: number) => void;
    const slow = cache.get('k', () => new Promise(r => (release = r)));
    cache.invalidate();
    release(0);
    await slow;
    setVersion(2);
    at(1);
    expect(await cache.get('k', async () => 2)).toBe(2);
  });

  it('keeps no failed load, nor the stale value a refresh failed for', async () => {
    const { cache, load, loads, at, setFail } = setup();
    setFail(true);
    await expect(cache.get('k', load)).rejects.toThrow('down');
    expect(cache.size).toBe(0);
    setFail(false);
    await cache.get('k', load);
    setFail(true);
    at(1000);
    await cache.get('k', load); // stale answer, failing refresh
    await new Promise(resolve => setImmediate(resolve));
    expect(cache.size).toBe(0);
    expect(loads).toHaveLength(3);
  });

  it('never answers one key with another key’s value', async () => {
    const { cache } = setup();
    expect(await cache.get('alice', async () => 1)).toBe(1);
    expect(await cache.get('bob', async () => 2)).toBe(2);
  });
});
