import { useMemo, useState } from 'react';
import { Range, lastDaysRange } from '../lib/days';

/** The ranges the picker offers, in days; "custom" takes explicit days. */
export const RANGE_PRESETS = [7, 28, 90, 365] as const;

export type DateRangeSelection =
  | { preset: (typeof RANGE_PRESETS)[number] }
  | { preset: 'custom'; from: string; to: string };

export function selectionToRange(
  selection: DateRangeSelection,
  now: Date = new Date(),
): Range {
  if (selection.preset === 'custom') {
    return { from: selection.from, to: selection.to };
  }
  return lastDaysRange(selection.preset, now);
}

/** The selected range of a dashboard; the last 28 days by default. */
export function useDateRange(initial: DateRangeSelection = { preset: 28 }) {
  const [selection, setSelection] = useState<DateRangeSelection>(initial);
  const range = useMemo(() => selectionToRange(selection), [selection]);
  return { selection, setSelection, range };
}
