/**
 * A permission policy for Backstage backends that have none of their own:
 * Copilot usage permissions as `copilotUsage.*` configures them, everything
 * else allowed.
 *
 * @packageDocumentation
 */
export { permissionModuleCopilotUsagePolicy as default } from './module';
export { CopilotUsagePermissionPolicy } from './module';
