import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  COPILOT_USAGE_PLUGIN_ID,
  DepartmentDocument,
  InactiveSeatsResponse,
  MetricsDocument,
  MetricsView,
  SeatUtilisation,
  SyncStatus,
  TeamComparisonResponse,
  TeamListResponse,
  UserMetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import type {
  RepositoryMetricsResponse,
  RepositoryTableResponse,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  groupRepositoriesPath,
  orgRepositoriesPath,
  repositoryMetricsPath,
} from './repositoryPaths';
import {
  CopilotUsageApi,
  DayRange,
  SyncTriggerOutcome,
} from './CopilotUsageApi';
import {
  FALLBACK_CSV_FILE_NAME,
  fileNameFromContentDisposition,
} from './contentDisposition';
import {
  departmentMetricsPath,
  inactiveSeatsPath,
  metricsPath,
  seatsPath,
  teamComparisonPath,
} from './paths';

/**
 * The {@link CopilotUsageApi} over HTTP. `fetchApi` adds the signed-in user's
 * Backstage token, which the backend's permission checks rely on.
 *
 * @public
 */
export class CopilotUsageClient implements CopilotUsageApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  listTeams(): Promise<TeamListResponse> {
    return this.getJson('teams');
  }

  getTeamMetrics(
    entityRef: string,
    range?: DayRange,
    options?: { view?: MetricsView },
  ): Promise<MetricsDocument> {
    return this.getJson(
      metricsPath({ type: 'team', entityRef }, range, undefined, options?.view),
    );
  }

  getDepartmentMetrics(
    entityRef: string,
    range?: DayRange,
  ): Promise<DepartmentDocument> {
    return this.getJson(departmentMetricsPath(entityRef, range));
  }

  getOrgMetrics(
    org: string,
    range?: DayRange,
    options?: { view?: MetricsView },
  ): Promise<MetricsDocument> {
    return this.getJson(
      metricsPath({ type: 'org', org }, range, undefined, options?.view),
    );
  }

  getEnterpriseMetrics(
    enterprise: string,
    range?: DayRange,
    options?: { view?: MetricsView },
  ): Promise<MetricsDocument> {
    return this.getJson(
      metricsPath(
        { type: 'enterprise', enterprise },
        range,
        undefined,
        options?.view,
      ),
    );
  }

  getTeamComparison(
    org: string,
    range?: DayRange,
  ): Promise<TeamComparisonResponse> {
    return this.getJson(teamComparisonPath({ kind: 'org', name: org }, range));
  }

  getEnterpriseTeamComparison(
    enterprise: string,
    range?: DayRange,
  ): Promise<TeamComparisonResponse> {
    return this.getJson(
      teamComparisonPath({ kind: 'enterprise', name: enterprise }, range),
    );
  }

  getSeats(org: string): Promise<SeatUtilisation> {
    return this.getJson(seatsPath({ kind: 'org', name: org }));
  }

  getInactiveSeats(org: string): Promise<InactiveSeatsResponse> {
    return this.getJson(inactiveSeatsPath({ kind: 'org', name: org }));
  }

  getEnterpriseSeats(enterprise: string): Promise<SeatUtilisation> {
    return this.getJson(seatsPath({ kind: 'enterprise', name: enterprise }));
  }

  getEnterpriseInactiveSeats(
    enterprise: string,
  ): Promise<InactiveSeatsResponse> {
    return this.getJson(
      inactiveSeatsPath({ kind: 'enterprise', name: enterprise }),
    );
  }

  getSyncStatus(): Promise<SyncStatus> {
    return this.getJson('status');
  }

  async triggerSync(): Promise<SyncTriggerOutcome> {
    const response = await this.request('sync', { method: 'POST' });
    if (response.status === 409) {
      return 'already-running';
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return 'started';
  }

  getMyMetrics(range?: DayRange): Promise<UserMetricsDocument> {
    return this.getJson(metricsPath({ type: 'me' }, range));
  }

  async getCsv(path: string): Promise<{ text: string; fileName: string }> {
    const response = await this.getOk(path);
    return {
      text: await response.text(),
      fileName:
        fileNameFromContentDisposition(
          response.headers.get('content-disposition'),
        ) ?? FALLBACK_CSV_FILE_NAME,
    };
  }

  getRepositoryMetrics(
    slug: string,
    range?: DayRange,
  ): Promise<RepositoryMetricsResponse> {
    return this.getJson(repositoryMetricsPath(slug, range));
  }

  getOrgRepositories(
    org: string,
    range?: DayRange,
  ): Promise<RepositoryTableResponse> {
    return this.getJson(orgRepositoriesPath(org, range));
  }

  getGroupRepositories(
    entityRef: string,
    range?: DayRange,
  ): Promise<RepositoryTableResponse> {
    return this.getJson(groupRepositoriesPath(entityRef, range));
  }

  private async getJson<T>(path: string): Promise<T> {
    return (await (await this.getOk(path)).json()) as T;
  }

  /** A GET that throws a `ResponseError` on an error status. */
  private async getOk(path: string): Promise<Response> {
    const response = await this.request(path);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(COPILOT_USAGE_PLUGIN_ID);
    return this.fetchApi.fetch(`${baseUrl}/${path.replace(/^\/+/, '')}`, init);
  }
}
