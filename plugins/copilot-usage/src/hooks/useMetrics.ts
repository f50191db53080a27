import { useApi } from '@backstage/core-plugin-api';
import {
  MetricsDocument,
  MetricsView,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { copilotUsageApiRef } from '../api/CopilotUsageApi';
import { MetricsTarget } from '../api/paths';
import { Range, previousRange } from '../lib/days';

/** A team (by Group entity ref), an organization or the enterprise: a metrics target but the user. */
export type MetricsScopeTarget = Exclude<MetricsTarget, { type: 'me' }>;

export interface MetricsWithPrevious {
  current: MetricsDocument;
  /** The previous period of equal length; missing when it could not be loaded. */
  previous?: MetricsDocument;
}

/**
 * The metrics of a team or org for a range, together with the previous period
 * of equal length (for "change vs previous period"). Both are fetched at once;
 * a failure of the previous period only drops the comparison.
 */
export function useMetrics(target: MetricsScopeTarget, range: Range) {
  const api = useApi(copilotUsageApiRef);
  const targetKey = JSON.stringify(target);
  return useAsyncRetry(async (): Promise<MetricsWithPrevious> => {
    const load = (r: Range, view: MetricsView) => {
      switch (target.type) {
        case 'team':
          return api.getTeamMetrics(target.entityRef, r, { view });
        case 'org':
          return api.getOrgMetrics(target.org, r, { view });
        default:
          return api.getEnterpriseMetrics(target.enterprise, r, { view });
      }
    };
    // The previous period feeds the headline figures' changes only: its days and
    // totals, not its breakdowns and client versions.
    const [current, previous] = await Promise.all([
      load(range, 'full'),
      load(previousRange(range), 'headline').catch(() => undefined),
    ]);
    return { current, previous };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, targetKey, range.from, range.to]);
}
