import { ReferenceLine } from 'recharts';
import { isoWeek } from '../../lib/days';
import { SourceChange, sourceChangeLabel } from '../../lib/sources';

/** A marker where the series' source changes, at `x` on the chart's axis. */
export interface SourceMarker {
  x: string;
  label: string;
  /** For the chart's accessible name. */
  description: string;
}

export function dailyMarkers(changes: SourceChange[]): SourceMarker[] {
  return changes.map(change => ({
    x: change.day,
    label: sourceChangeLabel(change),
    description: `on ${change.day}: ${sourceChangeLabel(change)}`,
  }));
}

/** The weekly chart marks the week of each change (once per week). */
export function weeklyMarkers(changes: SourceChange[]): SourceMarker[] {
  const byWeek = new Map<string, SourceMarker>();
  for (const change of changes) {
    const { week } = isoWeek(change.day);
    if (!byWeek.has(week)) {
      byWeek.set(week, {
        x: week,
        label: sourceChangeLabel(change),
        description: `in ${week} (on ${change.day}): ${sourceChangeLabel(change)}`,
      });
    }
  }
  return [...byWeek.values()];
}

// recharts collects reference lines from anywhere in the chart's children.
export function referenceLines(markers: SourceMarker[], colour: string) {
  return markers.map(marker => (
    <ReferenceLine
      key={`${marker.x} ${marker.label}`}
      x={marker.x}
      stroke={colour}
      strokeDasharray="4 4"
      label={{
        value: marker.label,
        position: 'insideTopLeft',
        fontSize: 11,
        fill: colour,
      }}
    />
  ));
}
