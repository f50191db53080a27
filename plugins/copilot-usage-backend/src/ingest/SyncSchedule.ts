import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import { SyncRunner, SyncSummary } from './SyncRunner';

/** The scheduler task id; also usable from the scheduler's own HTTP endpoints. */
export const SYNC_TASK_ID = 'copilot-usage-sync';

/**
 * Puts the sync on the scheduler. The task is always `global`: the scheduler's
 * database lock lets one replica run it at a time, and "sync now" is a trigger of
 * that same task, so a manual sync can never overlap a scheduled one.
 */
export class SyncSchedule {
  readonly #scheduler: SchedulerService;

  private constructor(scheduler: SchedulerService) {
    this.#scheduler = scheduler;
  }

  static async start(options: {
    scheduler: SchedulerService;
    schedule: SchedulerServiceTaskScheduleDefinition;
    runner: SyncRunner;
    logger: LoggerService;
    /**
     * Runs after every sync, in the same task (so never beside another sync), e.g.
     * the S3 archive. Its failure is logged and never fails the sync.
     */
    afterRun?: (
      summary: SyncSummary,
      options: { signal: AbortSignal; logger: LoggerService },
    ) => Promise<void>;
  }): Promise<SyncSchedule> {
    const { scheduler, schedule, runner, logger, afterRun } = options;
    await scheduler.scheduleTask({
      ...schedule,
      scope: 'global',
      id: SYNC_TASK_ID,
      fn: async signal => {
        const summary = await runner.run({ signal, logger });
        for (const scope of summary.scopes) {
          logger.info(
            `Copilot usage sync ${scope.scope} finished: ${scope.stored.length} days stored, ` +
              `${scope.noData.length} without data, ${scope.failed.length} failed, ${scope.userRows} user rows`,
          );
        }
        if (afterRun && !signal.aborted) {
          try {
            await afterRun(summary, { signal, logger });
          } catch (error) {
            logger.error(
              `Copilot usage: the step after the sync failed: ${(error as Error).message}`,
            );
          }
        }
      },
    });
    return new SyncSchedule(scheduler);
  }

  /** Starts a sync now unless one is running (on any replica). */
  async trigger(): Promise<'started' | 'already-running'> {
    try {
      await this.#scheduler.triggerTask(SYNC_TASK_ID);
      return 'started';
    } catch (error) {
      if (isError(error) && error.name === ConflictError.name) {
        return 'already-running';
      }
      throw error;
    }
  }
}
