import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SyncStatus } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { STALE_AFTER_DAYS, daysBehindToday } from '../lib/days';
import { ScopeSyncSummary } from '../ingest/syncTypes';

/** What can go wrong with a scope, each its own incident. */
export type SyncIncidentKind =
  'sync-failing' | 'data-stale' | 'archive-unreachable';

/** Runs of a scope that must fail in a row before admins hear of it. */
export const FAILED_RUNS_BEFORE_ALERT = 2;

/** Incidents and failure streaks are kept this long (ms) without news. */
const STATE_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** Where the notifications point: the org overview's Sync status tab. */
export const SYNC_STATUS_LINK = '/copilot-usage#sync';

export interface SyncAlertsOptions {
  notifications: Pick<NotificationService, 'send'>;
  /** Remembers streaks and open incidents (shared by replicas when the cache is). */
  cache: CacheService;
  /** The sync status (SyncStatusReport.get). */
  status: () => Promise<SyncStatus>;
  /** The Groups told (`copilotUsage.adminGroups`). */
  adminGroups: string[];
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Tells the admin Groups, through Backstage notifications, when a scope's sync
 * fails twice in a row, its data is more than 4 days behind or its archive bucket
 * is unreachable: once when the incident opens, once when it is resolved. The
 * notification's `scope` is the incident's, so the resolution replaces the alert
 * in the admins' inbox. Without the notifications backend nothing is sent and
 * nothing else changes.
 */
export class SyncAlerts {
  #warnedUnavailable = false;

  constructor(private readonly options: SyncAlertsOptions) {}

  /** Counts a scope's finished run as failed (an error or days not stored) or not. */
  async recordRun(summary: ScopeSyncSummary): Promise<void> {
    if (!summary.finished && !summary.error) return; // the next unit carries on
    const key = `streak:${summary.scope}`;
    const failed = Boolean(summary.error) || summary.failed.length > 0;
    const streak = failed
      ? (((await this.options.cache.get<number>(key)) ?? 0) as number) + 1
      : 0;
    await this.options.cache.set(key, streak, { ttl: STATE_TTL_MS });
  }

  /** Opens and resolves incidents from the current status and the failure streaks. */
  async check(): Promise<void> {
    const { cache, now } = this.options;
    const status = await this.options.status();
    for (const scope of status.scopes) {
      const streak = ((await cache.get<number>(`streak:${scope.scope}`)) ??
        0) as number;
      const behind = daysBehindToday(
        scope.lastCompleteDay,
        now?.() ?? new Date(),
      );
      const incidents: Record<SyncIncidentKind, string | undefined> = {
        'sync-failing':
          streak >= FAILED_RUNS_BEFORE_ALERT
            ? `The last ${streak} syncs failed: ${scope.lastError ?? 'some days were not stored'}`
            : undefined,
        'data-stale':
          behind !== null && behind > STALE_AFTER_DAYS
            ? `The last complete day, ${scope.lastCompleteDay}, is ${behind} days behind today`
            : undefined,
        'archive-unreachable': scope.archive?.lastError
          ? `Archiving to S3 failed: ${scope.archive.lastError}`
          : undefined,
      };
      for (const [kind, problem] of Object.entries(incidents)) {
        await this.#update(kind as SyncIncidentKind, scope.scope, problem);
      }
    }
  }

  async #update(kind: SyncIncidentKind, scope: string, problem?: string) {
    const key = `open:${kind}:${scope}`;
    const open = Boolean(await this.options.cache.get(key));
    if (Boolean(problem) === open) return;
    const title = {
      'sync-failing': `Copilot usage sync of ${scope} is failing`,
      'data-stale': `Copilot usage data of ${scope} is out of date`,
      'archive-unreachable': `Copilot usage archive of ${scope} is unreachable`,
    }[kind];
    const sent = await this.#send({
      title: problem ? title : `Resolved: ${title.replace(' is ', ' was ')}`,
      description: problem ?? 'It works again.',
      severity: problem ? 'high' : 'normal',
      scope: `copilot-usage:${kind}:${scope}`,
    });
    if (!sent) return; // asked again at the next check
    if (problem) {
      await this.options.cache.set(key, true, { ttl: STATE_TTL_MS });
    } else {
      await this.options.cache.delete(key);
    }
  }

  async #send(payload: {
    title: string;
    description: string;
    severity: 'high' | 'normal';
    scope: string;
  }): Promise<boolean> {
    const { adminGroups, logger } = this.options;
    if (adminGroups.length === 0) return false;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: adminGroups },
        payload: {
          ...payload,
          link: SYNC_STATUS_LINK,
          topic: 'Copilot usage',
        },
      });
      return true;
    } catch (error) {
      // Most likely the notifications backend is not installed: say so once.
      if (!this.#warnedUnavailable) {
        this.#warnedUnavailable = true;
        logger.warn(
          `Copilot usage alerts: could not send a notification (is @backstage/plugin-notifications-backend installed?): ${(error as Error).message}`,
        );
      }
      return false;
    }
  }
}
