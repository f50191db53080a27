import { TeamOwner } from '@copilot-usage/backstage-plugin-copilot-usage-common';

/** Whose team it is, as the team picker and the comparison name it: the org, or the enterprise. */
export function teamOwnerLabel(owner: TeamOwner): string {
  return owner.kind === 'enterprise'
    ? `${owner.name} (enterprise)`
    : owner.name;
}

/** Whether teams of more than one owner are listed: only then is the owner worth showing. */
export function hasSeveralOwners(owners: TeamOwner[]): boolean {
  return new Set(owners.map(owner => `${owner.kind}:${owner.name}`)).size > 1;
}
