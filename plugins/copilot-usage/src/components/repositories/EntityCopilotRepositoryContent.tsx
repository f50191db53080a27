import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  REPOSITORY_SLUG_ANNOTATION,
  RepositoryMetricsResponse,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { useDateRange } from '../../hooks/useDateRange';
import { Range } from '../../lib/days';
import { formatFigure } from '../../lib/format';
import { DateRangePicker } from '../controls/DateRangePicker';
import { statusOf } from '../dashboard/FailurePanel';
import { figureGridStyle } from '../dashboard/HeadlineFigures';
import { LabelledFigure } from '../dashboard/LabelledFigure';
import { RepositoryTrendChart } from './RepositoryTrendChart';
import {
  REPOSITORY_FIGURES,
  REPOSITORY_NOTE,
  RepositoryFigureKey,
  figureFormat,
} from './repositoryFigures';

const TOTALS: RepositoryFigureKey[] = [
  'agentCreated',
  'agentMerged',
  'codeReviewReviewed',
  'suggestions',
  'appliedSuggestions',
  'prsCreated',
  'prsMerged',
  'medianReadyToFirstReview',
  'medianFirstToFinalReview',
  'medianFinalReviewToMerge',
];

function RepositoryFigures(props: { value: RepositoryMetricsResponse }) {
  const { value } = props;
  const { days, totals, coverage } = value;
  const timed = days.some(day => day.reviewMerged !== null);
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      <Typography variant="body2" color="textSecondary">
        {value.repository.owner}/{value.repository.name}, {value.from} to{' '}
        {value.to}: {coverage.daysWithData} of {coverage.daysInRange} days have
        GitHub’s repository report
        {coverage.lastDay ? ` (the last is ${coverage.lastDay})` : ''};{' '}
        {totals.activeDays} of them had pull request activity.
      </Typography>
      <Box component="ul" style={figureGridStyle} aria-label="Totals">
        {TOTALS.map(key => (
          <Paper
            component="li"
            key={key}
            variant="outlined"
            style={{ padding: 12 }}
            data-testid={`repository-total-${key}`}
          >
            <LabelledFigure
              label={REPOSITORY_FIGURES[key].label}
              description={REPOSITORY_FIGURES[key].description}
              value={`${formatFigure(totals[key], figureFormat(key))}${
                figureFormat(key) === 'decimal' && totals[key] !== null
                  ? ' min'
                  : ''
              }`}
              variant="h5"
              valueTestId={`repository-total-${key}-value`}
            />
          </Paper>
        ))}
      </Box>
      <RepositoryTrendChart
        title="Copilot cloud agent pull requests"
        description="Pull requests the Copilot cloud agent (formerly coding agent) created, and those of them merged, per day."
        days={days}
        format="count"
        lines={[
          { key: 'agentCreated', colour: 'primary' },
          { key: 'agentMerged', colour: 'secondary', dash: '6 3' },
        ]}
      />
      <RepositoryTrendChart
        title="Copilot code review"
        description="Pull requests Copilot code review reviewed, its suggestions and those applied, per day."
        days={days}
        format="count"
        lines={[
          { key: 'codeReviewReviewed', colour: 'primary' },
          { key: 'suggestions', colour: 'secondary', dash: '6 3' },
          { key: 'appliedSuggestions', colour: 'tertiary', dash: '2 2' },
        ]}
      />
      {timed ? (
        <>
          <RepositoryTrendChart
            title="Review-stage times, median (minutes)"
            description="GitHub’s median minutes of each review stage, over the human-written, human-reviewed pull requests merged that day."
            days={days}
            format="decimal"
            lines={[
              { key: 'medianReadyToFirstReview', colour: 'primary' },
              {
                key: 'medianFirstToFinalReview',
                colour: 'secondary',
                dash: '6 3',
              },
              {
                key: 'medianFinalReviewToMerge',
                colour: 'tertiary',
                dash: '2 2',
              },
            ]}
          />
          <RepositoryTrendChart
            title="Review-stage times, p90 (minutes)"
            description="GitHub’s 90th percentile minutes of each review stage, over the pull requests merged that day."
            days={days}
            format="decimal"
            lines={[
              { key: 'p90ReadyToFirstReview', colour: 'primary' },
              {
                key: 'p90FirstToFinalReview',
                colour: 'secondary',
                dash: '6 3',
              },
              { key: 'p90FinalReviewToMerge', colour: 'tertiary', dash: '2 2' },
            ]}
          />
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No review-stage times in this period: GitHub times pull requests
          merged from 2026-09-21 on, and only on days with such merges.
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        {REPOSITORY_NOTE}
      </Typography>
    </Box>
  );
}

function RepositoryUsage(props: { slug: string; range: Range }) {
  const { slug, range } = props;
  const api = useApi(copilotUsageApiRef);
  const state = useAsyncRetry(
    async () =>
      api.getRepositoryMetrics
        ? api.getRepositoryMetrics(slug, range)
        : undefined,
    [api, slug, range.from, range.to],
  );
  if (state.loading) return <Progress />;
  if (state.error) {
    const status = statusOf(state.error);
    if (status === 404 || status === 403) {
      return (
        <EmptyState
          missing="info"
          title="No Copilot figures for this repository"
          description={`The figures of ${slug} are shown to whoever may read its Component in the catalog, and to Copilot usage admins. The Component must come from that repository itself (or an origin the adopter trusts), and the repository must belong to a configured organization.`}
        />
      );
    }
    return <ResponseErrorPanel error={state.error} />;
  }
  if (!state.value || state.value.coverage.daysWithData === 0) {
    return (
      <EmptyState
        missing="data"
        title="No repository report in this period"
        description="GitHub publishes the daily repository report since 2026-07-17; the sync stores it with each day. Choose another period, or wait for the next sync."
      />
    );
  }
  return <RepositoryFigures value={state.value} />;
}

/**
 * The Copilot tab of a Component with `github.com/project-slug`: that
 * repository's pull requests of the Copilot cloud agent and of Copilot code
 * review, and the review-stage times, over a chosen period.
 */
export function EntityCopilotRepositoryContent() {
  const { entity } = useEntity();
  const slug =
    entity.metadata.annotations?.[REPOSITORY_SLUG_ANNOTATION]?.trim() ?? '';
  const { selection, setSelection, range } = useDateRange();
  if (!/^[^/\s]+\/[^/\s]+$/.test(slug)) {
    return (
      <EmptyState
        missing="field"
        title="No repository"
        description={`Add the annotation ${REPOSITORY_SLUG_ANNOTATION}: <owner>/<repository> to this Component to see its Copilot figures.`}
      />
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      <DateRangePicker value={selection} onChange={setSelection} />
      {range && <RepositoryUsage slug={slug} range={range} />}
    </Box>
  );
}
