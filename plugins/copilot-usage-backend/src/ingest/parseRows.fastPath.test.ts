import { parseUserDay, parseUserDayWithZod } from './parseRows';

/*
 * parseUserDay reads a plain record without zod's copy; these records check that it
 * gives what zod gives, for plain records and for every odd shape zod normalises.
 */
const ctx = { scope: 'org:acme', day: '2026-11-10' };
const counts = (n: number) => ({
  user_initiated_interaction_count: n,
  code_generation_activity_count: 2 * n,
  code_acceptance_activity_count: n,
  loc_suggested_to_add_sum: 10 * n,
  loc_suggested_to_delete_sum: n,
  loc_added_sum: 5 * n,
  loc_deleted_sum: n,
});
const { user_initiated_interaction_count: _unused, ...noInteractions } =
  counts(1);

const base = {
  user_id: 7,
  user_login: 'ana',
  day: '2026-11-10',
  ai_credits_used: 0.5,
  used_chat: true,
  used_agent: false,
  ...counts(4),
  totals_by_feature: [
    { feature: 'code_completion', ...counts(1) },
    { feature: 'chat', ...counts(2) },
    { feature: 'chat', ...counts(1) },
  ],
  totals_by_ide: [
    {
      ide: 'vscode',
      ...counts(3),
      last_known_ide_version: { ide_version: '1.2.3', sampled_at: 'x' },
      last_known_plugin_version: { plugin: 'p', plugin_version: '0.1' },
    },
    { ide: 'others', ...counts(1) },
  ],
  totals_by_language_feature: [
    { language: 'go', feature: 'code_completion', ...noInteractions },
    { language: 'go', feature: 'chat', ...noInteractions },
  ],
  totals_by_model_feature: [{ model: 'm', feature: 'chat', ...counts(2) }],
  totals_by_3rd_party_agent: [
    {
      agent_id: 'a',
      agent_name: 'Claude',
      user_initiated_interaction_count: 2,
    },
    { agent_id: 3, user_initiated_interaction_count: 1 },
    { agent_name: null },
  ],
  totals_by_cli: { last_known_cli_version: { cli_version: '1.0' } },
  unknown_field: { kept: true },
};

const plain = (result: ReturnType<typeof parseUserDay>) => ({
  row: result.row,
  breakdowns: Object.fromEntries(
    Object.entries(result.breakdowns).map(([k, v]) => [k, [...v]]),
  ),
});

describe('parseUserDay without zod copy', () => {
  it.each([
    ['a plain record', {}],
    [
      'absent counts',
      { loc_added_sum: undefined, code_acceptance_activity_count: undefined },
    ],
    [
      'null and absent flags',
      { used_chat: null, used_cli: undefined, used_copilot_coding_agent: true },
    ],
    ['a string id (zod converts it)', { user_id: '42' }],
    [
      'no breakdowns',
      {
        totals_by_ide: null,
        totals_by_feature: undefined,
        totals_by_language_feature: [],
        totals_by_model_feature: null,
        totals_by_3rd_party_agent: null,
      },
    ],
    ['credits null or absent', { ai_credits_used: null }],
    ['credits absent', { ai_credits_used: undefined }],
    [
      'odd version objects',
      {
        totals_by_ide: [
          { ide: 'a', ...counts(1), last_known_ide_version: [1] },
          { ide: 'b', ...counts(1), last_known_ide_version: 'x' },
          {
            ide: 'c',
            ...counts(1),
            last_known_ide_version: null,
            last_known_plugin_version: { plugin: 5 },
          },
          {
            ide: 'd',
            ...counts(1),
            last_known_ide_version: { ide_version: 42 },
          },
          {
            ide: 'e',
            ...counts(1),
            last_known_ide_version: { ide_version: '' },
          },
        ],
        totals_by_cli: { last_known_cli_version: 'old' },
      },
    ],
    ['a CLI without version', { totals_by_cli: {} }],
    ['a CLI null', { totals_by_cli: null }],
    [
      'a CLI version without number',
      { totals_by_cli: { last_known_cli_version: {} } },
    ],
  ])('gives what zod gives for %s', (_name, patch) => {
    const record = { ...base, ...patch };
    const text = JSON.stringify(record);
    expect(plain(parseUserDay(record, ctx, text))).toEqual(
      plain(parseUserDayWithZod(record, ctx, text)),
    );
    expect(plain(parseUserDay(record, ctx))).toEqual(
      plain(parseUserDayWithZod(record, ctx)),
    );
  });

  it.each([
    ['a negative count', { loc_added_sum: -1 }],
    ['a null count', { loc_added_sum: null }],
    ['a text count', { code_generation_activity_count: 'many' }],
    ['a fractional id', { user_id: 1.5 }],
    ['an empty login', { user_login: '' }],
    ['another day', { day: '2026-11-11' }],
    ['a text flag', { used_chat: 'yes' }],
    ['negative credits', { ai_credits_used: -1 }],
    ['an IDE entry without ide', { totals_by_ide: [{ ...counts(1) }] }],
    ['a feature list that is no list', { totals_by_feature: {} }],
    [
      'a bad entry count',
      {
        totals_by_model_feature: [
          { model: 'm', feature: 'f', loc_added_sum: -2 },
        ],
      },
    ],
    [
      'an agent with a bad count',
      {
        totals_by_3rd_party_agent: [{ user_initiated_interaction_count: 'x' }],
      },
    ],
    ['a CLI total that is no object', { totals_by_cli: 3 }],
  ])('rejects %s with zod’s message', (_name, patch) => {
    const record = { ...base, ...patch };
    let expected: unknown;
    try {
      parseUserDayWithZod(record, ctx);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(Error);
    expect(() => parseUserDay(record, ctx)).toThrow(
      (expected as Error).message,
    );
  });
});
