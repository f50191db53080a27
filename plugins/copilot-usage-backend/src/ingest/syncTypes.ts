/* What a sync run is given and what it answers: the options, and the summaries of a unit. */
import { LoggerService } from '@backstage/backend-plugin-api';
import { CopilotUsageConfig } from '../config';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { ScopeKey } from '../lib/scope';
import { CopilotReportSource, ReportFileReader } from './ReportFetcher';

export interface SyncRunnerOptions {
  config: Pick<
    CopilotUsageConfig,
    | 'organizations'
    | 'enterprise'
    | 'backfillFrom'
    | 'backfillDays'
    | 'refreshDays'
    | 'concurrency'
  >;
  store: CopilotUsageStore;
  github: CopilotReportSource;
  reader: ReportFileReader;
  /** Current time (tests pin it). */
  clock?: () => Date;
  /** Rows per insert batch; default the day writer's DEFAULT_BATCH_SIZE. */
  batchSize?: number;
  /** How often one day asks for fresh links after an expired link or a failed download. Default 2. */
  maxLinkRefreshes?: number;
  /**
   * Why no unit may work now (e.g. a restore from the archive runs on some replica),
   * or undefined. Asked at the start of every unit; a unit that must wait does nothing
   * and leaves the sync pending.
   */
  waitFor?: () => Promise<string | undefined>;
  /** Runs at the start of every unit that may work, before it plans (the automatic restore). */
  beforeUnit?: (options: { logger: LoggerService }) => Promise<void>;
  /** Told what each unit did (the plugin's OpenTelemetry metrics). */
  observer?: SyncObserver;
}

/** What a sync reports as it goes; the telemetry implements it. */
export interface SyncObserver {
  /** One scope's share of a unit of work is over, after `durationMs`. */
  scopeUnitDone(summary: ScopeSyncSummary, durationMs: number): void;
}

export interface ScopeSyncSummary {
  scope: ScopeKey;
  /** Days this unit fetched, of the run's missing, refresh and re-checked days. */
  days: string[];
  stored: string[];
  /** Days whose reports all answered 204 (a day with some data counts as stored). */
  noData: string[];
  failed: { day: string; error: string }[];
  userRows: number;
  /** Seat holders in the snapshot, or the error; undefined for unfinished runs. */
  seats?: number | { error: string };
  /** The unit stopped on its signal; the days it did not finish stay pending. */
  aborted: boolean;
  /** The scope's run is over; false when the next unit carries on. */
  finished: boolean;
  /** Set when the scope's sync stopped on an error beyond single days. */
  error?: string;
}

export interface SyncSummary {
  scopes: ScopeSyncSummary[];
  /** A sync is still to do: a unit ran out of time or was stopped, or one was asked for meanwhile. */
  pending: boolean;
}

export interface SyncUnitOptions {
  signal?: AbortSignal;
  logger: LoggerService;
  /** Start no new day after this many ms (at least one day per unit). Default: no limit. */
  budgetMs?: number;
  /** When the scheduler lock of this unit expires, in ms from now; recorded for `/status`. */
  leaseMs?: number;
}

/** What one unit of work shares between its scopes. */
export interface SyncUnit {
  signal?: AbortSignal;
  logger: LoggerService;
  leaseExpiresAt: string | null;
  mayStartDay: () => boolean;
  daysStarted: number;
  /** The scope the heartbeat is written for. */
  beating?: ScopeKey;
}
