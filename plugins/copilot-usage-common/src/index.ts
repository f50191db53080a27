/**
 * Shared permissions, API types and metric formulas of the Copilot usage plugins.
 *
 * @packageDocumentation
 */
export * from './constants';
export * from './permissions';
export * from './api';
export * from './metrics';
export * from './syncProgress';
export * from './seriesBreaks';
export * from './clientVersionFlags';
