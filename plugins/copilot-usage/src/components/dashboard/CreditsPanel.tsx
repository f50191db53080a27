import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  METRIC_DEFINITIONS,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { formatFigure } from '../../lib/format';
import { figureGridStyle } from './HeadlineFigures';
import { LabelledFigure } from './LabelledFigure';

/** The days of the document with credits, and their mean. */
function dailyAverage(document: MetricsDocument): number | null {
  const values = document.days
    .map(day => day.aiCredits)
    .filter((v): v is number => typeof v === 'number');
  return values.length
    ? values.reduce((a, b) => a + b, 0) / values.length
    : null;
}

/**
 * AI credits of the period (GitHub's `ai_credits_used`): the total, per active
 * user and per day, with what they are and are not. Test ids: `credits-*`.
 */
export function CreditsPanel(props: { document: MetricsDocument }) {
  const { document } = props;
  const { aiCredits, aiCreditsPerActiveUser } = document.totals;
  const isTeam = document.scope.type === 'team';
  if (aiCredits === null || aiCredits === undefined) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="credits-none"
      >
        GitHub reported no AI credits for this period (its per-user rows carry
        them since June 2026).
      </Typography>
    );
  }
  const figures = [
    {
      id: 'total',
      label: METRIC_DEFINITIONS.aiCredits.label,
      description: METRIC_DEFINITIONS.aiCredits.description,
      value: aiCredits,
    },
    {
      id: 'per-active-user',
      label: METRIC_DEFINITIONS.aiCreditsPerActiveUser.label,
      description: METRIC_DEFINITIONS.aiCreditsPerActiveUser.description,
      value: aiCreditsPerActiveUser ?? null,
    },
    {
      id: 'per-day',
      label: 'AI credits per day',
      description:
        'The average over the days of the period that have credits. A metrics signal, not a billed total.',
      value: dailyAverage(document),
    },
  ];
  return (
    <Box data-testid="credits-panel">
      <Box component="ul" style={figureGridStyle}>
        {figures.map(figure => (
          <li key={figure.id} data-testid={`credits-${figure.id}`}>
            <Paper variant="outlined" style={{ height: '100%' }}>
              <Box p={1.5}>
                <LabelledFigure
                  label={figure.label}
                  description={figure.description}
                  value={formatFigure(figure.value, 'decimal')}
                  variant="h5"
                  valueTestId={`credits-${figure.id}-value`}
                />
              </Box>
            </Paper>
          </li>
        ))}
      </Box>
      <Box mt={2}>
        <Typography variant="body2" paragraph data-testid="credits-signal">
          <strong>A metrics signal, not a billed total.</strong> These are
          GitHub’s <code>ai_credits_used</code> of the per-user report (1 credit
          = $0.01); what you are billed is in GitHub’s billing usage.
        </Typography>
        {isTeam && (
          <Typography
            variant="body2"
            paragraph
            data-testid="credits-attribution"
          >
            A person in several teams on a day counts 1/n of their credits in
            each of their n teams that day, so the teams never add up to more
            than the organization.
          </Typography>
        )}
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="credits-no-models"
        >
          No top models by credits: GitHub reports credits as one daily total
          per user, not per model or feature.
        </Typography>
      </Box>
    </Box>
  );
}
