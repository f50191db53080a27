/*
 * Responses of the admin writes: history import, archive restore, erasure of one person.
 */
import type { IsoDay } from './metricsDocument';

/**
 * Response of `POST /import` (admins): what a history file added.
 *
 * @public
 */
export interface ImportResponse {
  file: string;
  /** `teams-history`, `metrics-days` or `usage-days`. */
  format: string;
  /** `org:<name>`. */
  scope: string;
  orgDays: number;
  teamDays: number;
  teams: number;
  /**
   * Teams of the file that the org's membership reports do not list (sorted). The
   * import refuses such a file (400) unless `unknownTeams=keep` is given; then they
   * are stored under their slugs and listed here.
   */
  unknownTeams: string[];
  /** Days of the file left alone because report data covers them. */
  skippedReportDays: IsoDay[];
  firstDay: IsoDay | null;
  lastDay: IsoDay | null;
  /** The archive key the file was copied to, when an archive is configured. */
  archiveKey?: string;
  /** Set when the import is stored but its copy to the archive failed. */
  archiveError?: string;
  /** The copy to the archive failed and waits in the backlog: every archive step retries it. */
  archivePending?: boolean;
}

/**
 * Response of `POST /archive/restore` (admins): what was rebuilt from the archive.
 *
 * @public
 */
export interface RestoreResponse {
  scopes: Array<{
    scope: string;
    days: number;
    seatSnapshots: number;
    /** Days with an incomplete set of report files in the archive (fetched again by the sync). */
    skippedDays: IsoDay[];
  }>;
  imports: Array<{ key: string; orgDays: number; teamDays: number }>;
}

/**
 * Response of `DELETE /users/:login` (admins): what erasing one person removed.
 * GitHub's own org aggregate has no per-person data and is left as it is; team
 * figures of the affected days (and of the 27 days after them, whose rolling
 * windows contain them) are rebuilt from the remaining per-user rows.
 *
 * @public
 */
export interface UserErasureResponse {
  /** The login as asked for (matched case-insensitively). */
  login: string;
  /** True when nothing is left: the database and the archive (if any) hold no row or line of the person. */
  complete: boolean;
  /** Rows removed per table. */
  removed: {
    userDay: number;
    userTeamDay: number;
    teamActiveUserDay: number;
    seatSnapshot: number;
  };
  /** Per scope, the days whose per-user rows changed and the seat snapshots that named the person. */
  scopes: Array<{
    scope: string;
    days: IsoDay[];
    seatSnapshots: IsoDay[];
  }>;
  /** The S3 archive: whether one is configured, the files rewritten without the person, and why it failed. */
  archive: {
    configured: boolean;
    /** Archive keys rewritten without the person's lines. */
    filesRewritten: string[];
    /** Why the archive could not be rewritten; the database was left as it was, call again. */
    error?: string;
  };
}
