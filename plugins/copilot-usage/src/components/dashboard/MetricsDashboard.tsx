import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { MetricsDocument } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { countDays } from '../../lib/days';
import { headlineFigures } from '../../lib/figures';
import { dailySeries } from '../../lib/series';
import { Breakdowns } from './Breakdowns';
import { ClientVersionsPanel } from './ClientVersionsPanel';
import { CreditsPanel } from './CreditsPanel';
import { CoverageNote } from './CoverageNote';
import { CsvDownloadButton } from '../controls/CsvDownloadButton';
import { HeadlineFigures } from './HeadlineFigures';
import { TeamMembers } from './TeamMembers';
import { TrendCharts } from './TrendCharts';
import { countOf } from '../../lib/format';

/** Headline figures, trends, weekly view and breakdowns of one metrics document. */
export function MetricsDashboard(props: {
  document: MetricsDocument;
  previous?: MetricsDocument;
  /** Route of the same figures as CSV. */
  csvPath: string;
}) {
  const { document, previous, csvPath } = props;
  const days = dailySeries(document);
  const periodDays = countDays(document.from, document.to);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          justifyContent="space-between"
          style={{ gap: 8 }}
        >
          <CoverageNote document={document} />
          <CsvDownloadButton path={csvPath} />
        </Box>
      </Grid>
      {document.scope.type === 'team' && (
        <Grid item xs={12}>
          <TeamMembers document={document} />
        </Grid>
      )}
      <Grid item xs={12}>
        <HeadlineFigures
          figures={headlineFigures(document, previous)}
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
          <TrendCharts days={days} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Breakdowns">
          <Typography variant="body2" color="textSecondary" paragraph>
            Summed over the whole period.
          </Typography>
          <Breakdowns
            breakdowns={document.breakdowns}
            totalGenerations={document.totals.codeGenerations}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="AI credits">
          <CreditsPanel document={document} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Client versions">
          <ClientVersionsPanel summary={document.clientVersions} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
