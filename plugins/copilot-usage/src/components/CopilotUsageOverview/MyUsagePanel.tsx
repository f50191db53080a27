import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  METRIC_DEFINITIONS,
  MetricsTotals,
  UserMetricsDay,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { csvPath } from '../../api/paths';
import { useMyMetrics } from '../../hooks/useCopilotUsageData';
import { addDays, Range } from '../../lib/days';
import { FigureFormat, formatFigure } from '../../lib/format';
import { CsvDownloadButton } from '../controls/CsvDownloadButton';
import { statusOf } from '../dashboard/FailurePanel';
import { figureGridStyle } from '../dashboard/HeadlineFigures';
import { LabelledFigure } from '../dashboard/LabelledFigure';
import {
  generationLines,
  TimeSeriesChart,
  TimeSeriesLine,
} from '../charts/TimeSeriesChart';

/** The signed-in user's figures; `my-usage-<key>` test ids. */
export const MY_USAGE_FIGURES: Array<{
  key: keyof MetricsTotals;
  label: string;
  description: string;
  format: FigureFormat;
}> = [
  {
    key: 'days',
    label: 'Days active',
    description: 'Days of the period on which you used Copilot.',
    format: 'count',
  },
  ...(
    ['interactions', 'codeGenerations', 'codeAcceptances', 'locAdded'] as const
  ).map(key => ({
    key,
    label: METRIC_DEFINITIONS[key].label,
    description: METRIC_DEFINITIONS[key].description,
    format: 'count' as const,
  })),
  {
    key: 'completionAcceptanceRate',
    label: METRIC_DEFINITIONS.completionAcceptanceRate.label,
    description: METRIC_DEFINITIONS.completionAcceptanceRate.description,
    format: 'percent',
  },
];

interface MyDay {
  day: string;
  interactions: number;
  codeGenerations: number;
  codeAcceptances: number;
}

const MY_DAILY_LINES: TimeSeriesLine<MyDay>[] = [
  { key: 'interactions', name: 'Interactions', colour: 'tertiary' },
  ...generationLines<MyDay>(),
];

/**
 * Sums one user's rows per day (a user may have a row in several orgs), with
 * every day from `from` to `to`: a day without activity is a 0, so the chart's
 * days are evenly spaced and quiet days show as quiet.
 */
export function perDay(
  days: UserMetricsDay[],
  from: string,
  to: string,
): MyDay[] {
  const byDay = new Map<string, MyDay>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    byDay.set(day, {
      day,
      interactions: 0,
      codeGenerations: 0,
      codeAcceptances: 0,
    });
  }
  for (const row of days) {
    const entry = byDay.get(row.day) ?? {
      day: row.day,
      interactions: 0,
      codeGenerations: 0,
      codeAcceptances: 0,
    };
    entry.interactions += row.interactions;
    entry.codeGenerations += row.codeGenerations;
    entry.codeAcceptances += row.codeAcceptances;
    byDay.set(row.day, entry);
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** The signed-in user's own Copilot usage. */
export function MyUsagePanel(props: { range: Range }) {
  const { range } = props;
  const { loading, error, value } = useMyMetrics(range);
  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    const status = statusOf(error);
    content =
      status === 401 || status === 403 || status === 404 ? (
        <Typography variant="body2">
          Your own usage is only available when you are signed in with a user
          account that has a GitHub login.
        </Typography>
      ) : (
        <ResponseErrorPanel error={error} />
      );
  } else if (value && value.days.length === 0) {
    content = (
      <Typography variant="body2">
        No Copilot activity of yours from {value.from} to {value.to} (as{' '}
        {value.user.login}).
      </Typography>
    );
  } else if (value) {
    const days = perDay(value.days, value.from, value.to);
    content = (
      <>
        <Box
          display="flex"
          justifyContent="space-between"
          flexWrap="wrap"
          mb={2}
        >
          <Typography variant="body2" color="textSecondary">
            {value.user.login}, {value.from} to {value.to}
          </Typography>
          <CsvDownloadButton
            path={csvPath({ type: 'me' }, range)}
            label="Download my CSV"
          />
        </Box>
        <Box component="ul" style={{ ...figureGridStyle, marginBottom: 16 }}>
          {MY_USAGE_FIGURES.map(figure => (
            <li key={figure.key} data-testid={`my-usage-${figure.key}`}>
              <LabelledFigure
                label={figure.label}
                description={figure.description}
                value={formatFigure(
                  value.totals[figure.key] as number | null,
                  figure.format,
                )}
                variant="h5"
              />
            </li>
          ))}
        </Box>
        <TimeSeriesChart
          title="My daily activity"
          rows={days}
          lines={MY_DAILY_LINES}
          height={220}
        />
      </>
    );
  }
  return (
    <div data-testid="my-usage-panel">
      <InfoCard title="My usage">{content}</InfoCard>
    </div>
  );
}
