/*
 * Request and response types of the copilot-usage backend routes
 * (`/api/copilot-usage`). The backend produces exactly these shapes and the
 * frontend client consumes them; both import them from here.
 *
 * Days are `YYYY-MM-DD` strings (UTC) everywhere.
 */
export * from './metricsDocument';
export * from './teams';
export * from './seats';
export * from './syncStatus';
export * from './adminActions';
export * from './facts';
export * from './repositories';
export * from './departments';
