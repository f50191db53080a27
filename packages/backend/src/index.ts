import { createBackend } from '@backstage/backend-defaults';
import { authModuleCopilotUsageDevSignIn } from './modules/devSignIn';
import { catalogModuleCopilotUsageSimulatorEntities } from './modules/simulatorCatalog';
import { copilotUsageModuleGithubSimulator } from './simulatorServer';

const backend = createBackend();

// Serves the built app (packages/app/dist) on the backend's port in production.
backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
// Signs in catalog Users by name when copilotUsage.devSignIn.enabled (embedded default only).
backend.add(authModuleCopilotUsageDevSignIn);

backend.add(import('@backstage/plugin-catalog-backend'));
// Users and Groups from GitHub (needs catalog.providers.githubOrg; see app-config.production.yaml).
backend.add(import('@backstage/plugin-catalog-backend-module-github-org'));
backend.add(catalogModuleCopilotUsageSimulatorEntities);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@copilot-usage/backstage-plugin-permission-backend-module-copilot-usage-policy'),
);

backend.add(import('@copilot-usage/backstage-plugin-copilot-usage-backend'));
backend.add(copilotUsageModuleGithubSimulator);
// The plugin's actions as MCP tools for AI assistants (backend.actions.pluginSources).
backend.add(import('@backstage/plugin-mcp-actions-backend'));
// Tech Insights with the Copilot usage facts per Group, for scorecards.
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@copilot-usage/backstage-plugin-tech-insights-backend-module-copilot-usage'),
);

backend.start();
