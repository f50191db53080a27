/**
 * Copilot usage backend plugin for Backstage.
 *
 * @packageDocumentation
 */
export { copilotUsagePlugin as default } from './plugin';
