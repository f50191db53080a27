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
    'ent:ai-champions': ['erin'],
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
        owner: { kind: 'org', name: 'acme' },
        slug: 'platform',
        title: 'Platform',
        membershipTrusted: true,
        ancestorRefs: ['group:default/engineering'],
        githubMemberRefs: [],
      },
      {
        entityRef: 'group:default/platform-db',
        owner: { kind: 'org', name: 'acme' },
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

  describe('enterprise teams', () => {
    const TRUSTED = 'url:https://github.com/acme/org/blob/main/teams/*';
    const enterpriseGroup = (
      name: string,
      value: string,
      origin = `url:https://github.com/acme/org/blob/main/teams/${name}.yaml`,
    ) => group(name, { enterpriseTeamSlug: value, origin, title: name });
    const enterpriseDirectory = (extra: Entity[]) =>
      createDirectory(() => 0, [...extra, user('erin', 'erin')], {
        organizations: ['acme', 'acme-labs'],
        enterprise: 'acme-corp',
        trustedGroupOrigins: [TRUSTED],
      });

    it('maps a Group to an enterprise team, with or without the ent: prefix, after the org teams', async () => {
      const { directory } = enterpriseDirectory([
        enterpriseGroup('ai-champions', 'ACME-corp/ent:ai-champions'),
        enterpriseGroup('no-prefix', 'acme-corp/data-guild'),
        enterpriseGroup('other-enterprise', 'globex/ent:x'),
        group('labs', { teamSlug: 'acme-labs/labs' }),
      ]);
      const teams = await directory.listTeams();
      expect(
        teams.map(team => [team.entityRef, team.owner, team.slug]),
      ).toEqual([
        ['group:default/platform', { kind: 'org', name: 'acme' }, 'platform'],
        [
          'group:default/platform-db',
          { kind: 'org', name: 'acme' },
          'platform-db',
        ],
        ['group:default/labs', { kind: 'org', name: 'acme-labs' }, 'labs'],
        [
          'group:default/ai-champions',
          { kind: 'enterprise', name: 'acme-corp' },
          'ent:ai-champions',
        ],
        [
          'group:default/no-prefix',
          { kind: 'enterprise', name: 'acme-corp' },
          'ent:data-guild',
        ],
      ]);
      await expect(
        directory.getTeam('group:default/ai-champions'),
      ).resolves.toMatchObject({ membershipTrusted: true });
    });

    it('maps no enterprise team without a configured enterprise', async () => {
      const { directory } = createDirectory(
        () => 0,
        [enterpriseGroup('ai-champions', 'acme-corp/ent:ai-champions')],
      );
      await expect(
        directory.getTeam('group:default/ai-champions'),
      ).resolves.toBeUndefined();
    });

    it('believes no GitHub org provider origin for an enterprise team: the provider never writes one', async () => {
      const { directory } = enterpriseDirectory([
        enterpriseGroup(
          'ai-champions',
          'acme-corp/ent:ai-champions',
          'url:https://github.com/orgs/acme/teams/ai-champions',
        ),
      ]);
      await expect(
        directory.getTeam('group:default/ai-champions'),
      ).resolves.toMatchObject({ membershipTrusted: false });
    });

    it("gives an enterprise-team claim from an untrusted origin only GitHub's own members, from the enterprise report", async () => {
      membership.getLatestTeamMemberLogins.mockClear();
      const { directory } = enterpriseDirectory([
        enterpriseGroup(
          'claim',
          'acme-corp/ent:ai-champions',
          'url:https://git.example.com/mallory/x/blob/main/claim.yaml',
        ),
      ]);
      await expect(
        directory.getResources(['group:default/claim']),
      ).resolves.toEqual([
        {
          groupRef: 'group:default/claim',
          membershipTrusted: false,
          ancestorRefs: [],
          githubMemberRefs: ['user:default/erin'],
        },
      ]);
      expect(membership.getLatestTeamMemberLogins).toHaveBeenCalledWith(
        'enterprise:acme-corp',
        'ent:ai-champions',
      );
    });

    it('believes neither of two trusted Groups claiming one enterprise team, the prefix left out or not', async () => {
      const { directory, logger } = enterpriseDirectory([
        enterpriseGroup('ai-champions', 'acme-corp/ent:ai-champions'),
        enterpriseGroup('champions-copy', 'acme-corp/AI-champions'),
      ]);
      const teams = await directory.listTeams();
      expect(
        teams
          .filter(team => team.owner.kind === 'enterprise')
          .map(team => [team.entityRef, team.membershipTrusted]),
      ).toEqual([
        ['group:default/ai-champions', false],
        ['group:default/champions-copy', false],
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('enterprise:acme-corp/ent:ai-champions'),
      );
    });

    it('does not confuse an org team with an enterprise team of the same name', async () => {
      const { directory } = enterpriseDirectory([
        enterpriseGroup('ent-platform', 'acme-corp/platform'),
      ]);
      const teams = await directory.listTeams();
      expect(
        teams.map(team => [team.entityRef, team.membershipTrusted]),
      ).toEqual([
        ['group:default/platform', true],
        ['group:default/platform-db', true],
        ['group:default/ent-platform', true],
      ]);
    });

    it('maps no team for a Group with both annotations', async () => {
      const both = enterpriseGroup('both', 'acme-corp/ent:ai-champions');
      both.metadata.annotations!['github.com/team-slug'] = 'acme/both';
      const { directory } = enterpriseDirectory([both]);
      await expect(
        directory.getTeam('group:default/both'),
      ).resolves.toBeUndefined();
    });
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
    // Expired: the last read answers while the next one runs in the background.
    await directory.listTeams();
    await new Promise(resolve => setImmediate(resolve));
    expect(getEntities).toHaveBeenCalledTimes(2);
    await directory.listTeams();
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('answers with the next read once it is done, and waits for one past twice the period', async () => {
    let now = 0;
    const items = [group('platform', { teamSlug: 'acme/platform' })];
    const getEntities = jest.fn(async () => ({ items: [...items] }));
    const directory = new TeamDirectory({
      catalog: { getEntities } as unknown as CatalogService,
      auth: mockServices.auth(),
      membership,
      organizations: ['acme'],
      now: () => now,
    });
    await directory.listTeams();
    items.push(group('search', { teamSlug: 'acme/search' }));
    now = 60_001;
    await expect(directory.listTeams()).resolves.toHaveLength(1);
    await new Promise(resolve => setImmediate(resolve));
    await expect(directory.listTeams()).resolves.toHaveLength(2);
    // Past twice the period since the last read: no stale answer.
    items.push(group('payments', { teamSlug: 'acme/payments' }));
    now = 60_001 + 120_000;
    await expect(directory.listTeams()).resolves.toHaveLength(3);
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
