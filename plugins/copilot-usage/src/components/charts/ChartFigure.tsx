import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ReactElement, ReactNode, useId, useState } from 'react';
import { ResponsiveContainer } from 'recharts';
import { DataTable, DataTableColumn } from './DataTable';
import { MetricInfo } from './MetricInfo';

/**
 * A chart with an accessible name and a table alternative. The table is always
 * in the page (visually hidden under the chart) so screen readers get the
 * numbers; "Show as table" puts it on screen in place of the chart.
 */
export function ChartFigure<T>(props: {
  title: string;
  description?: string;
  columns: DataTableColumn<T>[];
  rows: T[];
  height?: number;
  /**
   * What the chart's reference lines mark, e.g. `on 2026-11-01: GitHub usage
   * reports from here`. Screen readers get them in the chart's name, since the
   * SVG inside is not read.
   */
  markers?: string[];
  /** A line under the title. */
  note?: ReactNode;
  /** Under the chart (or its table), e.g. the notes of its markers. */
  footer?: ReactNode;
  /** A recharts chart; it is sized by a ResponsiveContainer. */
  children: ReactElement;
}) {
  const {
    title,
    description,
    columns,
    rows,
    height = 260,
    markers = [],
    note,
    footer,
    children,
  } = props;
  const chartLabel = [
    `Chart: ${title}`,
    ...markers.map(m => `marked ${m}`),
  ].join(', ');
  const [showTable, setShowTable] = useState(false);
  const captionId = useId();
  return (
    <Box
      component="figure"
      aria-labelledby={captionId}
      m={0}
      style={{ position: 'relative' }}
    >
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
      >
        <Box display="flex" alignItems="center">
          <Typography variant="h6" component="figcaption" id={captionId}>
            {title}
          </Typography>
          {description && (
            <MetricInfo label={title} description={description} />
          )}
        </Box>
        <Button
          size="small"
          aria-pressed={showTable}
          onClick={() => setShowTable(shown => !shown)}
        >
          {showTable ? 'Show as chart' : 'Show as table'}
        </Button>
      </Box>
      {note}
      {showTable ? (
        <Box overflow="auto">
          <DataTable caption={title} columns={columns} rows={rows} />
        </Box>
      ) : (
        <>
          <div role="img" aria-label={chartLabel}>
            <ResponsiveContainer
              width="100%"
              height={height}
              initialDimension={{ width: 600, height }}
            >
              {children}
            </ResponsiveContainer>
          </div>
          <DataTable caption={title} columns={columns} rows={rows} hidden />
        </>
      )}
      {footer}
    </Box>
  );
}
