import { addDays } from './days';
import { createSyntheticOrg } from './org';
import { UserDayRecord } from './types';

/** The newer per-user fields the simulator serves (Copilot app, third-party agents, client versions). */
describe('the newer per-user fields', () => {
  const org = createSyntheticOrg({
    users: 200,
    teams: 6,
    today: '2026-11-21',
    historyDays: 160,
  });
  const daysOf = (from: string, to: string) => {
    const days: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
    return days;
  };
  const rowsOf = (from: string, to: string): UserDayRecord[] =>
    daysOf(from, to).flatMap(day => org.usersReport(day));

  it('serves the Copilot app from 2026-07-28 and third-party agents from 2026-08-07 only', () => {
    const before = rowsOf(org.firstDay, '2026-07-27');
    expect(before.length).toBeGreaterThan(0);
    expect(
      before.some(r => r.used_copilot_app || r.totals_by_copilot_app),
    ).toBe(false);
    expect(
      rowsOf(org.firstDay, '2026-08-06').some(r => r.totals_by_3rd_party_agent),
    ).toBe(false);
    const after = rowsOf('2026-08-07', org.lastDay);
    expect(after.some(r => r.used_copilot_app)).toBe(true);
    expect(after.some(r => r.totals_by_3rd_party_agent?.length)).toBe(true);
    for (const r of after.filter(x => x.used_copilot_app)) {
      expect(r.totals_by_copilot_app!.prompt_count).toBeGreaterThan(0);
      expect(r.totals_by_feature.some(f => f.feature === 'copilot_app')).toBe(
        true,
      );
    }
  });

  it('sums the aggregate from the rows: app users and third-party agents', () => {
    const day = addDays(org.lastDay, -3);
    const rows = org.usersReport(day);
    const aggregate = org.aggregateReport(day)!;
    expect(aggregate.daily_active_copilot_app_users).toBe(
      rows.filter(r => r.used_copilot_app).length,
    );
    const interactions = new Map<string, number>();
    rows
      .flatMap(r => r.totals_by_3rd_party_agent ?? [])
      .forEach(a =>
        interactions.set(
          a.agent_id,
          (interactions.get(a.agent_id) ?? 0) +
            a.user_initiated_interaction_count,
        ),
      );
    expect(
      Object.fromEntries(
        (aggregate.totals_by_3rd_party_agent ?? []).map(a => [
          a.agent_id,
          a.user_initiated_interaction_count,
        ]),
      ),
    ).toEqual(Object.fromEntries(interactions));
  });

  it('has users on several VS Code versions, some below 1.139.0, who upgrade over time', () => {
    const versionsOn = (day: string) =>
      new Set(
        org
          .usersReport(day)
          .flatMap(r => r.totals_by_ide)
          .filter(e => e.ide === 'vscode')
          .map(e => e.last_known_ide_version!.ide_version),
      );
    const late = versionsOn(addDays(org.lastDay, -1));
    expect(late.size).toBeGreaterThanOrEqual(3);
    expect([...late].some(v => v === '1.107.1' || v === '1.128.0')).toBe(true);
    expect(late.has('1.140.1')).toBe(true);
    expect(versionsOn('2026-07-01').has('1.140.1')).toBe(false);
  });
});
