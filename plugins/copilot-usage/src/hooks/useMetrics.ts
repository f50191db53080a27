import { useApi } from '@backstage/core-plugin-api';
import { MetricsDocument } from '@copilot-usage/backstage-plugin-copilot-usage-common';
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
    const load = (r: Range) => {
      switch (target.type) {
        case 'team':
          return api.getTeamMetrics(target.entityRef, r);
        case 'org':
          return api.getOrgMetrics(target.org, r);
        default:
          return api.getEnterpriseMetrics(target.enterprise, r);
      }
    };
    const [current, previous] = await Promise.all([
      load(range),
      load(previousRange(range)).catch(() => undefined),
    ]);
    return { current, previous };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, targetKey, range.from, range.to]);
}
