import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { TeamOwner } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useCopilotUsageAccess } from '../../hooks/useCopilotUsageAccess';
import { useDateRange } from '../../hooks/useDateRange';
import { Range } from '../../lib/days';
import { DateRangePicker } from '../controls/DateRangePicker';
import { ScopeMetrics } from '../dashboard/ScopeMetrics';
import { OrgRepositoriesTable } from '../repositories';
import { InactiveSeatsPanel } from './InactiveSeatsPanel';
import { MyUsagePanel } from './MyUsagePanel';
import { SeatsPanel } from './SeatsPanel';
import { SyncStatusPanel } from './SyncStatusPanel';
import { TeamComparisonTable } from './TeamComparisonTable';
import { TeamSection } from './TeamSection';
import { useDirectory } from './useDirectory';

/** What the overview's figures are about: the enterprise (GitHub's deduplicated aggregate) or one org. */
type OverviewScope =
  { type: 'enterprise'; enterprise: string } | { type: 'org'; org: string };

const scopeValue = (scope: OverviewScope) =>
  scope.type === 'org' ? `org:${scope.org}` : `enterprise:${scope.enterprise}`;

/** The enterprise first, then each org; hidden when there is only one to pick. */
function ScopeSelector(props: {
  scopes: OverviewScope[];
  value: OverviewScope;
  onChange: (scope: OverviewScope) => void;
}) {
  const { scopes, value, onChange } = props;
  const labelId = useId();
  if (scopes.length < 2) {
    return null;
  }
  return (
    <FormControl size="small" style={{ minWidth: 240 }}>
      <InputLabel id={labelId}>Scope</InputLabel>
      <Select
        labelId={labelId}
        value={scopeValue(value)}
        onChange={event =>
          onChange(
            scopes.find(s => scopeValue(s) === event.target.value) ?? value,
          )
        }
        data-testid="scope-selector"
      >
        {scopes.map(scope => (
          <MenuItem key={scopeValue(scope)} value={scopeValue(scope)}>
            {scope.type === 'enterprise'
              ? `Enterprise ${scope.enterprise} (all organizations)`
              : `Organization ${scope.org}`}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** One part of the page: a tab, reachable at `#<id>`. */
interface Section {
  id: string;
  label: string;
  render: () => ReactNode;
}

/** The section named by the URL's `#anchor`, or the first. */
function sectionFromHash(sections: Section[]): string {
  const hash =
    typeof window === 'undefined' ? '' : window.location.hash.slice(1);
  return sections.some(section => section.id === hash)
    ? hash
    : (sections[0]?.id ?? '');
}

/**
 * The sections as tabs. The open tab is in the URL (`#seats`, `#comparison`,
 * ...), so a link can open the page on it and the browser's address bar
 * tells which is shown.
 */
function SectionTabs(props: { sections: Section[] }) {
  const { sections } = props;
  const [selected, setSelected] = useState(() => sectionFromHash(sections));
  const baseId = useId();
  useEffect(() => {
    const onHashChange = () => setSelected(sectionFromHash(sections));
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [sections]);
  const current =
    sections.find(section => section.id === selected) ?? sections[0];
  if (!current) return null;
  const select = (id: string) => {
    setSelected(id);
    window.history.replaceState(window.history.state, '', `#${id}`);
  };
  return (
    <>
      <Box borderBottom={1} borderColor="divider" mb={3}>
        <Tabs
          value={current.id}
          onChange={(_event, id: string) => select(id)}
          indicatorColor="primary"
          textColor="primary"
          variant="scrollable"
          scrollButtons="auto"
          aria-label="Copilot usage sections"
        >
          {sections.map(section => (
            <Tab
              key={section.id}
              value={section.id}
              label={section.label}
              id={`${baseId}-tab-${section.id}`}
              aria-controls={`${baseId}-panel-${section.id}`}
              data-testid={`section-tab-${section.id}`}
            />
          ))}
        </Tabs>
      </Box>
      <div
        role="tabpanel"
        id={`${baseId}-panel-${current.id}`}
        aria-labelledby={`${baseId}-tab-${current.id}`}
        data-testid={`section-${current.id}`}
      >
        {current.render()}
      </div>
    </>
  );
}

/** While the custom period is invalid: the picker says why; nothing of the old period stays. */
function withRange(range: Range | undefined, render: (r: Range) => ReactNode) {
  return range ? (
    render(range)
  ) : (
    <Typography variant="body2" color="textSecondary">
      Choose a valid period above to see figures.
    </Typography>
  );
}

/**
 * The org overview's content, shared by both frontend systems (the legacy page
 * adds the page header around it), in tabs: admins get the organization, the
 * team comparison, seats and the sync; everyone gets their teams and their own
 * usage.
 *
 * @public
 */
export function CopilotUsageOverview() {
  const access = useCopilotUsageAccess();
  const { selection, setSelection, range } = useDateRange();
  const directory = useDirectory({ includeSyncScopes: access.isAdmin });
  const { teams = [], orgs = [], enterprises = [] } = directory.value ?? {};
  const scopes = useMemo(
    (): OverviewScope[] => [
      ...enterprises.map(enterprise => ({
        type: 'enterprise' as const,
        enterprise,
      })),
      ...orgs.map(o => ({ type: 'org' as const, org: o })),
    ],
    [enterprises, orgs],
  );
  // In the URL (`?scope=org:acme`), so that each org's page has its own address.
  const [chosenScope, setChosenScope] = useState(() =>
    typeof window === 'undefined'
      ? null
      : new URLSearchParams(window.location.search).get('scope'),
  );
  const setScope = (picked: OverviewScope) => {
    setChosenScope(scopeValue(picked));
    const url = new URL(window.location.href);
    url.searchParams.set('scope', scopeValue(picked));
    window.history.replaceState(window.history.state, '', url.toString());
  };
  const scope =
    scopes.find(
      s =>
        scopeValue(s).toLocaleLowerCase('en-US') ===
        chosenScope?.toLocaleLowerCase('en-US'),
    ) ?? scopes[0];
  // The team comparison and the seats are the picked scope's: an org's, or the
  // enterprise's (enterprise teams; each seat holder once).
  const comparisonOwner = useMemo(
    (): TeamOwner | undefined =>
      scope &&
      (scope.type === 'org'
        ? { kind: 'org', name: scope.org }
        : { kind: 'enterprise', name: scope.enterprise }),
    [scope],
  );

  const sections = useMemo((): Section[] => {
    const list: Section[] = [];
    if (access.canReadOrg) {
      list.push({
        id: 'organization',
        label: scope?.type === 'enterprise' ? 'Enterprise' : 'Organization',
        render: () =>
          scope ? (
            withRange(range, r => (
              <ScopeMetrics
                key={scopeValue(scope)}
                target={scope}
                range={r}
                forbidden={{
                  title:
                    'The organization overview is for Copilot usage admins',
                  description:
                    'Your teams’ figures are under “My teams”. Ask a Copilot usage admin if you need the whole organization.',
                }}
              />
            ))
          ) : (
            <Typography variant="body2">
              No organization has Copilot usage data yet.
            </Typography>
          ),
      });
    }
    if (access.isAdmin && comparisonOwner) {
      list.push({
        id: 'comparison',
        label: 'Team comparison',
        render: () =>
          withRange(range, r => (
            <TeamComparisonTable
              key={`${comparisonOwner.kind}:${comparisonOwner.name}`}
              owner={comparisonOwner}
              range={r}
            />
          )),
      });
    }
    if (access.isAdmin && scope?.type === 'org') {
      list.push({
        id: 'repositories',
        label: 'Repositories',
        render: () =>
          withRange(range, r => (
            <OrgRepositoriesTable key={scope.org} org={scope.org} range={r} />
          )),
      });
    }
    if (access.isAdmin && comparisonOwner) {
      const seatsKey = `${comparisonOwner.kind}:${comparisonOwner.name}`;
      list.push(
        {
          id: 'seats',
          label: 'Seats',
          render: () => (
            <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
              <SeatsPanel key={seatsKey} owner={comparisonOwner} />
              <InactiveSeatsPanel
                key={`inactive:${seatsKey}`}
                owner={comparisonOwner}
              />
            </Box>
          ),
        },
        { id: 'sync', label: 'Sync status', render: () => <SyncStatusPanel /> },
      );
    }
    list.push(
      {
        id: 'teams',
        label: access.isAdmin ? 'Teams' : 'My teams',
        render: () => <TeamSection teams={teams} range={range} />,
      },
      {
        id: 'my-usage',
        label: 'My usage',
        render: () => withRange(range, r => <MyUsagePanel range={r} />),
      },
    );
    return list;
  }, [access.canReadOrg, access.isAdmin, scope, comparisonOwner, range, teams]);

  if (access.loading || directory.loading) {
    return <Progress />;
  }
  if (directory.error) {
    return <ResponseErrorPanel error={directory.error} />;
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-end"
        style={{ gap: 16 }}
      >
        <DateRangePicker value={selection} onChange={setSelection} />
        {access.canReadOrg && scope && (
          <ScopeSelector scopes={scopes} value={scope} onChange={setScope} />
        )}
      </Box>
      {!access.canReadOrg && (
        <Typography variant="body2" color="textSecondary">
          Organization-wide figures and the team comparison are shown to Copilot
          usage admins.
        </Typography>
      )}
      <SectionTabs sections={sections} />
    </Box>
  );
}
