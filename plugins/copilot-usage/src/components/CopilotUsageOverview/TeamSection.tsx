import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { TeamListItem } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { useState } from 'react';
import { Range } from '../../lib/days';
import { hasSeveralOwners, teamOwnerLabel } from '../../lib/teamOwner';
import { ScopeMetrics } from '../dashboard/ScopeMetrics';
import { useCatalogMembers } from './useCatalogMembers';

/** A searchable team picker (works for thousands of teams) and the chosen team's figures. */
export function TeamSection(props: {
  teams: TeamListItem[];
  /** `undefined` while the chosen period is invalid. */
  range?: Range;
}) {
  const { teams, range } = props;
  const [selected, setSelected] = useState<TeamListItem | null>(
    // Start on a team with figures to show; small teams are listed but not eligible.
    teams.find(team => team.eligible) ?? teams[0] ?? null,
  );
  const catalogMembers = useCatalogMembers(selected?.entityRef);
  // With one org (and no enterprise team) the picker looks as it always did.
  const showOwner = hasSeveralOwners(teams.map(team => team.owner));
  if (teams.length === 0) {
    return (
      <Typography variant="body2">
        You are not a member of any team mapped to a GitHub team. Teams appear
        here when their Group has the github.com/team-slug (or, for an
        enterprise team, github.com/enterprise-team-slug) annotation.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Autocomplete
        options={teams}
        value={selected}
        onChange={(_event, team) => setSelected(team)}
        getOptionLabel={team =>
          `${team.title} (${team.owner.name}/${team.slug})`
        }
        renderOption={team => (
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <span>
              {team.title} ({team.owner.name}/{team.slug})
            </span>
            {showOwner && (
              <Chip
                size="small"
                variant="outlined"
                label={teamOwnerLabel(team.owner)}
                data-testid="team-owner-chip"
              />
            )}
          </Box>
        )}
        getOptionSelected={(option, value) =>
          option.entityRef === value.entityRef
        }
        style={{ maxWidth: 480, width: '100%' }}
        renderInput={params => (
          <TextField {...params} label="Team" variant="outlined" size="small" />
        )}
      />
      {selected && range && (
        <ScopeMetrics
          team={{ title: selected.title, catalogMembers }}
          key={selected.entityRef}
          target={{ type: 'team', entityRef: selected.entityRef }}
          range={range}
          forbidden={{
            title: 'You are not a member of this team',
            description: `Copilot usage of ${selected.title} is shown to its members and to Copilot usage admins.`,
          }}
        />
      )}
    </Box>
  );
}
