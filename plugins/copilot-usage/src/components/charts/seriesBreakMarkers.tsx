/*
 * Markers for GitHub's breaks in the series and the adopter's own events,
 * drawn like the import marker (sourceMarkers.tsx): a reference line with a
 * label, named in the chart's accessible name, a column in its table and a
 * note under it.
 */
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import {
  SeriesBreak,
  seriesBreaksBetween,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { isoWeek } from '../../lib/days';
import { DataTableColumn } from './DataTable';
import { SourceMarker } from './sourceMarkers';

/** A break inside a chart's range, at `x` on the chart's axis. */
export interface PlacedBreak extends SeriesBreak {
  x: string;
}

/**
 * The breaks from the first to the last of `days` (the chart's rows), each at
 * the first day with data on or after it, so a break on a day without data
 * still gets its line; `axisKey` turns that day into the axis value (a week).
 */
export function placeBreaks(
  breaks: ReadonlyArray<SeriesBreak>,
  days: ReadonlyArray<string>,
  axisKey: (day: string) => string = day => day,
): PlacedBreak[] {
  const sorted = [...days].sort();
  if (sorted.length === 0) {
    return [];
  }
  return seriesBreaksBetween(breaks, sorted[0], sorted[sorted.length - 1]).map(
    b => ({ ...b, x: axisKey(sorted.find(day => day >= b.day)!) }),
  );
}

/** The ISO week of a day, the axis value of the weekly charts. */
export function weekOfDay(day: string): string {
  return isoWeek(day).week;
}

function who(b: SeriesBreak): string {
  return b.origin === 'github' ? 'GitHub change' : 'Event';
}

export function breakMarkers(
  placed: ReadonlyArray<PlacedBreak>,
  weekly = false,
): SourceMarker[] {
  return placed.map(b => ({
    x: b.x,
    label: b.label,
    description: `${weekly ? `in ${b.x} (on ${b.day})` : `on ${b.day}`}: ${who(b)}: ${b.label}`,
  }));
}

/** The table alternative's column: what is marked at each row. */
export function breaksColumn<T>(
  placed: ReadonlyArray<PlacedBreak>,
  axisKeyOf: (row: T) => string,
): DataTableColumn<T> {
  return {
    key: 'marked',
    label: 'Marked',
    value: row =>
      placed
        .filter(b => b.x === axisKeyOf(row))
        .map(b => `${b.day}: ${b.label}`)
        .join('; '),
  };
}

/** The notes of the marked breaks, under the chart. */
export function SeriesBreakNotes(props: {
  placed: ReadonlyArray<PlacedBreak>;
}) {
  const { placed } = props;
  if (placed.length === 0) {
    return null;
  }
  return (
    <Typography
      component="ul"
      variant="caption"
      color="textSecondary"
      data-testid="series-break-notes"
      style={{ margin: '4px 0 0', paddingLeft: 16 }}
    >
      {placed.map(b => (
        <li key={`${b.day} ${b.label}`}>
          <strong>
            {b.day} ({who(b)}): {b.label}.
          </strong>
          {b.note && ` ${b.note}`}
          {b.link && (
            <>
              {' '}
              <Link href={b.link} target="_blank" rel="noopener noreferrer">
                More about it
              </Link>
            </>
          )}
        </li>
      ))}
    </Typography>
  );
}
