import {
  LifecycleService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import { SyncRunner } from './SyncRunner';
import { SyncSummary } from './syncTypes';
import {
  UNIT_BUDGET_MS,
  UNIT_FREQUENCY,
  UNIT_TIMEOUT,
  UNIT_TIMEOUT_MS,
} from './syncLease';

/** The task that starts a sync, on the configured schedule; also usable from the scheduler's own HTTP endpoints. */
export const SYNC_TASK_ID = 'copilot-usage-sync';
/** The task that does the work, one unit of a few minutes at a time. */
export const SYNC_UNIT_TASK_ID = 'copilot-usage-sync-unit';
/** How long a stopping backend waits for its unit to reach a day boundary and release the lock. */
const STOP_GRACE_MS = 15_000;
const WAKE_ATTEMPTS = 10;
const WAKE_RETRY_MS = 100;

/**
 * Puts the sync on the scheduler as two `global` tasks. The configured schedule only
 * asks for a sync; the unit task, every minute, does a few minutes of work on a sync
 * that is pending and returns. The scheduler's database lock lets one replica run a
 * unit at a time, and its short timeout means a replica that dies mid-sync blocks
 * the others for minutes, not for the configured timeout. On shutdown the running
 * unit stops at a day boundary and releases the lock before the database closes.
 */
export class SyncSchedule {
  readonly #scheduler: SchedulerService;
  readonly #runner: SyncRunner;
  readonly #stopping = new AbortController();
  /** The unit running on this replica, if any. */
  #unit?: Promise<unknown>;

  private constructor(scheduler: SchedulerService, runner: SyncRunner) {
    this.#scheduler = scheduler;
    this.#runner = runner;
  }

  static async start(options: {
    scheduler: SchedulerService;
    schedule: SchedulerServiceTaskScheduleDefinition;
    runner: SyncRunner;
    logger: LoggerService;
    /** Runs stop() before the database closes, when given. */
    lifecycle?: LifecycleService;
    /**
     * Runs after every sync, in the unit that finished it (so never beside another
     * unit), e.g. the S3 archive. Its failure is logged and never fails the sync.
     */
    afterRun?: (
      summary: SyncSummary,
      options: { signal: AbortSignal; logger: LoggerService },
    ) => Promise<void>;
  }): Promise<SyncSchedule> {
    const { scheduler, schedule, runner, logger, afterRun } = options;
    const sync = new SyncSchedule(scheduler, runner);
    const signal = sync.#stopping.signal;
    await scheduler.scheduleTask({
      ...schedule,
      scope: 'global',
      id: SYNC_TASK_ID,
      signal,
      fn: async () => {
        await runner.requestRun();
        await sync.#wakeUnits();
      },
    });
    await scheduler.scheduleTask({
      id: SYNC_UNIT_TASK_ID,
      scope: 'global',
      frequency: UNIT_FREQUENCY,
      timeout: UNIT_TIMEOUT,
      initialDelay: schedule.initialDelay,
      signal,
      fn: async unitSignal => {
        const unit = runner.runUnit({
          signal: unitSignal,
          logger,
          budgetMs: UNIT_BUDGET_MS,
          leaseMs: UNIT_TIMEOUT_MS,
        });
        sync.#unit = unit.catch(() => {});
        try {
          const summary = await unit;
          const finished = summary.scopes.some(scope => scope.finished);
          if (afterRun && finished && !summary.pending && !unitSignal.aborted) {
            await afterRun(summary, { signal: unitSignal, logger }).catch(
              error =>
                logger.error(
                  `Copilot usage: the step after the sync failed: ${(error as Error).message}`,
                ),
            );
          }
        } finally {
          sync.#unit = undefined;
        }
      },
    });
    options.lifecycle?.addShutdownHook(() => sync.stop());
    return sync;
  }

  /** Starts a sync now unless one is running (on any replica). */
  async trigger(): Promise<'started' | 'already-running'> {
    const waiting = await this.#runner.waitingFor();
    if (waiting) {
      throw new ConflictError(`Cannot start a sync now: ${waiting}`);
    }
    if (await this.#runner.isRunning()) {
      return 'already-running';
    }
    // An interrupted run is resumed rather than started again.
    await this.#runner.requestRun();
    await this.#wakeUnits();
    return 'started';
  }

  /**
   * Stops this replica's share of the sync: no more units here, and the running unit
   * stops at a day boundary, marks the run not running and returns, which releases
   * the scheduler's lock. Waits (boundedly) until the lock is free, as the database
   * closes right after the plugins' shutdown hooks.
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    const unit = this.#unit;
    if (!unit) {
      return;
    }
    const deadline = Date.now() + STOP_GRACE_MS;
    await Promise.race([unit, sleep(STOP_GRACE_MS)]);
    // A trigger succeeds once the lock is free, and hands the run to another replica.
    while (Date.now() < deadline) {
      try {
        await this.#scheduler.triggerTask(SYNC_UNIT_TASK_ID);
        return;
      } catch (error) {
        if (!isConflict(error)) return;
        await sleep(50);
      }
    }
  }

  /**
   * Runs a unit now. A conflict means a unit holds the lock: most often an idle one
   * about to return, so try again briefly; else the next unit picks the sync up.
   */
  async #wakeUnits(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#scheduler.triggerTask(SYNC_UNIT_TASK_ID);
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
        if (attempt === WAKE_ATTEMPTS) return;
        await sleep(WAKE_RETRY_MS);
      }
    }
  }
}

function isConflict(error: unknown): boolean {
  return isError(error) && error.name === ConflictError.name;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref?.());
}
