import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  createSyntheticOrg,
  SyntheticOrgOptions,
} from '@copilot-usage/github-simulator';

// The simulator plays github.com (integrations.github[0].host of the embedded default).
const GITHUB_HOST = 'github.com';

/** What the simulator's org looks like; unset values take the simulator's defaults. */
export type SimulatorCatalogOptions = Pick<
  SyntheticOrgOptions,
  'org' | 'users' | 'teams' | 'seed'
>;

/**
 * Reads `copilotUsage.simulator`: undefined when the simulator is off,
 * otherwise the options the simulator itself is started with.
 */
export function readSimulatorCatalogOptions(
  config: Config,
): SimulatorCatalogOptions | undefined {
  const simulator = config.getOptionalConfig('copilotUsage.simulator');
  if (!simulator?.getOptionalBoolean('enabled')) {
    return undefined;
  }
  return {
    org: simulator.getOptionalString('org'),
    users: simulator.getOptionalNumber('users'),
    teams: simulator.getOptionalNumber('teams'),
    seed: simulator.getOptionalNumber('seed'),
  };
}

/**
 * Puts the GitHub simulator's org in the catalog: its Users and Groups (with
 * the `github.com/team-slug` annotation, as the GitHub org provider writes
 * them) plus the admin Group and its `admin` User. With the simulator off it
 * provides nothing, which also removes what it provided before.
 */
export class SimulatorEntityProvider implements EntityProvider {
  constructor(private readonly options: SimulatorCatalogOptions | undefined) {}

  getProviderName(): string {
    return 'copilot-usage-simulator';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({
      type: 'full',
      entities: this.entities().map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
  }

  private entities(): Entity[] {
    if (!this.options) {
      return [];
    }
    const org = createSyntheticOrg(this.options);
    return org.catalogEntities().map(entity => {
      // The locations Backstage's GitHub org provider writes, so that the plugin
      // trusts these Groups exactly as it trusts the provider's in production.
      const annotations = entity.metadata.annotations ?? {};
      const team = annotations['github.com/team-slug']?.split('/')[1];
      const location =
        entity.kind === 'Group'
          ? `url:https://${GITHUB_HOST}/orgs/${org.org}/teams/${team ?? entity.metadata.name}`
          : `url:https://${GITHUB_HOST}/${annotations['github.com/user-login'] ?? entity.metadata.name}`;
      // The simulator's entity type is a structural subset of Entity.
      return {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...annotations,
            [ANNOTATION_LOCATION]: location,
            [ANNOTATION_ORIGIN_LOCATION]: location,
          },
        },
      } as Entity;
    });
  }
}

/** Adds {@link SimulatorEntityProvider} to the catalog, configured from `copilotUsage.simulator`. */
export const catalogModuleCopilotUsageSimulatorEntities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'copilot-usage-simulator-entities',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, config }) {
        catalog.addEntityProvider(
          new SimulatorEntityProvider(readSimulatorCatalogOptions(config)),
        );
      },
    });
  },
});
