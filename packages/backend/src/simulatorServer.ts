import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { startGithubSimulator } from '@copilot-usage/github-simulator';
import { readSimulatorCatalogOptions } from './modules/simulatorCatalog';

/**
 * Runs the local GitHub simulator inside the backend when
 * `copilotUsage.simulator.enabled` is true (the embedded default), so
 * `yarn start` needs no GitHub credentials. The same options feed the catalog
 * module, so the catalog's Users and Groups match the simulated org.
 */
export const copilotUsageModuleGithubSimulator = createBackendModule({
  pluginId: 'copilot-usage',
  moduleId: 'github-simulator',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.rootLifecycle,
        logger: coreServices.logger,
      },
      async init({ config, lifecycle, logger }) {
        const options = readSimulatorCatalogOptions(config);
        if (!options) return;
        const simulator = await startGithubSimulator({
          ...options,
          host: '127.0.0.1',
          port: config.getOptionalNumber('copilotUsage.simulator.port') ?? 7010,
          token: config.getOptionalString('copilotUsage.simulator.token'),
        });
        logger.info(
          `GitHub simulator for org ${simulator.org.org} listening on ${simulator.url}`,
        );
        lifecycle.addShutdownHook(() => simulator.close());
      },
    });
  },
});
