export { EntityCopilotRepositoryContent } from './EntityCopilotRepositoryContent';
export { GroupRepositoriesTable } from './GroupRepositoriesTable';
export { OrgRepositoriesTable } from './OrgRepositoriesTable';
