import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TeamDirectory, TeamDirectoryOptions } from './TeamDirectory';
import { group, user } from './testFixtures';

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

  // GitHub's user-teams report, latest day: team slug -> logins.
  const githubTeams: Record<string, string[]> = {
    platform: ['alice', 'mallory-not-in-catalog'],
  };
  const membership = {
    getLatestTeamMemberLogins: jest.fn(
      async (_scope: string, slug: string) => githubTeams[slug] ?? [],
    ),
  };

  function createDirectory(
    now = () => 0,
    extra: Entity[] = [],
    options: Partial<TeamDirectoryOptions> = {},
  ) {
    const catalog = catalogServiceMock({ entities: [...entities, ...extra] });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const logger = mockServices.logger.mock();
    const directory = new TeamDirectory({
      catalog,
      auth: mockServices.auth(),
      membership,
      organizations: ['acme'],
      logger,
      now,
      ...options,
    });
    return { directory, getEntities, logger };
  }

  it('maps annotated Groups of configured orgs, with their ancestors', async () => {
    const { directory } = createDirectory();
    await expect(directory.listTeams()).resolves.toEqual([
      {
        entityRef: 'group:default/platform',
        org: 'acme',
        slug: 'platform',
        title: 'Platform',
        membershipTrusted: true,
        ancestorRefs: ['group:default/engineering'],
        githubMemberRefs: [],
      },
      {
        entityRef: 'group:default/platform-db',
        org: 'acme',
        slug: 'platform-db',
        title: 'platform-db',
        membershipTrusted: true,
        ancestorRefs: ['group:default/platform', 'group:default/engineering'],
        githubMemberRefs: [],
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
        membershipTrusted: true,
        ancestorRefs: ['group:default/platform', 'group:default/engineering'],
        githubMemberRefs: [],
      },
      undefined,
    ]);
  });

  describe('which Groups are believed', () => {
    // What anyone may register: a catalog file with a Group claiming a team.
    const claim = group('claim-platform', {
      teamSlug: 'acme/platform',
      origin: 'url:https://git.example.com/mallory/x/blob/main/claim.yaml',
      members: ['mallory'],
    });

    it("gives a claim from another origin only GitHub's own members", async () => {
      const { directory } = createDirectory(
        () => 0,
        [claim, user('alice', 'alice'), user('mallory', 'mallory')],
      );
      await expect(
        directory.getResources(['group:default/claim-platform']),
      ).resolves.toEqual([
        {
          groupRef: 'group:default/claim-platform',
          membershipTrusted: false,
          ancestorRefs: [],
          githubMemberRefs: ['user:default/alice'],
        },
      ]);
      // The claim does not make the real team untrusted.
      await expect(
        directory.getTeam('group:default/platform'),
      ).resolves.toMatchObject({ membershipTrusted: true });
    });

    it('does not believe a provider-looking origin for another team', async () => {
      const { directory } = createDirectory(
        () => 0,
        [
          group('fake', {
            teamSlug: 'acme/platform',
            origin: 'url:https://github.com/orgs/acme/teams/fake',
          }),
          group('dotted', {
            teamSlug: 'acme/search',
            origin:
              'url:https://github.com/orgs/acme/teams/../../x/y/blob/main/a.yaml',
          }),
        ],
      );
      await expect(
        directory.getTeam('group:default/fake'),
      ).resolves.toMatchObject({ membershipTrusted: false });
      await expect(
        directory.getTeam('group:default/dotted'),
      ).resolves.toMatchObject({ membershipTrusted: false });
    });

    it('trusts configured origins, but not a path that climbs out of them', async () => {
      const { directory } = createDirectory(
        () => 0,
        [
          group('search', {
            teamSlug: 'acme/search',
            origin:
              'url:https://github.com/acme/org/blob/main/teams/search.yaml',
          }),
          group('escape', {
            teamSlug: 'acme/payments',
            origin:
              'url:https://github.com/acme/org/blob/main/teams/../../../../mallory/x/blob/main/a.yaml',
          }),
        ],
        {
          trustedGroupOrigins: ['url:https://github.com/acme/org/blob/main/*'],
        },
      );
      await expect(
        directory.getTeam('group:default/search'),
      ).resolves.toMatchObject({ membershipTrusted: true });
      await expect(
        directory.getTeam('group:default/escape'),
      ).resolves.toMatchObject({ membershipTrusted: false });
    });

    it('believes neither of two trusted Groups claiming one team, and says so', async () => {
      const { directory, logger } = createDirectory(
        () => 0,
        [
          group('platform-copy', {
            teamSlug: 'acme/platform',
            origin: 'file:/catalog/org.yaml',
          }),
        ],
        { trustedGroupOrigins: ['file:/catalog/*'] },
      );
      const teams = await directory.listTeams();
      expect(
        teams
          .filter(team => team.slug === 'platform')
          .map(team => [team.entityRef, team.membershipTrusted]),
      ).toEqual([
        ['group:default/platform', false],
        ['group:default/platform-copy', false],
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('acme/platform'),
      );
    });

    it('counts no parent that an untrusted Group made for itself', async () => {
      // spec.children of another Group becomes a childOf relation on the team.
      const platform = entities[1];
      const withForeignParent: Entity = {
        ...platform,
        relations: [
          { type: 'childOf', targetRef: 'group:default/engineering' },
          { type: 'childOf', targetRef: 'group:default/mallory-dept' },
        ],
      };
      const catalog = catalogServiceMock({
        entities: [
          entities[0],
          withForeignParent,
          group('mallory-dept', {
            origin: 'url:https://git.example.com/m.yaml',
          }),
        ],
      });
      const directory = new TeamDirectory({
        catalog,
        auth: mockServices.auth(),
        membership,
        organizations: ['acme'],
      });
      await expect(
        directory.getTeam('group:default/platform'),
      ).resolves.toMatchObject({ ancestorRefs: ['group:default/engineering'] });
    });
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
        membership,
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
        {
          groupRef: 'group:default/platform',
          membershipTrusted: true,
          ancestorRefs: [],
          githubMemberRefs: [],
        },
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
        membership,
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
        membership,
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
