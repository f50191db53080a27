import type { SyncProgress } from './api/syncStatus';

/**
 * A run's progress in words, the same in the backend's log and the status panel:
 * `backfilling: 143 of 351 days, about 12 min left`.
 *
 * @public
 */
export function describeSyncProgress(progress: SyncProgress): string {
  const { daysDone, daysTotal, backfilling, minutesLeft } = progress;
  const what = backfilling ? 'backfilling' : 'syncing';
  return `${what}: ${daysDone} of ${daysTotal} ${daysTotal === 1 ? 'day' : 'days'}${
    minutesLeft === undefined ? '' : `, ${describeMinutesLeft(minutesLeft)}`
  }`;
}

function describeMinutesLeft(minutes: number): string {
  if (minutes < 1) return 'less than a minute left';
  if (minutes < 90) return `about ${Math.ceil(minutes)} min left`;
  return `about ${Math.round(minutes / 60)} h left`;
}
