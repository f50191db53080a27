export { createSyntheticOrg } from './org';
export { startGithubSimulator } from './server';
export type {
  GithubSimulator,
  SimulatorFault,
  SimulatorOptions,
  SimulatorStats,
} from './server';
export type * from './types';
export { SimulatedGithubApp } from './githubApp';
export type { SimulatedGithubAppOptions, AppInstallation } from './githubApp';
