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
