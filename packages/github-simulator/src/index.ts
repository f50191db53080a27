export { createSyntheticOrg } from './org';
export { startGithubSimulator } from './server';
export type {
  GithubSimulator,
  SimulatorFault,
  SimulatorOptions,
  SimulatorStats,
} from './server';
export type * from './types';
