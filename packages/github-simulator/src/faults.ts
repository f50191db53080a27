/*
 * Faults a test can inject to see how a client copes with GitHub and its
 * download host misbehaving. Each fault affects `times` matching requests
 * (default 1), except noData, which lasts until clearFaults().
 */

/** Report names as they appear in GitHub's paths (org and enterprise alike). */
export type ReportName =
  | 'organization-1-day'
  | 'enterprise-1-day'
  | 'users-1-day'
  | 'user-teams-1-day'
  | 'repos-1-day'
  | 'organization-28-day'
  | 'enterprise-28-day'
  | 'users-28-day';

interface FaultMatch {
  /** How many matching requests the fault affects; default 1. */
  times?: number;
  /** Only requests for this report. */
  report?: ReportName;
  /** Only requests for this day (for 28-day reports: the window's end day). */
  day?: string;
}

export type SimulatorFault =
  /** Answer with a server error: 'api' = report-link routes, 'download' = report files. */
  | ({
      kind: 'status';
      target: 'api' | 'download' | 'seats' | 'teams';
      status: 500 | 502 | 503;
    } & FaultMatch)
  /** Primary (403, x-ratelimit-remaining 0) or secondary (429) rate limit on any API route. */
  | ({
      kind: 'rateLimit';
      status: 429 | 403;
      retryAfterSeconds: number;
    } & FaultMatch)
  /** 204 for that day until clearFaults(). */
  | { kind: 'noData'; day: string; report?: ReportName }
  /** Report-link responses hand out links that have already expired (download answers 403). */
  | ({ kind: 'expiredLinks' } & FaultMatch)
  /**
   * The download stops halfway: Content-Length announces the full body and the
   * connection is cut. With atLineBoundary the cut falls right after a newline,
   * so only a client that checks the length notices.
   */
  | {
      kind: 'truncated';
      report: ReportName;
      day: string;
      atLineBoundary?: boolean;
      times?: number;
    }
  /** That line of the file (1-based, default 1) is broken JSON. */
  | {
      kind: 'malformed';
      report: ReportName;
      day: string;
      line?: number;
      times?: number;
    };

export type FaultKind = SimulatorFault['kind'];

type ActiveFault = { fault: SimulatorFault; remaining: number };

export class FaultList {
  private faults: ActiveFault[] = [];

  add(fault: SimulatorFault): void {
    const times =
      'times' in fault && fault.times !== undefined ? fault.times : 1;
    this.faults.push({ fault, remaining: times });
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * Finds the first fault of that kind matching the request and uses up one
   * of its `times`.
   */
  take<K extends FaultKind>(
    kind: K,
    request: { report?: string; day?: string },
    accept: (fault: Extract<SimulatorFault, { kind: K }>) => boolean = () =>
      true,
  ): Extract<SimulatorFault, { kind: K }> | undefined {
    for (const active of this.faults) {
      const fault = active.fault;
      if (fault.kind !== kind) continue;
      const match = fault as { report?: string; day?: string };
      if (match.report !== undefined && match.report !== request.report)
        continue;
      if (match.day !== undefined && match.day !== request.day) continue;
      const typed = fault as Extract<SimulatorFault, { kind: K }>;
      if (!accept(typed)) continue;
      if (fault.kind !== 'noData') {
        active.remaining--;
        if (active.remaining <= 0) {
          this.faults = this.faults.filter(f => f !== active);
        }
      }
      return typed;
    }
    return undefined;
  }
}
