import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TeamDirectory } from './TeamDirectory';
import { group } from './testFixtures';

describe('TeamDirectory', () => {
  const entities = [
    group('engineering'),
    group('platform', {
      teamSlug: 'Acme/platform',
      parent: 'engineering',
      title: 'Platform',
    }),
    group('platform-db', { teamSlug: 'acme/platform-db', parent: 'platform' }),
    group('other-org', { teamSlug: 'elsewhere/team' }),
    group('broken', { teamSlug: 'not-a-slug' }),
  ];

  function createDirectory(now = () => 0) {
    const catalog = catalogServiceMock({ entities });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const directory = new TeamDirectory({
      catalog,
      auth: mockServices.auth(),
      organizations: ['acme'],
      now,
    });
    return { directory, getEntities };
  }

  it('maps annotated Groups of configured orgs, with their ancestors', async () => {
    const { directory } = createDirectory();
    await expect(directory.listTeams()).resolves.toEqual([
      {
        entityRef: 'group:default/platform',
        org: 'acme',
        slug: 'platform',
        title: 'Platform',
        ancestorRefs: ['group:default/engineering'],
      },
      {
        entityRef: 'group:default/platform-db',
        org: 'acme',
        slug: 'platform-db',
        title: 'platform-db',
        ancestorRefs: ['group:default/platform', 'group:default/engineering'],
      },
    ]);
    await expect(
      directory.getTeam('Group:Default/Platform'),
    ).resolves.toMatchObject({ slug: 'platform' });
    await expect(
      directory.getTeam('group:default/other-org'),
    ).resolves.toBeUndefined();
    await expect(
      directory.getResources([
        'group:default/platform-db',
        'group:default/missing',
      ]),
    ).resolves.toEqual([
      {
        groupRef: 'group:default/platform-db',
        ancestorRefs: ['group:default/platform', 'group:default/engineering'],
      },
      undefined,
    ]);
  });

  it('applies permission criteria, with and without descendants', async () => {
    const { directory } = createDirectory();
    const slugs = async (
      criteria: Parameters<TeamDirectory['filterTeams']>[0],
    ) => (await directory.filterTeams(criteria)).map(team => team.slug);

    await expect(
      slugs({
        groupRefs: ['group:default/engineering'],
        includeDescendants: true,
      }),
    ).resolves.toEqual(['platform', 'platform-db']);
    await expect(
      slugs({
        groupRefs: ['group:default/engineering'],
        includeDescendants: false,
      }),
    ).resolves.toEqual([]);
    await expect(
      slugs({
        groupRefs: ['GROUP:default/platform'],
        includeDescendants: false,
      }),
    ).resolves.toEqual(['platform']);
    await expect(
      slugs({
        allOf: [
          { groupRefs: ['group:default/platform'], includeDescendants: true },
          {
            not: {
              groupRefs: ['group:default/platform'],
              includeDescendants: false,
            },
          },
        ],
      }),
    ).resolves.toEqual(['platform-db']);
    await expect(
      slugs({
        anyOf: [
          {
            groupRefs: ['group:default/platform-db'],
            includeDescendants: false,
          },
          { groupRefs: ['group:default/nobody'], includeDescendants: true },
        ],
      }),
    ).resolves.toEqual(['platform-db']);
  });

  it('reads the catalog once per cache period', async () => {
    let now = 0;
    const { directory, getEntities } = createDirectory(() => now);
    await directory.listTeams();
    await directory.getTeam('group:default/platform');
    expect(getEntities).toHaveBeenCalledTimes(1);
    now = 60_001;
    await directory.listTeams();
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  describe('a catalog that is still filling', () => {
    // A mutable catalog: the test adds Groups after the first read.
    function fillingCatalog(initial: Entity[]) {
      const items = [...initial];
      const getEntities = jest.fn(async () => ({ items: [...items] }));
      const catalog = { getEntities } as unknown as CatalogService;
      return { items, getEntities, catalog };
    }

    it('reads again on a miss, at most every missRefreshMs', async () => {
      let now = 0;
      const { items, getEntities, catalog } = fillingCatalog([
        group('engineering'),
      ]);
      const directory = new TeamDirectory({
        catalog,
        auth: mockServices.auth(),
        organizations: ['acme'],
        now: () => now,
      });
      await expect(directory.listTeams()).resolves.toEqual([]);

      // The catalog's first pass goes on: platform arrives after the first read.
      items.push(group('platform', { teamSlug: 'acme/platform' }));
      now = 10;
      // Within the floor, a miss does not read again (no stampede)...
      await expect(
        directory.getTeam('group:default/platform'),
      ).resolves.toBeUndefined();
      expect(getEntities).toHaveBeenCalledTimes(1);
      // ...after it, the miss reads again at once, long before the 60 s period ends.
      now = 2_010;
      await expect(
        directory.getTeam('group:default/platform'),
      ).resolves.toMatchObject({ slug: 'platform' });
      await expect(
        directory.getResources(['group:default/platform']),
      ).resolves.toEqual([
        { groupRef: 'group:default/platform', ancestorRefs: [] },
      ]);
      expect(getEntities).toHaveBeenCalledTimes(2);
      // A hit needs no read.
      now = 30_000;
      await directory.getTeam('group:default/platform');
      expect(getEntities).toHaveBeenCalledTimes(2);
    });

    it("lists a caller's Group that arrived after the first read", async () => {
      let now = 0;
      const { items, catalog } = fillingCatalog([]);
      const directory = new TeamDirectory({
        catalog,
        auth: mockServices.auth(),
        organizations: ['acme'],
        now: () => now,
      });
      await expect(directory.listTeams()).resolves.toEqual([]);
      items.push(
        group('search', { teamSlug: 'acme/search' }),
        group('payments', { teamSlug: 'acme/payments' }),
      );
      now = 5_000;
      const teams = await directory.listTeams([
        'user:default/bruno-walker',
        'group:default/search',
      ]);
      expect(teams.map(team => team.slug)).toEqual(['payments', 'search']);
    });

    it('keeps an empty read only for missRefreshMs', async () => {
      let now = 0;
      const { items, getEntities, catalog } = fillingCatalog([]);
      const directory = new TeamDirectory({
        catalog,
        auth: mockServices.auth(),
        organizations: ['acme'],
        now: () => now,
      });
      await directory.listTeams();
      items.push(group('search', { teamSlug: 'acme/search' }));
      now = 2_000;
      await expect(directory.listTeams()).resolves.toHaveLength(1);
      expect(getEntities).toHaveBeenCalledTimes(2);
    });
  });
});
