import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEffect, useState } from 'react';
import { useCopilotUsageAccess } from '../../hooks/useCopilotUsageAccess';
import { useDateRange } from '../../hooks/useDateRange';
import { Range } from '../../lib/days';
import { DateRangePicker } from '../controls/DateRangePicker';
import { ScopeMetrics } from '../dashboard/ScopeMetrics';
import { MyUsagePanel } from './MyUsagePanel';
import { SeatsPanel } from './SeatsPanel';
import { SyncStatusPanel } from './SyncStatusPanel';
import { TeamComparisonTable } from './TeamComparisonTable';
import { TeamSection } from './TeamSection';
import { useDirectory } from './useDirectory';

function SectionHeading(props: { children: string }) {
  return (
    <Typography variant="h5" component="h2" gutterBottom>
      {props.children}
    </Typography>
  );
}

function OrgSelector(props: {
  orgs: string[];
  value: string;
  onChange: (org: string) => void;
}) {
  const { orgs, value, onChange } = props;
  if (orgs.length < 2) {
    return null;
  }
  return (
    <FormControl size="small" style={{ minWidth: 200 }}>
      <InputLabel id="copilot-usage-org-label">Organization</InputLabel>
      <Select
        labelId="copilot-usage-org-label"
        value={value}
        onChange={event => onChange(String(event.target.value))}
      >
        {orgs.map(org => (
          <MenuItem key={org} value={org}>
            {org}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

function OrgSections(props: {
  orgs: string[];
  range: Range;
  isAdmin: boolean;
}) {
  const { orgs, range, isAdmin } = props;
  const [org, setOrg] = useState(orgs[0]);
  useEffect(() => {
    if (!orgs.includes(org)) setOrg(orgs[0]);
  }, [orgs, org]);
  if (!org) {
    return (
      <Typography variant="body2">
        No organization has Copilot usage data yet.
      </Typography>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <SectionHeading>{`Organization ${org}`}</SectionHeading>
          <OrgSelector orgs={orgs} value={org} onChange={setOrg} />
        </Box>
        <ScopeMetrics
          key={org}
          target={{ type: 'org', org }}
          range={range}
          forbidden={{
            title: 'The organization overview is for Copilot usage admins',
            description:
              'Your teams’ figures are below. Ask a Copilot usage admin if you need the whole organization.',
          }}
        />
      </Grid>
      {isAdmin && (
        <>
          <Grid item xs={12}>
            <TeamComparisonTable org={org} range={range} />
          </Grid>
          <Grid item xs={12} md={6}>
            <SeatsPanel org={org} />
          </Grid>
          <Grid item xs={12} md={6}>
            <SyncStatusPanel />
          </Grid>
        </>
      )}
    </Grid>
  );
}

/**
 * The org overview's content, shared by both frontend systems (the legacy page
 * adds the page header around it). Admins see the organization, the team
 * comparison, seats and the sync; everyone sees their teams and their own usage.
 *
 * @public
 */
export function CopilotUsageOverview() {
  const access = useCopilotUsageAccess();
  const { selection, setSelection, range } = useDateRange();
  const directory = useDirectory({ includeSyncScopes: access.isAdmin });

  if (access.loading || directory.loading) {
    return <Progress />;
  }
  if (directory.error) {
    return <ResponseErrorPanel error={directory.error} />;
  }
  const { teams = [], orgs = [] } = directory.value ?? {};
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DateRangePicker value={selection} onChange={setSelection} />
      </Grid>
      {access.canReadOrg ? (
        <Grid item xs={12} component="section" aria-label="Organization">
          <OrgSections orgs={orgs} range={range} isAdmin={access.isAdmin} />
        </Grid>
      ) : (
        <Grid item xs={12}>
          <Typography variant="body2" color="textSecondary">
            Organization-wide figures and the team comparison are shown to
            Copilot usage admins.
          </Typography>
        </Grid>
      )}
      <Grid item xs={12} component="section" aria-label="Teams">
        <SectionHeading>{access.isAdmin ? 'Teams' : 'My teams'}</SectionHeading>
        <TeamSection teams={teams} range={range} />
      </Grid>
      <Grid item xs={12} component="section" aria-label="My usage">
        <MyUsagePanel range={range} />
      </Grid>
    </Grid>
  );
}
