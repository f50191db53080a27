import {
  parseAggregateDay,
  parseSeat,
  parseUserDay,
  parseUserTeamDay,
  ReportRecordError,
} from './parseRows';
import { TeamBreakdownAccumulator } from './TeamBreakdownAccumulator';

const ctx = { scope: 'org:acme', day: '2026-11-10' };
const counters = (n: number) => ({
  user_initiated_interaction_count: n,
  code_generation_activity_count: 2 * n,
  code_acceptance_activity_count: n,
  loc_suggested_to_add_sum: 10 * n,
  loc_suggested_to_delete_sum: n,
  loc_added_sum: 5 * n,
  loc_deleted_sum: n,
});
const { user_initiated_interaction_count: _ignored, ...languageCounters } =
  counters(1);

const user = (id: number, extra: object = {}) => ({
  user_id: id,
  user_login: `user${id}`,
  day: '2026-11-10',
  organization_id: '999',
  ai_credits_used: 1.5,
  used_chat: true,
  used_agent: false,
  used_cli: true,
  ...counters(3),
  totals_by_feature: [
    { feature: 'code_completion', ...counters(1) },
    { feature: 'chat_panel_agent_mode', ...counters(2) },
  ],
  totals_by_ide: [
    {
      ide: 'vscode',
      ...counters(3),
      last_known_ide_version: { ide_version: '1.107.1' },
    },
  ],
  totals_by_language_feature: [
    { language: 'typescript', feature: 'code_completion', ...languageCounters },
    { language: 'typescript', feature: 'agent_edit', ...languageCounters },
    { language: 'go', feature: 'code_completion', ...languageCounters },
  ],
  totals_by_language_model: [],
  totals_by_model_feature: [
    { model: 'gpt-5', feature: 'chat_panel_agent_mode', ...counters(2) },
  ],
  ...extra,
});

describe('parseUserDay', () => {
  it('maps a users-1-day record, completion counters from code_completion, raw kept whole', () => {
    const record = user(7);
    const { row } = parseUserDay(record, ctx);
    expect(row).toEqual({
      scope: 'org:acme',
      day: '2026-11-10',
      userId: 7,
      userLogin: 'user7',
      usedChat: true,
      usedAgent: false,
      usedCli: true,
      usedCloudAgent: false,
      usedCopilotApp: false,
      aiCreditsUsed: 1.5,
      clientVersions: [
        { client: 'vscode', version: '1.107.1', plugin: '', pluginVersion: '' },
      ],
      interactions: 3,
      codeGenerations: 6,
      codeAcceptances: 3,
      locSuggestedToAdd: 30,
      locSuggestedToDelete: 3,
      locAdded: 15,
      locDeleted: 3,
      completionGenerations: 2,
      completionAcceptances: 1,
      completionLocSuggestedToAdd: 10,
      completionLocAdded: 5,
      raw: JSON.stringify(record),
    });
    expect(JSON.parse(row.raw).ai_credits_used).toBe(1.5);
  });

  it('accepts a server-side-telemetry row without breakdowns', () => {
    const { row, breakdowns } = parseUserDay(
      {
        user_id: 1,
        user_login: 'a',
        day: '2026-11-10',
        ...counters(1),
        totals_by_ide: [],
        totals_by_feature: [],
      },
      ctx,
    );
    expect(row).toMatchObject({
      interactions: 1,
      completionGenerations: 0,
      usedChat: false,
    });
    expect(breakdowns.ide.size).toBe(0);
  });

  it.each([
    [{ user_id: undefined }, 'user_id'],
    [{ user_login: '' }, 'user_login'],
    [{ day: '2026-11-11' }, 'day: must be the requested day 2026-11-10'],
    [
      { code_generation_activity_count: 'many' },
      'code_generation_activity_count',
    ],
    [{ totals_by_ide: [{ loc_added_sum: 1 }] }, 'totals_by_ide[0].ide'],
  ])('rejects %j naming the field', (patch, message) => {
    expect(() => parseUserDay(user(1, patch), ctx)).toThrow(ReportRecordError);
    expect(() => parseUserDay(user(1, patch), ctx)).toThrow(message);
  });
});

describe('parseUserTeamDay', () => {
  it('maps a membership row', () => {
    expect(
      parseUserTeamDay(
        {
          user_id: 1001,
          user_login: 'alice',
          day: '2026-11-10',
          organization_id: '999',
          team_id: 42,
          slug: 'frontend',
        },
        ctx,
      ),
    ).toEqual({
      scope: 'org:acme',
      day: '2026-11-10',
      userId: 1001,
      userLogin: 'alice',
      teamId: 42,
      teamSlug: 'frontend',
      raw: expect.stringContaining('"slug":"frontend"'),
    });
  });

  it('rejects a row without a slug', () => {
    expect(() =>
      parseUserTeamDay(
        { user_id: 1, user_login: 'a', day: '2026-11-10', team_id: 4 },
        ctx,
      ),
    ).toThrow('slug');
  });
});

describe('parseAggregateDay', () => {
  it('maps the aggregate and its org breakdowns (language and model summed over features)', () => {
    const record = {
      daily_active_users: 30,
      weekly_active_users: 40,
      monthly_active_users: 50,
      monthly_active_chat_users: 20,
      monthly_active_agent_users: 10,
      pull_requests: { total_created: 3 },
      ...user(0),
    };
    delete (record as any).user_id;
    const { row, breakdowns } = parseAggregateDay(record, ctx);
    expect(row).toMatchObject({
      dailyActiveUsers: 30,
      weeklyActiveUsers: 40,
      monthlyActiveUsers: 50,
      monthlyActiveChatUsers: 20,
      monthlyActiveAgentUsers: 10,
      dailyActiveCliUsers: null,
      interactions: 3,
      completionGenerations: 2,
    });
    const find = (dimension: string, key: string) =>
      breakdowns.find(b => b.dimension === dimension && b.key === key);
    expect(breakdowns.every(b => b.subject === 'org' && b.users === 0)).toBe(
      true,
    );
    expect(find('ide', 'vscode')).toMatchObject({
      interactions: 3,
      locAdded: 15,
    });
    expect(find('feature', 'code_completion')).toMatchObject({
      codeGenerations: 2,
    });
    expect(find('language', 'typescript')).toMatchObject({
      interactions: 0,
      codeGenerations: 4,
      locAdded: 10,
    });
    expect(find('language', 'go')).toMatchObject({ codeGenerations: 2 });
    expect(find('model', 'gpt-5')).toMatchObject({ interactions: 2 });
    expect(breakdowns).toHaveLength(1 + 2 + 2 + 1);
  });
});

describe('TeamBreakdownAccumulator', () => {
  it('adds each user to every team of that day, counting users once per value', () => {
    const acc = new TeamBreakdownAccumulator('org:acme', '2026-11-10');
    acc.addMembership({ userId: 1, teamSlug: 'web' });
    acc.addMembership({ userId: 1, teamSlug: 'platform' });
    acc.addMembership({ userId: 2, teamSlug: 'web' });
    acc.addUser(1, parseUserDay(user(1), ctx).breakdowns);
    acc.addUser(2, parseUserDay(user(2), ctx).breakdowns);
    acc.addUser(3, parseUserDay(user(3), ctx).breakdowns); // in no team
    const rows = acc.rows();
    const find = (subject: string, dimension: string, key: string) =>
      rows.find(
        r =>
          r.subject === subject && r.dimension === dimension && r.key === key,
      );
    // typescript appears twice per user (two features) but each user counts once.
    expect(find('team:web', 'language', 'typescript')).toMatchObject({
      users: 2,
      codeGenerations: 8,
    });
    expect(find('team:platform', 'language', 'typescript')).toMatchObject({
      users: 1,
      codeGenerations: 4,
    });
    expect(find('team:web', 'ide', 'vscode')).toMatchObject({
      users: 2,
      interactions: 6,
      scope: 'org:acme',
      day: '2026-11-10',
    });
    expect(rows.filter(r => r.subject === 'team:platform')).toHaveLength(6);
  });

  it('refuses a user listed twice', () => {
    const acc = new TeamBreakdownAccumulator('org:acme', '2026-11-10');
    acc.addUser(1, parseUserDay(user(1), ctx).breakdowns);
    expect(() => acc.addUser(1, parseUserDay(user(1), ctx).breakdowns)).toThrow(
      'user_id 1 appears more than once',
    );
  });
});

describe('parseSeat', () => {
  it('maps a seat and skips seats without an assignee', () => {
    const seat = {
      created_at: '2026-01-01T00:00:00Z',
      last_activity_at: '2026-11-19T10:00:00Z',
      last_activity_editor: 'vscode/1.107.1',
      plan_type: 'business',
      assignee: { login: 'ada', id: 5 },
      assigning_team: { slug: 'web' },
    };
    expect(parseSeat(seat, 'org:acme', '2026-11-21')).toMatchObject({
      userLogin: 'ada',
      userId: 5,
      planType: 'business',
      lastActivityAt: '2026-11-19T10:00:00Z',
      assigningTeamSlug: 'web',
      pendingCancellationDate: null,
    });
    expect(
      parseSeat({ ...seat, assignee: null }, 'org:acme', '2026-11-21'),
    ).toBeUndefined();
  });
});

describe('the newer per-user fields (issue 13)', () => {
  it('counts the cloud agent under either name, the Copilot app and credits', () => {
    const parse = (extra: object) => parseUserDay(user(1, extra), ctx).row;
    expect(parse({ used_copilot_coding_agent: true }).usedCloudAgent).toBe(
      true,
    );
    expect(parse({ used_copilot_cloud_agent: true }).usedCloudAgent).toBe(true);
    expect(
      parse({
        used_copilot_cloud_agent: false,
        used_copilot_coding_agent: false,
      }).usedCloudAgent,
    ).toBe(false);
    expect(parse({ used_copilot_app: true }).usedCopilotApp).toBe(true);
    expect(parse({}).usedCopilotApp).toBe(false);
    expect(parse({ ai_credits_used: undefined }).aiCreditsUsed).toBeNull();
    expect(() => parse({ ai_credits_used: -1 })).toThrow(/ai_credits_used/);
  });

  it('breaks third-party agents down by name, keeps unknown fields in the raw line', () => {
    const record = user(2, {
      totals_by_copilot_app: { prompt_count: 3, session_count: 1 },
      totals_by_3rd_party_agent: [
        {
          agent_id: 'a1',
          agent_name: 'Claude',
          user_initiated_interaction_count: 4,
        },
        {
          agent_id: 'a1',
          agent_name: 'Claude',
          user_initiated_interaction_count: 1,
        },
        { agent_id: 'x9', user_initiated_interaction_count: 2 },
      ],
      totals_by_future_thing: [{ x: 1 }],
    });
    const { row, breakdowns } = parseUserDay(record, ctx);
    expect(
      Object.fromEntries(
        [...breakdowns.thirdPartyAgent].map(([k, v]) => [k, v.interactions]),
      ),
    ).toEqual({ Claude: 5, x9: 2 });
    expect(breakdowns.thirdPartyAgent.get('Claude')?.codeGenerations).toBe(0);
    expect(JSON.parse(row.raw).totals_by_future_thing).toEqual([{ x: 1 }]);
    expect(JSON.parse(row.raw).totals_by_copilot_app.prompt_count).toBe(3);
  });

  it('reads the IDE, plugin and CLI versions, none for an aggregated entry', () => {
    const { row } = parseUserDay(
      user(3, {
        totals_by_ide: [
          {
            ide: 'vscode',
            ...counters(1),
            last_known_ide_version: { ide_version: '1.140.1' },
            last_known_plugin_version: {
              plugin: 'copilot-chat',
              plugin_version: '0.42.0',
            },
          },
          { ide: 'others', ...counters(1) },
          {
            ide: 'intellij',
            ...counters(1),
            last_known_ide_version: { ide_version: 42 },
            last_known_plugin_version: { plugin: 'copilot-intellij' },
          },
        ],
        totals_by_cli: {
          session_count: 1,
          last_known_cli_version: { cli_version: '1.0.2' },
        },
      }),
      ctx,
    );
    expect(row.clientVersions).toEqual([
      {
        client: 'vscode',
        version: '1.140.1',
        plugin: 'copilot-chat',
        pluginVersion: '0.42.0',
      },
      {
        client: 'intellij',
        version: 'unknown',
        plugin: 'copilot-intellij',
        pluginVersion: '',
      },
      { client: 'cli', version: '1.0.2', plugin: '', pluginVersion: '' },
    ]);
  });

  it('takes third-party agents of the aggregate into the org breakdowns', () => {
    const { breakdowns } = parseAggregateDay(
      {
        day: '2026-11-10',
        ...counters(1),
        totals_by_3rd_party_agent: [
          {
            agent_id: 'a1',
            agent_name: 'Codex',
            user_initiated_interaction_count: 7,
            session_count: 3,
          },
        ],
      },
      ctx,
    );
    expect(
      breakdowns.find(b => b.dimension === 'thirdPartyAgent'),
    ).toMatchObject({ subject: 'org', key: 'Codex', interactions: 7 });
  });
});
