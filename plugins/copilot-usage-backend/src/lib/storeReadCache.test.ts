import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { seedDays } from '../service/testFixtures';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { LIVE_READS, StoreReadCache } from './storeReadCache';

/** A store whose reads answer with the number of writes so far. */
function fakeStore() {
  let writes = 0;
  const calls: string[] = [];
  const store = {
    async getTeamDays(scope: string, slug: string) {
      calls.push(`getTeamDays ${scope} ${slug}`);
      return { scope, slug, writes };
    },
    async getUserDays(_scope: string, user: { userLogin: string }) {
      calls.push(`getUserDays ${user.userLogin}`);
      return { login: user.userLogin, writes };
    },
    async getSyncState() {
      calls.push('getSyncState');
      return { writes };
    },
    async writeDay(release?: Promise<void>) {
      await release;
      writes++;
    },
    async getFailing(): Promise<number> {
      calls.push('getFailing');
      throw new Error('down');
    },
  };
  return { store, calls };
}

describe('StoreReadCache', () => {
  it('answers reads but the live ones from the cache, keyed by their arguments', async () => {
    const { store, calls } = fakeStore();
    const cache = new StoreReadCache();
    const cached = cache.cached(store, ['getSyncState']);
    await cached.getTeamDays('org:acme', 'platform');
    await cached.getTeamDays('org:acme', 'platform');
    await cached.getTeamDays('org:acme', 'search');
    await cached.getSyncState();
    await cached.getSyncState();
    expect(calls).toEqual([
      'getTeamDays org:acme platform',
      'getTeamDays org:acme search',
      'getSyncState',
      'getSyncState',
    ]);
  });

  it('never answers one user with another user’s rows', async () => {
    const { store } = fakeStore();
    const cached = new StoreReadCache().cached(store, []);
    expect(
      await cached.getUserDays('org:acme', { userLogin: 'alice' }),
    ).toEqual({ login: 'alice', writes: 0 });
    expect(await cached.getUserDays('org:acme', { userLogin: 'bob' })).toEqual({
      login: 'bob',
      writes: 0,
    });
  });

  it('forgets everything when a write starts and when it ends', async () => {
    const { store } = fakeStore();
    const cache = new StoreReadCache();
    const writer = cache.invalidatedBy(store);
    const reader = cache.cached(writer, []);
    expect(await reader.getTeamDays('org:acme', 'platform')).toMatchObject({
      writes: 0,
    });
    let release!: () => void;
    const write = writer.writeDay(new Promise<void>(r => (release = r)));
    expect(cache.size).toBe(0);
    // Read during the write: the old rows, not kept past the write.
    expect(await reader.getTeamDays('org:acme', 'platform')).toMatchObject({
      writes: 0,
    });
    release();
    await write;
    expect(await reader.getTeamDays('org:acme', 'platform')).toMatchObject({
      writes: 1,
    });
  });

  it('passes writes through the routes’ store, which then forget', async () => {
    const { store } = fakeStore();
    const cache = new StoreReadCache();
    const reader = cache.cached(cache.invalidatedBy(store), []);
    await reader.getTeamDays('org:acme', 'platform');
    await reader.writeDay();
    expect(await reader.getTeamDays('org:acme', 'platform')).toMatchObject({
      writes: 1,
    });
  });

  it('does not invalidate on reads through the writers’ store', async () => {
    const { store } = fakeStore();
    const cache = new StoreReadCache();
    const writer = cache.invalidatedBy(store);
    const reader = cache.cached(writer, []);
    await reader.getTeamDays('org:acme', 'platform');
    await writer.getSyncState();
    await writer.getTeamDays('org:acme', 'x');
    expect(cache.size).toBe(1);
  });

  it('expires answers after ttlMs (writes on other replicas)', async () => {
    const { store, calls } = fakeStore();
    let now = 0;
    const cached = new StoreReadCache({ ttlMs: 1000, now: () => now }).cached(
      store,
      [],
    );
    await cached.getTeamDays('org:acme', 'platform');
    now = 999;
    await cached.getTeamDays('org:acme', 'platform');
    now = 1000;
    await cached.getTeamDays('org:acme', 'platform');
    await cached.getTeamDays('org:acme', 'platform');
    expect(calls).toHaveLength(2);
  });

  it('does not keep a failed read', async () => {
    const { store, calls } = fakeStore();
    const cached = new StoreReadCache().cached(store, []);
    await expect(cached.getFailing()).rejects.toThrow('down');
    await expect(cached.getFailing()).rejects.toThrow('down');
    expect(calls).toEqual(['getFailing', 'getFailing']);
  });

  it('starts over when full', async () => {
    const { store } = fakeStore();
    const cache = new StoreReadCache({ maxSize: 2 });
    const cached = cache.cached(store, ['getSyncState']);
    await cached.getTeamDays('org:acme', 'a');
    await cached.getTeamDays('org:acme', 'b');
    await cached.getTeamDays('org:acme', 'c');
    expect(cache.size).toBe(1);
  });
});

describe('StoreReadCache on the real store', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'serves the days a sync wrote after the cached read, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const cache = new StoreReadCache();
      const store = cache.invalidatedBy(
        await DatabaseCopilotUsageStore.create({
          database: mockServices.database({ knex }),
        }),
      );
      const routes = cache.cached(store, LIVE_READS);
      const day = (date: string) => ({
        day: date,
        teams: { platform: [1, 2, 3, 4, 5] },
        users: { 1: { interactions: 1 } },
      });
      await seedDays(store, 'org:acme', [day('2026-11-18')]);
      const read = () =>
        routes.getTeamDays('org:acme', 'platform', '2026-11-01', '2026-11-30');
      expect((await read()).map(row => row.day)).toEqual(['2026-11-18']);
      expect(cache.size).toBeGreaterThan(0);
      await seedDays(store, 'org:acme', [day('2026-11-19')]);
      expect((await read()).map(row => row.day)).toEqual([
        '2026-11-18',
        '2026-11-19',
      ]);
    },
  );
});
