import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import { AnyReportKind as ReportKind, Scope } from '../lib/scope';
import { EnterpriseInstallationTokens } from './EnterpriseInstallationTokens';
import { GithubAccessError } from './errors';

const API_VERSION = '2022-11-28';
const SEATS_PER_PAGE = 100;
/**
 * Seat pages asked for at once when the last page is known. Octokit's throttling and
 * retry plugins add about 15 ms to every request (their queues wait on timers; a bare
 * request for a page took 4 ms), so 10,000 seats took 2.5 s a page at a time.
 */
const SEAT_PAGES_IN_FLIGHT = 4;

const ThrottledOctokit = Octokit.plugin(throttling, retry);

/** What a report endpoint answered for one day. */
export type ReportLinks =
  | { status: 'ok'; links: string[] }
  /** 204: GitHub has no data for that day. */
  | { status: 'no_data' };

/** A seat object as GitHub returns it (`copilot-seat-details`); kept open. */
export type RawSeat = Record<string, unknown>;

export interface GithubCopilotClientOptions {
  /** API base URL, e.g. https://api.github.com or the simulator's URL. */
  baseUrl: string;
  /** Auth headers for a scope; `undefined` sends unauthenticated requests. */
  getAuthHeaders(scope: Scope): Promise<Record<string, string> | undefined>;
  logger?: LoggerService;
  /** Retries of one request after a 5xx, a network error or a rate limit. Default 3. */
  retries?: number;
  /**
   * Longest rate-limit wait honoured, in seconds; a longer `retry-after` or reset
   * gives up instead (the day is retried on the next run). Default 900.
   */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per second of wait. Tests shrink it so they never sleep for real. Default 1000. */
  msPerSecond?: number;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

/**
 * Talks to the GitHub REST API (or a GitHub-compatible server such as the simulator)
 * for the Copilot usage report links and the seat list.
 *
 * Rate limits are handled by octokit's throttling plugin (primary and secondary limits as
 * GitHub signals them) plus a fallback for 403/429 answers that carry `retry-after` in a
 * shape the plugin does not recognise; 5xx and network errors by the retry plugin.
 */
export class GithubCopilotClient {
  readonly #octokit: InstanceType<typeof ThrottledOctokit>;
  readonly #options: GithubCopilotClientOptions;
  readonly #retries: number;
  readonly #maxWaitSeconds: number;
  readonly #msPerSecond: number;

  /**
   * Builds a client from `integrations.github` (token or GitHub App) for `githubHost`.
   */
  static fromConfig(
    config: Config,
    options: { githubHost: string; logger?: LoggerService } & Partial<
      Omit<GithubCopilotClientOptions, 'baseUrl' | 'getAuthHeaders'>
    >,
  ): GithubCopilotClient {
    const integrations = ScmIntegrations.fromConfig(config);
    const integration = integrations.github.byHost(options.githubHost);
    if (!integration) {
      throw new Error(
        `No integrations.github entry for host '${options.githubHost}' (copilotUsage.githubHost)`,
      );
    }
    const credentials =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    const host = options.githubHost;
    const baseUrl = integration.config.apiBaseUrl ?? `https://${host}/api/v3`;
    const apps = integration.config.apps ?? [];
    const enterpriseTokens =
      apps.length > 0
        ? new EnterpriseInstallationTokens({
            apps,
            baseUrl,
            fetch: options.fetch,
          })
        : undefined;
    return new GithubCopilotClient({
      ...options,
      baseUrl,
      getAuthHeaders: async scope =>
        scope.kind === 'enterprise' && enterpriseTokens
          ? enterpriseTokens.headers(scope.name)
          : // A token, or the App's installation on the org named in the URL.
            (
              await credentials.getCredentials({
                url: `https://${host}/${scope.name}`,
              })
            ).headers,
    });
  }

  constructor(options: GithubCopilotClientOptions) {
    this.#options = options;
    this.#retries = options.retries ?? 3;
    this.#maxWaitSeconds = options.maxRateLimitWaitSeconds ?? 900;
    this.#msPerSecond = options.msPerSecond ?? 1000;
    const shouldWait =
      (kind: string) =>
      (
        retryAfter: number,
        requestOptions: any,
        _octokit: unknown,
        retryCount: number,
      ) => {
        const willRetry =
          retryCount < this.#retries && retryAfter <= this.#maxWaitSeconds;
        this.#options.logger?.warn(
          `GitHub ${kind} rate limit on ${requestOptions.method} ${requestOptions.url}: ${willRetry ? `retrying in ${retryAfter}s` : 'giving up'}`,
        );
        return willRetry;
      };
    this.#octokit = new ThrottledOctokit({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      request: { fetch: options.fetch ?? fetch },
      log: {
        debug: () => {},
        info: () => {},
        warn: (message: string) => options.logger?.warn(message),
        error: (message: string) => options.logger?.error(message),
      },
      throttle: {
        retryAfterBaseValue: this.#msPerSecond,
        onRateLimit: shouldWait('primary'),
        onSecondaryRateLimit: shouldWait('secondary'),
      },
      retry: {
        retries: this.#retries,
        retryAfterBaseValue: this.#msPerSecond,
        // 403/429 are rate limits (handled above), the rest will not get better by retrying.
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      },
    });
  }

  /** The download links of one 1-day report, or `no_data` when GitHub answers 204. */
  async getReportLinks(
    scope: Scope,
    report: ReportKind,
    day: string,
  ): Promise<ReportLinks> {
    const response = await this.#request(
      scope,
      `GET ${reportPath(scope, report)}`,
      { day },
    );
    if (response.status === 204) {
      return { status: 'no_data' };
    }
    const links = (response.data as { download_links?: unknown })
      ?.download_links;
    if (!Array.isArray(links) || links.some(link => typeof link !== 'string')) {
      throw new Error(
        `GitHub answered ${reportPath(scope, report)}?day=${day} without a download_links array`,
      );
    }
    return { status: 'ok', links };
  }

  /**
   * Every Copilot seat of the scope, page by page in order. When the first page's
   * `Link` names the last page, the pages after it are asked for
   * {@link SEAT_PAGES_IN_FLIGHT} at a time; otherwise each `rel="next"` page is
   * asked for before the current page's seats are handed on.
   */
  async *listSeats(scope: Scope): AsyncGenerator<RawSeat> {
    const first = `${ownerPath(scope)}/copilot/billing/seats?per_page=${SEATS_PER_PAGE}`;
    const inFlight = [{ url: first, answer: this.#seatPage(scope, first) }];
    // Once an answer names the last page: the pages not yet asked for.
    let planned: string[] | undefined;
    while (inFlight.length > 0) {
      const { url, answer } = inFlight.shift()!;
      const response = await answer;
      const seats = (response.data as { seats?: unknown })?.seats;
      if (!Array.isArray(seats)) {
        throw new Error(`GitHub answered ${url} without a seats array`);
      }
      if (!planned) {
        const next = this.#onApiHost(nextLink(response.headers.link));
        const pages = next
          ? pagesUpTo(next, lastLink(response.headers.link))
          : [];
        if (pages.length > 0) planned = pages;
        else if (next) {
          inFlight.push({ url: next, answer: this.#seatPage(scope, next) });
        }
      }
      while (planned?.length && inFlight.length < SEAT_PAGES_IN_FLIGHT) {
        const page = planned.shift()!;
        inFlight.push({ url: page, answer: this.#seatPage(scope, page) });
      }
      yield* seats as RawSeat[];
    }
  }

  #seatPage(scope: Scope, url: string) {
    const page = this.#request(scope, `GET ${url}`, {});
    // Awaited by the loop; a reader that stops early leaves it unawaited, not unhandled.
    page.catch(() => {});
    return page;
  }

  /** `url` when it is on the API host: the next page gets our credentials. */
  #onApiHost(url: string | undefined): string | undefined {
    if (
      url &&
      new URL(url, this.#options.baseUrl).origin !==
        new URL(this.#options.baseUrl).origin
    ) {
      throw new Error(
        `GitHub seat pagination pointed at another host: ${new URL(url).host}`,
      );
    }
    return url;
  }

  async #request(scope: Scope, route: string, params: Record<string, unknown>) {
    const authHeaders = await this.#options.getAuthHeaders(scope);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#octokit.request(route, {
          ...params,
          headers: {
            ...lowerCaseKeys(authHeaders),
            'x-github-api-version': API_VERSION,
          },
        });
      } catch (error) {
        const waitSeconds = unhandledRateLimitWait(error);
        if (
          waitSeconds === undefined ||
          attempt >= this.#retries ||
          waitSeconds > this.#maxWaitSeconds
        ) {
          throw isAccessRefusal(error)
            ? new GithubAccessError(
                error.status,
                route,
                (error.response?.data as { message?: string })?.message ??
                  error.message,
                scope,
              )
            : error;
        }
        this.#options.logger?.warn(
          `GitHub rate limit (${(error as RequestError).status}) on ${route}: retrying in ${waitSeconds}s`,
        );
        await new Promise(resolve =>
          setTimeout(resolve, waitSeconds * this.#msPerSecond),
        );
      }
    }
  }
}

/**
 * GitHub's name of a report, in the API path and the archive layout: the aggregate
 * is named after the kind of scope, the per-user reports are the same for both.
 */
export function reportName(scope: Scope, report: ReportKind): string {
  const owner = scope.kind === 'org' ? 'organization' : 'enterprise';
  return `${report === 'aggregate' ? owner : report}-1-day`;
}

function ownerPath(scope: Scope): string {
  const owners = scope.kind === 'org' ? 'orgs' : 'enterprises';
  return `/${owners}/${encodeURIComponent(scope.name)}`;
}

function reportPath(scope: Scope, report: ReportKind): string {
  return `${ownerPath(scope)}/copilot/metrics/reports/${reportName(scope, report)}`;
}

function lowerCaseKeys(headers: Record<string, string> | undefined) {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([key, value]) => [
      key.toLowerCase(),
      value,
    ]),
  );
}

function nextLink(link: string | undefined): string | undefined {
  return link?.match(/<([^>]+)>\s*;\s*rel="?next"?/)?.[1];
}

function lastLink(link: string | undefined): string | undefined {
  return link?.match(/<([^>]+)>\s*;\s*rel="?last"?/)?.[1];
}

/**
 * The URLs of the pages from `next` to `last`, `next`'s with only its `page` changed;
 * none when the two do not differ by their page number alone.
 */
function pagesUpTo(next: string, last: string | undefined): string[] {
  if (!last) return [];
  const nextUrl = new URL(next);
  const lastUrl = new URL(last);
  const from = Number(nextUrl.searchParams.get('page'));
  const to = Number(lastUrl.searchParams.get('page'));
  lastUrl.searchParams.set('page', String(from));
  if (
    !Number.isInteger(from) ||
    !Number.isInteger(to) ||
    from < 1 ||
    to < from ||
    lastUrl.href !== nextUrl.href
  ) {
    return [];
  }
  return Array.from({ length: to - from + 1 }, (_, i) => {
    nextUrl.searchParams.set('page', String(from + i));
    return nextUrl.href;
  });
}

/** 401, 404, or a 403 that is not a rate limit: the credentials, not the moment. */
function isAccessRefusal(error: unknown): error is RequestError {
  if (!(error instanceof RequestError)) return false;
  if (error.status === 401 || error.status === 404) return true;
  const headers = error.response?.headers ?? {};
  return (
    error.status === 403 &&
    headers['x-ratelimit-remaining'] !== '0' &&
    headers['retry-after'] === undefined &&
    !/\brate limit\b/i.test(error.message)
  );
}

/**
 * Seconds to wait for a 403/429 that asks to wait but that the throttling plugin did not
 * handle (it only recognises GitHub's exact "secondary rate" message or
 * `x-ratelimit-remaining: 0`). Undefined when the error is not such a rate limit.
 */
function unhandledRateLimitWait(error: unknown): number | undefined {
  if (
    !(error instanceof RequestError) ||
    (error.status !== 403 && error.status !== 429)
  ) {
    return undefined;
  }
  const headers = error.response?.headers ?? {};
  if (
    /\bsecondary rate\b/i.test(error.message) ||
    headers['x-ratelimit-remaining'] === '0'
  ) {
    return undefined; // the throttling plugin already decided
  }
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) {
    return Math.max(retryAfter, 0);
  }
  if (error.status === 429) {
    return 60; // GitHub: "otherwise wait at least one minute"
  }
  return undefined; // a plain 403 is a permission problem
}
