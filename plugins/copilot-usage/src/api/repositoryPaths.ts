/* The repository routes, relative to the plugin's base URL. */
import { parseEntityRef } from '@backstage/catalog-model';
import { DayRange } from './CopilotUsageApi';

const segment = encodeURIComponent;

function query(range: DayRange | undefined): string {
  const params = new URLSearchParams();
  if (range?.from) params.set('from', range.from);
  if (range?.to) params.set('to', range.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `GET /repositories/:owner/:repo/metrics` of `owner/repo`. */
export function repositoryMetricsPath(slug: string, range?: DayRange): string {
  const [owner = '', repo = ''] = slug.trim().split('/');
  return `repositories/${segment(owner)}/${segment(repo)}/metrics${query(range)}`;
}

/** `GET /orgs/:org/repositories`. */
export function orgRepositoriesPath(org: string, range?: DayRange): string {
  return `orgs/${segment(org)}/repositories${query(range)}`;
}

/** `GET /groups/:namespace/:name/repositories` of a Group. */
export function groupRepositoriesPath(
  entityRef: string,
  range?: DayRange,
): string {
  const { namespace, name } = parseEntityRef(entityRef, {
    defaultKind: 'group',
  });
  return `groups/${segment(namespace)}/${segment(name)}/repositories${query(range)}`;
}
