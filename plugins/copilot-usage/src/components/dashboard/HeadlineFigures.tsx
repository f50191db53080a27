import Box from '@material-ui/core/Box';
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
 * A grid of figure cards that fits any width: as many 150 px columns as the
 * row holds. (CSS grid with a gap, unlike a spaced MUI Grid, has no negative
 * margins that push the page wider than a phone's screen.)
 */
export const figureGridStyle = {
  listStyle: 'none',
  padding: 0,
  margin: 0,
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
  gap: 12,
} as const;

/**
 * The range's headline figures, each with what it counts and its change
 * against the previous period. Test ids: `headline-<figure id>`, with
 * `-value`, `-note` and `-change` parts.
 */
export function HeadlineFigures(props: {
  figures: HeadlineFigure[];
  periodDays: number;
  /** Why there is no change to show, when there is none. */
  noComparison?: string;
}) {
  const {
    figures,
    periodDays,
    noComparison = 'No previous period to compare',
  } = props;
  return (
    <Box component="ul" style={figureGridStyle} data-testid="headline-figures">
      {figures.map(figure => {
        const change = describeChange(figure.change, figure.format, periodDays);
        return (
          <li key={figure.id} data-testid={`headline-${figure.id}`}>
            <Paper variant="outlined" style={{ height: '100%' }}>
              <Box p={1.5}>
                <LabelledFigure
                  label={figure.label}
                  description={figure.description}
                  value={formatFigure(figure.value, figure.format)}
                  variant="h4"
                  valueTestId={`headline-${figure.id}-value`}
                />
                <Typography
                  variant="caption"
                  component="p"
                  color="textSecondary"
                  data-testid={`headline-${figure.id}-note`}
                >
                  {figure.note}
                </Typography>
                <Typography
                  variant="caption"
                  component="p"
                  color={changeColour(figure)}
                  data-testid={`headline-${figure.id}-change`}
                >
                  {change ?? noComparison}
                </Typography>
              </Box>
            </Paper>
          </li>
        );
      })}
    </Box>
  );
}
