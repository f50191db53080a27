import { useMemo, useState } from 'react';
import { MAX_RANGE_DAYS } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { Range, countDays, isIsoDay, lastDaysRange } from '../lib/days';

/** The ranges the picker offers, in days; "custom" takes explicit days. */
export const RANGE_PRESETS = [7, 28, 90, 365] as const;

export type DateRangeSelection =
  | { preset: (typeof RANGE_PRESETS)[number] }
  | { preset: 'custom'; from: string; to: string };

/** What is wrong with a custom range, in words for its form; `undefined` when it is valid. */
export function customRangeError(
  from: string,
  to: string,
  now: Date = new Date(),
): string | undefined {
  if (!isIsoDay(from) && !isIsoDay(to)) {
    return 'Enter the first and the last day of the period.';
  }
  if (!isIsoDay(from)) {
    return 'Enter the first day of the period ("From").';
  }
  if (!isIsoDay(to)) {
    return 'Enter the last day of the period ("To").';
  }
  if (from > to) {
    return `"From" (${from}) is after "To" (${to}): the first day must come first.`;
  }
  const days = countDays(from, to);
  if (days > MAX_RANGE_DAYS) {
    return `The period has ${days} days; choose at most ${MAX_RANGE_DAYS}.`;
  }
  const lastPublished = lastDaysRange(1, now).to;
  if (from > lastPublished) {
    return `GitHub has published data up to ${lastPublished} so far; choose a period that starts on or before it.`;
  }
  return undefined;
}

export function selectionToRange(
  selection: DateRangeSelection,
  now: Date = new Date(),
): Range {
  if (selection.preset === 'custom') {
    return { from: selection.from, to: selection.to };
  }
  return lastDaysRange(selection.preset, now);
}

/**
 * The selected range of a dashboard; the last 28 days by default. `range` is
 * `undefined` while a custom range is invalid (`error` says why), so nothing of
 * the previous range stays on screen as if it were the new one.
 */
export function useDateRange(initial: DateRangeSelection = { preset: 28 }) {
  const [selection, setSelection] = useState<DateRangeSelection>(initial);
  const error =
    selection.preset === 'custom'
      ? customRangeError(selection.from, selection.to)
      : undefined;
  const range = useMemo(
    () => (error ? undefined : selectionToRange(selection)),
    [selection, error],
  );
  return { selection, setSelection, range, error };
}
