/*
 * Sync, archive and restore status, and the sync trigger.
 */
import type { RestoreResponse } from './adminActions';
import type { IsoDay } from './metricsDocument';

/**
 * A failed report download or ingestion, from the ingestion log.
 *
 * @public
 */
export interface SyncFailure {
  day: IsoDay;
  report: string;
  error: string;
  at: string;
}

/**
 * The sync's state for one scope (an org or the enterprise).
 *
 * @public
 */
export interface ScopeSyncStatus {
  /** `org:<name>` or `enterprise:<name>`. */
  scope: string;
  /**
   * A backend is working on a sync of this scope now (its heartbeat is fresh). A
   * backend that crashed or stopped mid-sync leaves `interrupted` instead.
   */
  running: boolean;
  /**
   * Set when a sync has days left that no backend is working on (a backend crashed
   * or stopped mid-run). `progress` tells how far it got; the next unit of work
   * resumes it.
   */
  interrupted?: SyncInterruption;
  lastRunStartedAt: string | null;
  lastRunFinishedAt: string | null;
  /** Progress of the current (or last) run. */
  progress: SyncProgress;
  lastError: string | null;
  /** First day the ingestion log knows of. */
  firstDay: IsoDay | null;
  /** The last day whose three reports are stored completely (with data or not). */
  lastCompleteDay: IsoDay | null;
  /** Days from `firstDay` to the last day GitHub publishes that are stored completely with data. */
  daysComplete: number;
  /** Days with a stored organization aggregate. */
  daysWithData: number;
  /**
   * Days from `firstDay` to the last day GitHub publishes for which GitHub answered
   * "no data" (204). The sync asks for them again: daily in the week after the day,
   * weekly after, while GitHub still holds the day.
   */
  daysNoData: number;
  /** Days from `firstDay` to the last day GitHub publishes that are not stored completely. */
  daysMissing: number;
  /** The most recent failures, newest first (at most 20). */
  recentFailures: SyncFailure[];
  /** The S3 archive step for this scope; absent when no archive is configured or it never ran. */
  archive?: ArchiveStatus;
}

/**
 * How far the current (or last) run of a scope got ({@link ScopeSyncStatus.progress}).
 *
 * @public
 */
export interface SyncProgress {
  daysDone: number;
  daysTotal: number;
  /**
   * The run has days left that were never stored (a first backfill, a longer
   * `backfillDays`, days missed while the backend was down); absent otherwise.
   */
  backfilling?: boolean;
  /**
   * While the run has days left: about how many minutes it still needs, at the pace
   * of its last stored days; absent until that pace is known.
   */
  minutesLeft?: number;
}

/**
 * A sync that stopped before its last day (see {@link ScopeSyncStatus.interrupted}).
 *
 * @public
 */
export interface SyncInterruption {
  /** The last sign of life of the backend that ran it. */
  since: string;
  /** When a backend will have resumed it (if one is running). */
  resumesBy: string;
}

/**
 * Outcome of the S3 archive step for one scope.
 *
 * @public
 */
export interface ArchiveStatus {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  /** Why the last archive step failed (e.g. an unreachable bucket); `null` after a success. */
  lastError: string | null;
  /** Stored days not yet in the archive (or changed since); written on the next run. */
  daysPending: number;
  /** Imported files not yet copied to the archive (its bucket was down); retried on the next run. */
  importsPending: number;
}

/**
 * The restore from the archive (`GET /status`, when an archive is configured).
 *
 * @public
 */
export interface RestoreStatus {
  /** A restore runs now (on any backend); the sync waits for it. */
  running: boolean;
  /**
   * The database holds no day: the next unit of the sync restores from the archive
   * (when it holds data) before it fetches anything from GitHub.
   */
  databaseEmpty: boolean;
  /** Who started the last (or running) restore: an admin or the sync on an empty database. */
  trigger: 'admin' | 'automatic' | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the last restore failed; null after a success. */
  lastError: string | null;
  /** What the last restore that succeeded brought back. */
  lastRestore: RestoreResponse | null;
}

/**
 * Response of `GET /status`.
 *
 * @public
 */
export interface SyncStatus {
  scopes: ScopeSyncStatus[];
  /** The restore from the archive; absent when no archive is configured. */
  restore?: RestoreStatus;
}

/**
 * Response of `POST /sync` (202). A sync that is already running answers 409.
 *
 * @public
 */
export interface SyncTriggerResponse {
  status: 'started';
}

/**
 * Response of `GET /health`.
 *
 * @public
 */
export interface HealthResponse {
  status: 'ok';
}
