/** Why a report file could not be read. */

/** The file is not valid JSON records; `line` (and `record` for JSON arrays) say where. */
export class ReportFormatError extends Error {
  readonly name = 'ReportFormatError';
  constructor(
    message: string,
    readonly line: number,
    readonly record?: number,
  ) {
    super(message);
  }
}

/** The download ended early: connection cut, or fewer bytes than announced. */
export class TruncatedReportError extends Error {
  readonly name = 'TruncatedReportError';
}

/** The signed link expired (HTTP 403/410): ask GitHub for fresh links. */
export class ExpiredLinkError extends Error {
  readonly name = 'ExpiredLinkError';
}

/** The download host answered with an error status or could not be reached; worth another try. */
export class DownloadFailedError extends Error {
  readonly name = 'DownloadFailedError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The link points at a host that is not in `copilotUsage.download.allowedHosts`. */
export class DisallowedHostError extends Error {
  readonly name = 'DisallowedHostError';
}

/**
 * Whether a failed download may succeed with fresh links: an expired link, or a
 * download that could not connect or got a 5xx. Bad content and 4xx answers will not.
 */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof ExpiredLinkError ||
    (error instanceof DownloadFailedError &&
      (error.status === undefined || error.status >= 500))
  );
}

/** What to check when GitHub refuses a scope's credentials, per status. */
const ACCESS_HINTS: Record<
  number,
  (owner: string, enterprise: boolean) => string
> = {
  401: () =>
    'the credentials of integrations.github were refused (an expired or revoked token, or a wrong GitHub App key)',
  403: (owner, enterprise) =>
    enterprise
      ? `these credentials may not read the Copilot metrics of the enterprise '${owner}': a GitHub App needs its installation on the enterprise (not an organization's) with "Enterprise Copilot metrics: read"; a classic token needs manage_billing:copilot or read:enterprise and an enterprise owner or billing manager`
      : `these credentials may not read the Copilot metrics of the organization '${owner}': a GitHub App needs "Organization Copilot metrics: read" on its installation there; a classic token needs read:org or manage_billing:copilot and an organization owner`,
  404: (owner, enterprise) =>
    `GitHub knows no ${enterprise ? 'enterprise' : 'organization'} '${owner}' these credentials can see, or its Copilot usage metrics policy is off`,
};

/**
 * GitHub refused the request for the scope's credentials (401, 403 without a rate
 * limit, 404): shown in GET /status as it is, so it says what to check.
 */
export class GithubAccessError extends Error {
  readonly name = 'GithubAccessError';
  constructor(
    readonly status: number,
    route: string,
    githubMessage: string,
    owner: { kind: 'org' | 'enterprise'; name: string },
  ) {
    const hint = ACCESS_HINTS[status]?.(
      owner.name,
      owner.kind === 'enterprise',
    );
    super(
      `GitHub answered ${status} to ${route}: ${githubMessage}${hint ? `; ${hint}` : ''}`,
    );
  }
}
