import { describeSyncProgress } from './syncProgress';

describe('describeSyncProgress', () => {
  it('says backfilling and the time left while history comes in', () => {
    expect(
      describeSyncProgress({
        daysDone: 143,
        daysTotal: 351,
        backfilling: true,
        minutesLeft: 11.2,
      }),
    ).toBe('backfilling: 143 of 351 days, about 12 min left');
    expect(
      describeSyncProgress({
        daysDone: 3,
        daysTotal: 351,
        backfilling: true,
        minutesLeft: 200,
      }),
    ).toBe('backfilling: 3 of 351 days, about 3 h left');
  });

  it('says syncing for a run of stored days, without a time before the pace is known', () => {
    expect(describeSyncProgress({ daysDone: 1, daysTotal: 3 })).toBe(
      'syncing: 1 of 3 days',
    );
    expect(
      describeSyncProgress({ daysDone: 0, daysTotal: 1, minutesLeft: 0.2 }),
    ).toBe('syncing: 0 of 1 day, less than a minute left');
  });
});
