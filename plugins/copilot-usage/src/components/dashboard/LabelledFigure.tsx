import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { MetricInfo } from '../charts/MetricInfo';

/** A figure under its label, with the metric's definition behind an info icon. */
export function LabelledFigure(props: {
  label: string;
  description: string;
  /** Already formatted. */
  value: string;
  variant: 'h4' | 'h5';
  valueTestId?: string;
}) {
  const { label, description, value, variant, valueTestId } = props;
  return (
    <>
      <Box display="flex" alignItems="center">
        <Typography variant="body2" color="textSecondary">
          {label}
        </Typography>
        <MetricInfo label={label} description={description} />
      </Box>
      <Typography variant={variant} component="p" data-testid={valueTestId}>
        {value}
      </Typography>
    </>
  );
}
