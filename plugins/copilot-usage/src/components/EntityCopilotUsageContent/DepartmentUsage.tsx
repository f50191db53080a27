import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  Entity,
  RELATION_PARENT_OF,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG,
  ANNOTATION_GITHUB_TEAM_SLUG,
  DepartmentChildRow,
  DepartmentDocument,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { useTeamReadAllowed } from '../../hooks/useTeamReadAllowed';
import { Range, countDays, previousRange } from '../../lib/days';
import { headlineFigures } from '../../lib/figures';
import { countOf, formatCount, formatFigure } from '../../lib/format';
import { dailySeries } from '../../lib/series';
import { CoverageNote } from '../dashboard/CoverageNote';
import { FailurePanel, statusOf } from '../dashboard/FailurePanel';
import { HeadlineFigures } from '../dashboard/HeadlineFigures';
import { TeamMembers } from '../dashboard/TeamMembers';
import { TrendCharts } from '../dashboard/TrendCharts';

/**
 * The dashboard components read a team's metrics document: a department's
 * figures are the same kind of figures (distinct members and active users per
 * day, counters summed), over the subtree's teams. It has no breakdowns.
 */
export function asMetricsDocument(
  department: DepartmentDocument,
): MetricsDocument {
  const { scope, children: _children, ...figures } = department;
  return {
    ...figures,
    scope: {
      type: 'team',
      entityRef: scope.entityRef,
      owner: scope.owners[0] ?? { kind: 'org', name: '' },
      slug: '',
      title: scope.title,
    },
    breakdowns: {} as MetricsDocument['breakdowns'],
  };
}

/**
 * A Group that names no GitHub team but has child Groups: its tab shows the
 * department rollup (the backend says whether teams are below it).
 */
export function isDepartmentCandidate(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  if (
    annotations[ANNOTATION_GITHUB_TEAM_SLUG] ||
    annotations[ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG]
  ) {
    return false;
  }
  return (entity.relations ?? []).some(
    relation => relation.type === RELATION_PARENT_OF,
  );
}

function useDepartment(entityRef: string, range: Range) {
  const api = useApi(copilotUsageApiRef);
  return useAsyncRetry(async () => {
    const [current, previous] = await Promise.all([
      api.getDepartmentMetrics(entityRef, range),
      api
        .getDepartmentMetrics(entityRef, previousRange(range))
        .catch(() => undefined),
    ]);
    return { current, previous };
  }, [api, entityRef, range.from, range.to]);
}

function ChildName(props: { row: DepartmentChildRow }) {
  const { row } = props;
  const entityRoute = useRouteRef(entityRouteRef);
  const { kind, namespace, name } = parseEntityRef(row.entityRef);
  return (
    <Link to={`${entityRoute({ kind, namespace, name })}/copilot-usage`}>
      {row.title}
    </Link>
  );
}

/** The child Groups with their own figures; a row below the floor says so instead. */
export function DepartmentChildrenTable(props: {
  rows: DepartmentChildRow[];
  minTeamSize: number;
}) {
  const { rows, minTeamSize } = props;
  if (rows.length === 0) return null;
  // Narrow screens: tight cells, words never broken inside (figures stay on one
  // line); a table still wider than the screen scrolls inside its box.
  const cell = {
    padding: '6px 8px',
    wordBreak: 'normal',
    overflowWrap: 'normal',
  } as const;
  const figure = { ...cell, whiteSpace: 'nowrap' } as const;
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table
        size="small"
        aria-label="Child Groups"
        data-testid="department-children"
      >
        <TableHead>
          <TableRow>
            <TableCell style={cell}>Group</TableCell>
            <TableCell style={cell} align="right">
              Active users
            </TableCell>
            <TableCell style={cell} align="right">
              Adoption
            </TableCell>
            <TableCell style={cell} align="right">
              Members
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => (
            <TableRow key={row.entityRef} data-testid="department-child">
              <TableCell style={cell}>
                <ChildName row={row} />
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {row.kind === 'department'
                    ? `department, ${countOf(row.teamCount, 'team')}`
                    : 'team'}
                </Typography>
              </TableCell>
              {row.totals ? (
                <>
                  <TableCell
                    style={figure}
                    align="right"
                    data-testid="child-active-users"
                  >
                    {formatCount(row.totals.activeUsers)}
                  </TableCell>
                  <TableCell
                    style={figure}
                    align="right"
                    data-testid="child-adoption"
                  >
                    {formatFigure(row.adoption, 'percent')}
                  </TableCell>
                  <TableCell
                    style={figure}
                    align="right"
                    data-testid="child-members"
                  >
                    {formatCount(row.memberCount)}
                  </TableCell>
                </>
              ) : (
                <TableCell style={cell} colSpan={3} data-testid="child-hidden">
                  <Typography variant="body2" color="textSecondary">
                    {row.notEligibleReason === 'below-min-team-size'
                      ? `Below the privacy floor: fewer than ${minTeamSize} members on every day of the period`
                      : 'No data in this period'}
                  </Typography>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * The Copilot tab of a department: a Group above teams. Headline figures,
 * trends and members of the whole subtree (each person once), then its child
 * Groups, each linking to its own tab.
 */
export function DepartmentUsage(props: {
  entityRef: string;
  title: string;
  range: Range;
}) {
  const { entityRef, title } = props;
  // Asked of the permission backend first, as for a team: a refused user gets the
  // explanation without a 403 request.
  const access = useTeamReadAllowed(entityRef);
  const forbidden = {
    title: `You are not a member of ${title}`,
    description: `Copilot usage of ${title} is shown to its members, to members of the Groups above it and to Copilot usage admins.`,
  };
  if (access.loading) {
    return <Progress />;
  }
  if (!access.allowed) {
    return (
      <EmptyState
        missing="info"
        title={forbidden.title}
        description={forbidden.description}
      />
    );
  }
  return <LoadedDepartmentUsage {...props} forbidden={forbidden} />;
}

function LoadedDepartmentUsage(props: {
  entityRef: string;
  title: string;
  range: Range;
  forbidden: { title: string; description: string };
}) {
  const { entityRef, title, range, forbidden } = props;
  const state = useDepartment(entityRef, range);
  if (state.loading) {
    return <Progress />;
  }
  if (state.error) {
    if (statusOf(state.error) === 404) {
      return (
        <EmptyState
          missing="info"
          title={`${title} has no GitHub teams below it`}
          description="Copilot usage is shown for Groups mapped to a GitHub team (annotation github.com/team-slug) and for departments: Groups with such teams below them in the catalog, from a source the Copilot usage plugin trusts."
        />
      );
    }
    return <FailurePanel error={state.error} forbidden={forbidden} />;
  }
  if (!state.value) return null;
  const { current, previous } = state.value;
  const document = asMetricsDocument(current);
  const periodDays = countDays(current.from, current.to);
  const intro = (
    <Typography variant="body2" data-testid="department-intro">
      {`${title}: ${countOf(current.scope.teamCount, 'team')} in the catalog below it. `}
      People in several of these teams count once.
    </Typography>
  );
  if (current.days.length === 0) {
    return (
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        {intro}
        <EmptyState
          missing="data"
          title={
            current.notEligibleReason === 'below-min-team-size'
              ? `${title} is below the privacy floor of ${current.minTeamSize} members`
              : `No Copilot usage data from ${current.from} to ${current.to}`
          }
          description={
            current.notEligibleReason === 'below-min-team-size'
              ? `To protect individuals, figures are shown only for days on which the teams below ${title} had at least ${current.minTeamSize} members together.`
              : `Nothing is stored for the teams below ${title} in this period.`
          }
        />
      </Box>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {intro}
        {!current.eligible && (
          <WarningPanel
            severity="info"
            title="Below the privacy floor: only Copilot usage admins see these figures"
            message={`The teams below ${title} had fewer than ${current.minTeamSize} members together on every day of this period.`}
          />
        )}
        <CoverageNote document={document} />
      </Grid>
      <Grid item xs={12}>
        <TeamMembers document={document} />
      </Grid>
      <Grid item xs={12}>
        <HeadlineFigures
          figures={headlineFigures(
            document,
            previous && asMetricsDocument(previous),
          )}
          periodDays={periodDays}
          noComparison={
            previous
              ? `No data in the ${countOf(periodDays, 'day')} before to compare`
              : 'The previous period could not be loaded'
          }
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Trends">
          <TrendCharts days={dailySeries(document)} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Groups below">
          <Typography variant="body2" color="textSecondary" paragraph>
            Each Group's figures over the period: its own teams, each person
            once. A person in two of these Groups counts in both rows, once in
            the figures above.
          </Typography>
          <DepartmentChildrenTable
            rows={current.children}
            minTeamSize={current.minTeamSize}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
