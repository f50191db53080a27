/**
 * How the sync's units of work, the scheduler and `GET /status` agree on time.
 *
 * A sync runs as short units, one scheduler task run each. The scheduler's global lock
 * keeps two replicas from running units at once; it is freed when a unit returns or,
 * when the replica died, once the unit's timeout has passed (the scheduler's janitor
 * looks once a minute). A short timeout is what lets another replica resume within
 * minutes. While a unit works it writes a heartbeat to sync_state; a run with work
 * left and no fresh heartbeat was interrupted.
 */
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { SyncState } from '../store/types';
import type { SyncUnit } from './syncTypes';

/** Scheduler timeout of one unit: the longest a dead replica can hold the sync. */
export const UNIT_TIMEOUT: HumanDuration = { minutes: 5 };
/**
 * A unit starts no new day after this, which leaves the rest of its timeout for the
 * days in flight, the team rollups, the seats and the archive.
 */
export const UNIT_BUDGET_MS = 2 * 60_000;
/** How often the unit task runs (it returns at once when no sync is pending). */
export const UNIT_FREQUENCY: HumanDuration = { minutes: 1 };
export const HEARTBEAT_INTERVAL_MS = 20_000;
/** A heartbeat older than this means nobody works on the run any more. */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** The default scheduler's janitor frees expired locks once a minute. */
const JANITOR_INTERVAL_MS = 60_000;

export const UNIT_TIMEOUT_MS = durationToMilliseconds(UNIT_TIMEOUT);

export interface RunLiveness {
  /** A replica is working on the run (its heartbeat is fresh). */
  running: boolean;
  /** The run has work left that nobody is working on. */
  interrupted?: {
    /** The last sign of life of the replica that ran it. */
    since: string;
    /** When a unit will have picked the run up again, if a backend is running. */
    resumesBy: string;
  };
}

/** Whether a scope's run is being worked on, or was interrupted and when it resumes. */
export function runLiveness(
  state: SyncState | undefined,
  now: Date,
): RunLiveness {
  if (!state) {
    return { running: false };
  }
  const heartbeat = Date.parse(state.heartbeatAt ?? '');
  const running =
    state.running && now.getTime() - heartbeat < HEARTBEAT_STALE_MS;
  if (running || !state.pendingDays) {
    return { running };
  }
  // A unit that stopped cleanly released the lock; a dead one holds it until its lease
  // expires and the janitor notices. Then the unit task's next run resumes.
  const leaseEnd =
    Date.parse(state.leaseExpiresAt ?? '') || heartbeat || now.getTime();
  const freedAt = state.running ? leaseEnd + JANITOR_INTERVAL_MS : leaseEnd;
  const resumesBy =
    Math.max(freedAt, now.getTime()) + durationToMilliseconds(UNIT_FREQUENCY);
  return {
    running: false,
    interrupted: {
      since: state.heartbeatAt ?? state.lastRunStartedAt ?? now.toISOString(),
      resumesBy: new Date(resumesBy).toISOString(),
    },
  };
}

/**
 * Beats between day boundaries too: a long day must not look like a dead replica.
 * Writes the heartbeat of the scope the unit is on; returns the stop.
 */
export function beatWhileRunning(
  store: Pick<CopilotUsageStore, 'updateSyncState'>,
  unit: Pick<SyncUnit, 'beating' | 'logger'>,
  now: () => string,
): () => void {
  const timer = setInterval(() => {
    if (unit.beating) {
      store
        .updateSyncState(unit.beating, { heartbeatAt: now() })
        .catch(error =>
          unit.logger.warn(`Copilot usage sync heartbeat failed: ${error}`),
        );
    }
  }, HEARTBEAT_INTERVAL_MS);
  return () => clearInterval(timer);
}
