export { createSyntheticOrg } from './org';
export { createSyntheticEnterprise, DEFAULT_EXTRA_ORGS } from './enterprise';
export type { ReportSource, SyntheticEnterprise } from './enterprise';
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
export {
  reposReport,
  repositoriesOf,
  REPOS_FIRST_DAY,
  REVIEW_TIMES_FIRST_DAY,
} from './repos';
