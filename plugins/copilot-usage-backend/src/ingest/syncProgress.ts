/**
 * How far a run is, for the log and `GET /status`: whether it backfills history and
 * about how long it still needs.
 */

/** The estimate follows the pace of this many of the run's last days. */
const PACE_DAYS = 20;

/**
 * Whether a run backfills history: it has days left that were never stored and are
 * older than the newest stored day (or nothing is stored yet). New days GitHub
 * published since the last run are never stored either, but are just syncing.
 * `completeDays`: the scope's complete days from the oldest day left on.
 */
export function isBackfilling(
  daysLeft: readonly string[] | null | undefined,
  completeDays: ReadonlySet<string>,
): boolean {
  const newestStored = [...completeDays].sort().pop();
  return (daysLeft ?? []).some(
    day => !completeDays.has(day) && (!newestStored || day < newestStored),
  );
}

/**
 * Minutes the run still needs for `daysLeft` days, at the pace between its last
 * moments of progress (ms timestamps, any order: when a unit started, when days were
 * stored); undefined with fewer than two of them or no day left.
 */
export function minutesLeft(
  daysLeft: number,
  progressTimes: readonly number[],
): number | undefined {
  if (daysLeft <= 0 || progressTimes.length < 2) return undefined;
  const recent = [...progressTimes].sort((a, b) => a - b).slice(-PACE_DAYS - 1);
  const msPerDay =
    (recent[recent.length - 1] - recent[0]) / (recent.length - 1);
  return (daysLeft * msPerDay) / 60_000;
}
