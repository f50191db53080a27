import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  GITHUB_SERIES_BREAKS,
  mergeSeriesBreaks,
  readSeriesEventsConfig,
  SERIES_EVENTS_CONFIG_KEY,
  SeriesBreaksConfigResult,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { useMemo } from 'react';

/**
 * GitHub's breaks in the series and the adopter's own events
 * (`copilotUsage.seriesEvents`), in day order, with one sentence per config
 * entry left out. The raw value is read so a bad entry is named, not thrown
 * (which would take the charts down) nor dropped unseen.
 */
export function useSeriesBreaks(): SeriesBreaksConfigResult {
  const config = useApi(configApiRef);
  const value = config.getOptional(SERIES_EVENTS_CONFIG_KEY);
  // Config does not change while the app runs; the key keeps the result stable.
  const key = JSON.stringify(value ?? null);
  return useMemo(() => {
    const adopter = readSeriesEventsConfig(JSON.parse(key));
    return {
      breaks: mergeSeriesBreaks(GITHUB_SERIES_BREAKS, adopter.breaks),
      problems: adopter.problems,
    };
  }, [key]);
}
