import Box from '@material-ui/core/Box';
import {
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useDateRange } from '../../hooks/useDateRange';
import { DateRangePicker } from '../controls/DateRangePicker';
import { ScopeMetrics } from '../dashboard/ScopeMetrics';
import { GroupRepositoriesTable } from '../repositories';
import { DepartmentUsage, isDepartmentCandidate } from './DepartmentUsage';

/**
 * The Copilot tab of a Group page: the team's usage over a chosen period, or for
 * a department (a Group above teams, not a team itself) its subtree's rollup.
 */
export function EntityCopilotUsageContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { selection, setSelection, range } = useDateRange();
  const profile = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  const teamName =
    (typeof profile?.displayName === 'string' && profile.displayName) ||
    entity.metadata.title ||
    entity.metadata.name;
  // The Group's members as the catalog knows them: tells a team GitHub never
  // reports (below its privacy floor) from one that has no data yet.
  const catalogMembers = entity.relations
    ? entity.relations.filter(r => r.type === RELATION_HAS_MEMBER).length
    : undefined;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      <DateRangePicker value={selection} onChange={setSelection} />
      {range && isDepartmentCandidate(entity) && (
        <DepartmentUsage entityRef={entityRef} title={teamName} range={range} />
      )}
      {range && !isDepartmentCandidate(entity) && (
        <ScopeMetrics
          target={{ type: 'team', entityRef }}
          range={range}
          team={{ title: teamName, catalogMembers }}
          forbidden={{
            title: 'You are not a member of this team',
            description: `Copilot usage of ${teamName} is shown to its members and to Copilot usage admins.`,
          }}
        />
      )}
      {range && <GroupRepositoriesTable entityRef={entityRef} range={range} />}
    </Box>
  );
}
