import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import request from 'supertest';
import {
  catalogModuleCopilotUsageSimulatorEntities,
  readSimulatorCatalogOptions,
  SimulatorEntityProvider,
} from './simulatorCatalog';

const small = { org: 'tiny', users: 14, teams: 2, seed: 7 };

async function provide(
  options: ConstructorParameters<typeof SimulatorEntityProvider>[0],
) {
  const mutations: EntityProviderMutation[] = [];
  await new SimulatorEntityProvider(options).connect({
    applyMutation: async mutation => {
      mutations.push(mutation);
    },
    refresh: async () => {},
  });
  expect(mutations).toHaveLength(1);
  const [mutation] = mutations;
  if (mutation.type !== 'full') throw new Error('expected a full mutation');
  return mutation.entities.map(deferred => deferred.entity);
}

describe('SimulatorEntityProvider', () => {
  it("provides the simulator org's teams as annotated Groups, and their members", async () => {
    const entities = await provide(small);

    const teams = entities.filter(
      e =>
        e.kind === 'Group' && e.metadata.annotations?.['github.com/team-slug'],
    );
    expect(teams.length).toBeGreaterThanOrEqual(2);
    for (const team of teams) {
      expect(team.metadata.annotations?.['github.com/team-slug']).toBe(
        `tiny/${team.metadata.name}`,
      );
    }
    const userNames = new Set(
      entities.filter(e => e.kind === 'User').map(u => u.metadata.name),
    );
    expect(userNames.size).toBeGreaterThanOrEqual(small.users);
    const members = teams.flatMap(t => t.spec?.members as string[]);
    expect(members.length).toBeGreaterThan(0);
    expect(members.filter(m => !userNames.has(m))).toEqual([]);
  });

  it('adds the admin Group with its admin User', async () => {
    const entities = await provide(small);
    const admins = entities.find(
      e => e.kind === 'Group' && e.metadata.name === 'platform-admins',
    );
    expect(admins?.spec?.members).toEqual(['admin']);
  });

  it("writes the GitHub org provider's locations (what the plugin trusts)", async () => {
    const entities = await provide(small);
    for (const entity of entities) {
      const annotations = entity.metadata.annotations ?? {};
      const slug = annotations['github.com/team-slug'];
      const expected =
        entity.kind === 'Group'
          ? `url:https://github.com/orgs/tiny/teams/${slug ? slug.split('/')[1] : entity.metadata.name}`
          : `url:https://github.com/${annotations['github.com/user-login'] ?? entity.metadata.name}`;
      expect(annotations).toMatchObject({
        [ANNOTATION_LOCATION]: expected,
        [ANNOTATION_ORIGIN_LOCATION]: expected,
      });
    }
    expect(
      entities.filter(e => e.metadata.annotations?.['github.com/team-slug']),
    ).not.toHaveLength(0);
  });

  it('provides the same org every time', async () => {
    expect(await provide(small)).toEqual(await provide(small));
  });

  it('provides nothing when the simulator is off, removing earlier entities', async () => {
    expect(await provide(undefined)).toEqual([]);
  });
});

describe('readSimulatorCatalogOptions', () => {
  it('reads the org options when enabled', () => {
    const config = new ConfigReader({
      copilotUsage: { simulator: { enabled: true, port: 7010, ...small } },
    });
    expect(readSimulatorCatalogOptions(config)).toEqual(small);
  });

  it('leaves unset options to the simulator defaults', () => {
    const config = new ConfigReader({
      copilotUsage: { simulator: { enabled: true } },
    });
    expect(readSimulatorCatalogOptions(config)).toEqual({
      org: undefined,
      users: undefined,
      teams: undefined,
      seed: undefined,
    });
  });

  it('is undefined when the simulator is off or not configured', () => {
    expect(
      readSimulatorCatalogOptions(
        new ConfigReader({
          copilotUsage: { simulator: { enabled: false, ...small } },
        }),
      ),
    ).toBeUndefined();
    expect(readSimulatorCatalogOptions(new ConfigReader({}))).toBeUndefined();
  });
});

describe('catalogModuleCopilotUsageSimulatorEntities', () => {
  it('gets the simulator org into the catalog with memberships', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleCopilotUsageSimulatorEntities,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['User', 'Group'] }],
              processingInterval: { seconds: 1 },
            },
            copilotUsage: { simulator: { enabled: true, ...small } },
          },
        }),
      ],
    });

    // The catalog processes provided entities in the background.
    let admin: Entity | undefined;
    for (
      let attempt = 0;
      attempt < 100 && !admin?.relations?.length;
      attempt++
    ) {
      const response = await request(server).get(
        '/api/catalog/entities/by-name/user/default/admin',
      );
      admin = response.status === 200 ? response.body : undefined;
      if (!admin?.relations?.length) {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }

    expect(admin?.relations).toContainEqual(
      expect.objectContaining({
        type: 'memberOf',
        targetRef: 'group:default/platform-admins',
      }),
    );
  });
});
