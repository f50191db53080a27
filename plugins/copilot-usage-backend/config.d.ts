import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Copilot usage plugin. GitHub credentials live under `integrations.github`, never here. */
  copilotUsage?: {
    /**
     * Which `integrations.github` entry (by host) to use.
     * @default github.com
     */
    githubHost?: string;
    /**
     * Catalog origins whose Groups may be trusted to say who is in a GitHub
     * team: values of the `backstage.io/managed-by-origin-location` annotation,
     * `*` matching any text, e.g. `url:https://github.com/my-org/backstage-org/blob/main/*`.
     * Groups of the GitHub org provider (origin `url:https://<githubHost>/orgs/<org>/teams/<slug>`)
     * are always trusted. Any other Group claiming a team with `github.com/team-slug`
     * shows that team only to the people GitHub's own membership report puts in it.
     * @default []
     */
    trustedGroupOrigins?: string[];
    /**
     * Origins (`backstage.io/managed-by-origin-location`, `*` wildcards) whose
     * Components are believed about the repository their `github.com/project-slug`
     * names. A Component read from a file in that repository itself
     * (`url:https://<githubHost>/<owner>/<repo>/…`) is always believed; any other
     * claim shows no repository figures (anyone who may register a location could
     * otherwise name any repository).
     * @default []
     */
    trustedComponentOrigins?: string[];
    /** GitHub organizations whose Copilot usage reports are synced. */
    organizations?: string[];
    /** Optional GitHub enterprise slug; its enterprise-level reports are synced too. */
    enterprise?: string;
    /**
     * First day (YYYY-MM-DD) to sync. Never before a day GitHub still serves: org
     * reports start 2025-12-12, enterprise reports 2025-10-10, and GitHub keeps about
     * a year. Set this or `backfillDays`, not both. Days GitHub no longer holds are
     * lost unless they were stored, so the default takes all it still has.
     * @default the whole window GitHub still holds (about a year)
     */
    backfillFrom?: string;
    /**
     * How many days to sync, ending on the last day GitHub publishes (today - 2), for
     * those who want less history than the whole window, e.g. 90. The window moves
     * with the days; days stored before stay stored. Set this or `backfillFrom`.
     * @default the whole window GitHub still holds (about a year)
     */
    backfillDays?: number;
    /**
     * Trailing days fetched again on every run; GitHub revises recent days.
     * @default 3
     */
    refreshDays?: number;
    /**
     * How long per-user rows are kept. After a sync, the rows of GitHub's users and
     * user-teams reports (one per person and day) of days more than `userDays`
     * days before today are deleted, in every scope. The org, enterprise and team
     * figures of those days stay (GitHub's aggregate and the team rollups, including
     * each team's exact distinct users); the org's distinct active users and a
     * person's own page over a range reaching further back count the kept days only.
     * At least 28.
     * @default every day is kept
     */
    retention?: {
      userDays?: number;
    };
    /**
     * Days (of one scope) fetched in parallel.
     * @default 2
     */
    concurrency?: number;
    /**
     * When a sync starts. It always runs with `scope: global` (one replica at a time).
     * The work itself runs in units of a few minutes (the task
     * `copilot-usage-sync-unit`, every minute, 5-minute timeout), so `timeout` only
     * bounds the start: a backend that dies mid-sync blocks the sync for minutes, and
     * one that shuts down stops at a day boundary; another backend resumes the run.
     * @default { frequency: { cron: '0 4 * * *' }, timeout: { minutes: 60 }, initialDelay: { seconds: 15 } }
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * Team-days with fewer members are hidden from everyone but admins.
     * @default 5
     */
    minTeamSize?: number;
    /** Group entity refs whose members see everything, e.g. group:default/platform-admins. */
    adminGroups?: string[];
    /**
     * Who may open the org overview.
     * @default admins
     */
    orgOverview?: 'admins' | 'everyone';
    /**
     * Whether a member of a parent Group may see its child Groups' usage.
     * @default true
     */
    nestedGroups?: boolean;
    download?: {
      /**
       * Hosts (wildcards allowed) that report download links may point at.
       * @default ['*.azurefd.net', '*.blob.core.windows.net']
       */
      allowedHosts?: string[];
    };
    /**
     * Optional copy of every raw report file, the seat snapshots and the history JSON
     * files in S3, written after each sync; `POST /archive/restore` rebuilds the
     * database from it. Credentials come from the default AWS credential chain
     * (environment, shared config, web identity, container or instance role).
     * See docs/archive-and-import.md.
     */
    archive?: {
      s3?: {
        bucket: string;
        /**
         * Key prefix of every object; end it with a slash.
         * @default copilot-usage/
         */
        prefix?: string;
        /** @default AWS_REGION, else us-east-1 */
        region?: string;
        /** For S3-compatible stores, e.g. https://minio.example.com */
        endpoint?: string;
        /** Path-style URLs (bucket in the path), which most S3-compatible stores need. */
        forcePathStyle?: boolean;
      };
    };
  };
}
