import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { describeChange, HeadlineFigure } from '../../lib/figures';
import { formatFigure } from '../../lib/format';
import { LabelledFigure } from './LabelledFigure';

function changeColour(figure: HeadlineFigure) {
  if (!figure.change || figure.change.absolute === 0) return 'textSecondary';
  return figure.change.absolute > 0 ? 'primary' : 'error';
}

/**
 * The range's headline figures, each with its change against the previous
 * period. Test ids: `headline-<metric key>`, with `-value` and `-change` parts.
 */
export function HeadlineFigures(props: {
  figures: HeadlineFigure[];
  periodDays: number;
}) {
  const { figures, periodDays } = props;
  return (
    <Grid
      container
      spacing={2}
      component="ul"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {figures.map(figure => {
        const change = describeChange(figure.change, figure.format, periodDays);
        return (
          <Grid
            item
            xs={6}
            sm={4}
            md={3}
            key={figure.key}
            component="li"
            data-testid={`headline-${figure.key}`}
          >
            <Paper variant="outlined" style={{ height: '100%' }}>
              <Box p={1.5}>
                <LabelledFigure
                  label={figure.label}
                  description={figure.description}
                  value={formatFigure(figure.value, figure.format)}
                  variant="h4"
                  valueTestId={`headline-${figure.key}-value`}
                />
                <Typography
                  variant="caption"
                  color={changeColour(figure)}
                  data-testid={`headline-${figure.key}-change`}
                >
                  {change ?? 'No previous period to compare'}
                </Typography>
              </Box>
            </Paper>
          </Grid>
        );
      })}
    </Grid>
  );
}
