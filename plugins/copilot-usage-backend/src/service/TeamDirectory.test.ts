import { mockServices } from '@backstage/backend-test-utils';
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
});
