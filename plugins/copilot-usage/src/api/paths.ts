import { parseEntityRef } from '@backstage/catalog-model';
import {
  MetricsView,
  TeamOwner,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { DayRange } from './CopilotUsageApi';

/**
 * What a metrics route is about: a team (by Group entity ref), an org, the
 * enterprise, or the signed-in user.
 *
 * @public
 */
export type MetricsTarget =
  | { type: 'team'; entityRef: string }
  | { type: 'org'; org: string }
  | { type: 'enterprise'; enterprise: string }
  | { type: 'me' };

const segment = encodeURIComponent;

function query(
  range: DayRange | undefined,
  format?: 'csv',
  view?: MetricsView,
): string {
  const params = new URLSearchParams();
  if (range?.from) params.set('from', range.from);
  if (range?.to) params.set('to', range.to);
  if (format) params.set('format', format);
  if (view) params.set('view', view);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The route of a target's metrics, relative to the plugin's base URL. */
export function metricsPath(
  target: MetricsTarget,
  range?: DayRange,
  format?: 'csv',
  view?: MetricsView,
): string {
  const search = query(range, format, view);
  switch (target.type) {
    case 'team': {
      const { namespace, name } = parseEntityRef(target.entityRef, {
        defaultKind: 'group',
      });
      return `teams/${segment(namespace)}/${segment(name)}/metrics${search}`;
    }
    case 'org':
      return `orgs/${segment(target.org)}/metrics${search}`;
    case 'enterprise':
      return `enterprises/${segment(target.enterprise)}/metrics${search}`;
    default:
      return `me/metrics${search}`;
  }
}

/** The team comparison route of an org or of the enterprise, relative to the plugin's base URL. */
export function teamComparisonPath(
  owner: TeamOwner,
  range?: DayRange,
  format?: 'csv',
): string {
  const base = owner.kind === 'enterprise' ? 'enterprises' : 'orgs';
  return `${base}/${segment(owner.name)}/teams${query(range, format)}`;
}

/** The seat utilisation route of an org or of the enterprise, relative to the plugin's base URL. */
export function seatsPath(owner: TeamOwner): string {
  const base = owner.kind === 'enterprise' ? 'enterprises' : 'orgs';
  return `${base}/${segment(owner.name)}/seats`;
}

/** The route of the seats of an org or of the enterprise not used in 30 days, relative to the plugin's base URL. */
export function inactiveSeatsPath(owner: TeamOwner, format?: 'csv'): string {
  return `${seatsPath(owner)}/inactive${query(undefined, format)}`;
}

/**
 * The CSV route of a target's metrics: what the "Download CSV" buttons fetch.
 *
 * @public
 */
export function csvPath(target: MetricsTarget, range?: DayRange): string {
  return metricsPath(target, range, 'csv');
}

/** The department route of a Group (its subtree's rollup), relative to the plugin's base URL. */
export function departmentMetricsPath(
  entityRef: string,
  range?: DayRange,
): string {
  const { namespace, name } = parseEntityRef(entityRef, {
    defaultKind: 'group',
  });
  return `groups/${segment(namespace)}/${segment(name)}/metrics${query(range)}`;
}
