import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { z } from 'zod';
import { PUBLISHING_LAG_DAYS } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { addDays } from './lib/days';
import { formatIssues, isoDaySchema } from './lib/zod';
import { ScopeKind } from './lib/scope';

/** The first day GitHub serves 1-day reports for, per scope kind. */
export const API_FIRST_DAY: Record<ScopeKind, string> = {
  enterprise: '2025-10-10',
  org: '2025-12-12',
};

/**
 * GitHub serves 1-day reports for about a year back from today; a day that falls out
 * of that window is gone for good unless it was stored.
 */
export const GITHUB_HISTORY_DAYS = 365;

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { cron: '0 4 * * *' },
  timeout: { minutes: 60 },
  initialDelay: { seconds: 15 },
  scope: 'global',
};

const name = z.string().trim().min(1, 'must not be empty');

/** Where GitHub's report downloads come from (Azure Front Door, Blob storage). */
const DOWNLOAD_HOSTS = ['*.azurefd.net', '*.blob.core.windows.net'];

const schema = z
  .object({
    githubHost: name.default('github.com'),
    organizations: z.array(name).default([]),
    enterprise: name.optional(),
    // As configured; resolveBackfillFrom gives the effective first day.
    backfillFrom: isoDaySchema.optional(),
    // The days ending on the last published day; at most one of it and backfillFrom.
    backfillDays: z.number().int().min(1).optional(),
    refreshDays: z.number().int().min(0).max(28).default(3),
    concurrency: z.number().int().min(1).max(10).default(2),
    minTeamSize: z.number().int().min(1).default(5),
    // adminGroups, orgOverview and nestedGroups are the permission policy's (-node reads them).
    // Origins (managed-by-origin-location, `*` wildcards) whose Groups' membership is trusted.
    trustedGroupOrigins: z.array(name).default([]),
    // Origins whose Components are believed about their github.com/project-slug.
    trustedComponentOrigins: z.array(name).default([]),
    download: z
      .object({ allowedHosts: z.array(name).min(1).default(DOWNLOAD_HOSTS) })
      .default({ allowedHosts: DOWNLOAD_HOSTS }),
    archive: z
      .object({
        s3: z
          .object({
            bucket: name,
            prefix: z.string().default('copilot-usage/'),
            region: name.optional(),
            endpoint: z.url().optional(),
            forcePathStyle: z.boolean().optional(),
          })
          .optional(),
      })
      .optional(),
    // Per-user rows of days older than this are deleted after a sync; rollups stay.
    retention: z
      .object({
        userDays: z
          .number()
          .int()
          .min(
            28,
            'must be at least 28 (the default range and rolling windows)',
          )
          .optional(),
      })
      .optional(),
    // Read separately with Backstage's own reader, which knows every schedule shape.
    schedule: z.unknown().optional(),
  })
  // Two ways to say where the history starts: which one wins would be a guess.
  .refine(
    block =>
      block.backfillFrom === undefined || block.backfillDays === undefined,
    {
      path: ['backfillDays'],
      message: 'set either backfillFrom or backfillDays, not both',
    },
  );

/** The `copilotUsage` config block, validated and with defaults applied. */
export type CopilotUsageConfig = Omit<z.infer<typeof schema>, 'schedule'> & {
  schedule: SchedulerServiceTaskScheduleDefinition;
};

/**
 * Reads and validates the `copilotUsage` block of the app config.
 * Throws an error naming the offending key when something is wrong.
 */
export function readCopilotUsageConfig(config: Config): CopilotUsageConfig {
  const result = schema.safeParse(config.getOptional('copilotUsage') ?? {});
  if (!result.success) {
    throw new Error(
      `Invalid Copilot usage configuration: ${formatIssues(result.error, { root: 'copilotUsage' })}`,
    );
  }
  const { schedule: _schedule, ...parsed } = result.data;
  return { ...parsed, schedule: readSchedule(config) };
}

function readSchedule(config: Config): SchedulerServiceTaskScheduleDefinition {
  const configured = config.getOptionalConfig('copilotUsage.schedule');
  if (!configured) {
    return DEFAULT_SCHEDULE;
  }
  // Keys left out (typically timeout or initialDelay) keep their defaults.
  const merged = new ConfigReader(
    {
      timeout: { minutes: 60 },
      initialDelay: { seconds: 15 },
      ...(configured.get() as JsonObject),
    },
    'copilotUsage.schedule',
  );
  let schedule: SchedulerServiceTaskScheduleDefinition;
  try {
    schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(merged);
  } catch (error) {
    throw new Error(
      `Invalid Copilot usage configuration: copilotUsage.schedule: ${(error as Error).message}`,
    );
  }
  // The sync writes to the shared database: exactly one replica may run it at a time.
  return { ...schedule, scope: 'global' };
}

/** The oldest day GitHub still serves for a kind of scope on `today`. */
export function firstDayGithubHolds(kind: ScopeKind, today: string): string {
  const windowStart = addDays(today, -GITHUB_HISTORY_DAYS);
  return windowStart < API_FIRST_DAY[kind] ? API_FIRST_DAY[kind] : windowStart;
}

/**
 * The first day to sync for a scope: the configured `backfillFrom`, or the
 * `backfillDays` ending on the last day GitHub publishes (`today` - 2), by default
 * the whole window GitHub still holds; never a day GitHub no longer serves.
 */
export function resolveBackfillFrom(
  config: Pick<CopilotUsageConfig, 'backfillFrom' | 'backfillDays'>,
  kind: ScopeKind,
  today: string,
): string {
  const held = firstDayGithubHolds(kind, today);
  const wanted =
    config.backfillFrom ??
    (config.backfillDays === undefined
      ? held
      : addDays(today, -(PUBLISHING_LAG_DAYS + config.backfillDays - 1)));
  return wanted < held ? held : wanted;
}
