import { formatDay, isWeekend, timestampOn, toDayNumber } from './days';
import { UserProfile } from './people';
import { hashInts, Random, randomFor, randomInt } from './random';
import {
  ActivityCounters,
  AdoptionPhaseTotals,
  AggregateDayRecord,
  Breakdowns,
  CliTotals,
  CopilotAppTotals,
  IdeTotals,
  LanguageCounters,
  PullRequestTotals,
  ReportScope,
  ThirdPartyAgentTotals,
  UserDayRecord,
} from './types';

const SALT_PLAN = 11;
const SALT_COUNTS = 12;
const SALT_AGGREGATE = 13;
const SALT_ETL = 14;
const SALT_APP = 15;
const SALT_VERSION = 16;

/** GitHub attributes Copilot app activity to users from this day on (a series break). */
const COPILOT_APP_FROM = toDayNumber('2026-07-28');
/** GitHub reports third-party agents (Claude, Codex) from this day on. */
const THIRD_PARTY_AGENTS_FROM = toDayNumber('2026-08-07');
const THIRD_PARTY_AGENTS = [
  { agent_id: 'anthropic-claude', agent_name: 'Claude' },
  { agent_id: 'openai-codex', agent_name: 'Codex' },
];

/**
 * VS Code releases with the Copilot Chat version shipped beside them: a user takes
 * a release some days after it (their lag), so some stay on old versions, among
 * them versions below 1.139.0, which GitHub named as undercounting agents.
 */
const VSCODE_RELEASES: Array<[day: number, ide: string, plugin: string]> = [
  [toDayNumber('2025-12-10'), '1.107.1', '0.35.3'],
  [toDayNumber('2026-07-02'), '1.128.0', '0.38.0'],
  [toDayNumber('2026-10-08'), '1.139.0', '0.41.2'],
  [toDayNumber('2026-11-05'), '1.140.1', '0.42.0'],
];
const UPGRADE_LAG_DAYS = [0, 12, 40, 75, 500];

/** The VS Code and Copilot Chat versions a user runs on a day (never revised). */
function vscodeVersions(
  seed: number,
  userId: number,
  dayNumber: number,
): { ideVersion: string; pluginVersion: string } {
  const lag =
    UPGRADE_LAG_DAYS[
      hashInts(seed, SALT_VERSION, userId) % UPGRADE_LAG_DAYS.length
    ];
  let release = VSCODE_RELEASES[0];
  for (const candidate of VSCODE_RELEASES) {
    if (candidate[0] + lag <= dayNumber) release = candidate;
  }
  return { ideVersion: release[1], pluginVersion: release[2] };
}

/*
 * A user's day is decided in two steps with separate PRNG streams:
 * the plan (active? which features?) never changes, the counters depend on
 * the day's revision too. So `revise(day)` changes the numbers without
 * changing who was active, and the trailing-window user counts of other days
 * stay put.
 */
const ACTIVE = 1 << 15;
const CODING_AGENT = 1 << 12;
const REVIEW_ACTIVE = 1 << 13;
const REVIEW_PASSIVE = 1 << 14;

/** [interactions, generations, acceptances, locSuggestedAdd, locSuggestedDelete, locAdded, locDeleted] */
type Counters = [number, number, number, number, number, number, number];

/** A breakdown entry being summed up: its dimension values and counters. */
type Sum<K> = { keys: K; counters: Counters };

interface FeatureSpec {
  name: string;
  bit: number;
  /** Chat features carry a model (totals_by_model_feature, totals_by_language_model). */
  chat: boolean;
  /** The CLI is not an IDE: it stays out of totals_by_ide. */
  cli?: boolean;
  interactions: [number, number];
  generationsPerInteraction: [number, number];
  /** Only for features with no user-initiated interactions. */
  generations?: [number, number];
  acceptanceRate: [number, number];
  locPerGeneration: [number, number];
  deletesPerGeneration: [number, number];
}

const FEATURES: FeatureSpec[] = [
  {
    name: 'code_completion',
    bit: 1 << 0,
    chat: false,
    interactions: [0, 0],
    generationsPerInteraction: [0, 0],
    generations: [8, 70],
    acceptanceRate: [0.18, 0.42],
    locPerGeneration: [1.5, 5],
    deletesPerGeneration: [0, 0],
  },
  {
    name: 'chat_panel_ask_mode',
    bit: 1 << 1,
    chat: true,
    interactions: [1, 14],
    generationsPerInteraction: [0.3, 1.5],
    acceptanceRate: [0.2, 0.6],
    locPerGeneration: [4, 15],
    deletesPerGeneration: [0, 3],
  },
  {
    name: 'chat_panel_edit_mode',
    bit: 1 << 2,
    chat: true,
    interactions: [1, 6],
    generationsPerInteraction: [1, 3],
    acceptanceRate: [0.4, 0.8],
    locPerGeneration: [5, 20],
    deletesPerGeneration: [1, 6],
  },
  {
    name: 'chat_panel_agent_mode',
    bit: 1 << 3,
    chat: true,
    interactions: [1, 10],
    generationsPerInteraction: [1, 4],
    acceptanceRate: [0.5, 0.9],
    locPerGeneration: [10, 40],
    deletesPerGeneration: [1, 10],
  },
  {
    name: 'agent_edit',
    bit: 1 << 4,
    chat: true,
    interactions: [0, 0],
    generationsPerInteraction: [0, 0],
    generations: [2, 20],
    acceptanceRate: [0.6, 0.95],
    locPerGeneration: [8, 30],
    deletesPerGeneration: [1, 8],
  },
  {
    name: 'chat_inline',
    bit: 1 << 5,
    chat: true,
    interactions: [1, 6],
    generationsPerInteraction: [0.8, 1.2],
    acceptanceRate: [0.3, 0.7],
    locPerGeneration: [2, 10],
    deletesPerGeneration: [0, 4],
  },
  {
    name: 'copilot_cli',
    bit: 1 << 6,
    chat: false,
    cli: true,
    interactions: [1, 12],
    generationsPerInteraction: [0, 0.6],
    acceptanceRate: [0.3, 0.7],
    locPerGeneration: [2, 12],
    deletesPerGeneration: [0, 3],
  },
];
const FEATURE_BITS = FEATURES.reduce((bits, f) => bits | f.bit, 0);
const CHAT_BITS = FEATURES.filter(
  f => f.chat && f.name !== 'agent_edit',
).reduce((b, f) => b | f.bit, 0);
const AGENT_BITS = (1 << 3) | (1 << 4);
const CLI_BIT = 1 << 6;

const LANGUAGE_WEIGHTS = [[1], [0.7, 0.3], [0.6, 0.3, 0.1]];
const IDE_WEIGHTS = [[1], [0.75, 0.25]];

function uniform(random: Random, [min, max]: [number, number]): number {
  return min + random() * (max - min);
}

function zero(): Counters {
  return [0, 0, 0, 0, 0, 0, 0];
}

function addInto(target: Counters, source: Counters): void {
  for (let i = 0; i < 7; i++) target[i] += source[i];
}

/** Splits integer counters by weights; the remainder goes to the first share so the parts add up exactly. */
function split(counters: Counters, weights: number[]): Counters[] {
  const parts = weights.map(
    w => counters.map(value => Math.floor(value * w)) as Counters,
  );
  for (let i = 0; i < 7; i++) {
    let rest = counters[i];
    for (let p = 1; p < parts.length; p++) rest -= parts[p][i];
    parts[0][i] = rest;
  }
  return parts;
}

function activityFields(c: Counters): ActivityCounters {
  return {
    user_initiated_interaction_count: c[0],
    code_generation_activity_count: c[1],
    code_acceptance_activity_count: c[2],
    loc_suggested_to_add_sum: c[3],
    loc_suggested_to_delete_sum: c[4],
    loc_added_sum: c[5],
    loc_deleted_sum: c[6],
  };
}

function languageFields(c: Counters) {
  return {
    code_generation_activity_count: c[1],
    code_acceptance_activity_count: c[2],
    loc_suggested_to_add_sum: c[3],
    loc_suggested_to_delete_sum: c[4],
    loc_added_sum: c[5],
    loc_deleted_sum: c[6],
  };
}

/** Reads a record's counters; language breakdowns have no interaction count. */
function countersOf(
  record: LanguageCounters & { user_initiated_interaction_count?: number },
): Counters {
  return [
    record.user_initiated_interaction_count ?? 0,
    record.code_generation_activity_count,
    record.code_acceptance_activity_count,
    record.loc_suggested_to_add_sum,
    record.loc_suggested_to_delete_sum,
    record.loc_added_sum,
    record.loc_deleted_sum,
  ];
}

function featureCounters(
  random: Random,
  spec: FeatureSpec,
  intensity: number,
): Counters {
  const interactions = Math.round(
    randomInt(random, spec.interactions[0], spec.interactions[1]) * intensity,
  );
  const generations = spec.generations
    ? Math.max(1, Math.round(uniform(random, spec.generations) * intensity))
    : Math.round(
        interactions * uniform(random, spec.generationsPerInteraction),
      );
  const acceptanceRate = uniform(random, spec.acceptanceRate);
  const acceptances = Math.round(generations * acceptanceRate);
  const suggestedAdd = Math.round(
    generations * uniform(random, spec.locPerGeneration),
  );
  const suggestedDelete = Math.round(
    generations * uniform(random, spec.deletesPerGeneration),
  );
  const kept = acceptanceRate * (0.7 + random() * 0.3);
  return [
    Math.max(interactions, spec.interactions[0]),
    generations,
    acceptances,
    suggestedAdd,
    suggestedDelete,
    Math.round(suggestedAdd * kept),
    Math.round(suggestedDelete * kept),
  ];
}

export interface UsageModelOptions {
  seed: number;
  users: UserProfile[];
  firstDayNumber: number;
  lastDayNumber: number;
  organizationId: string;
  enterpriseId: string;
  revisionOf(dayNumber: number): number;
  /** Seeds the aggregate-only numbers (pull requests, phase averages); default `seed`. */
  aggregateSeed?: number;
}

/** Generates per-user rows and the aggregates GitHub computes from them. */
export class UsageModel {
  private readonly plans = new Map<number, Uint16Array>();
  private readonly entityPartition: number;

  constructor(private readonly options: UsageModelOptions) {
    this.entityPartition = Number(options.organizationId) % 1000;
  }

  inRange(dayNumber: number): boolean {
    return (
      dayNumber >= this.options.firstDayNumber &&
      dayNumber <= this.options.lastDayNumber
    );
  }

  /** Who did what that day, one 16-bit word per user (0 = inactive). */
  planOf(dayNumber: number): Uint16Array {
    let plan = this.plans.get(dayNumber);
    if (!plan) {
      plan = this.computePlan(dayNumber);
      this.plans.set(dayNumber, plan);
    }
    return plan;
  }

  private computePlan(dayNumber: number): Uint16Array {
    const { users, seed } = this.options;
    const plan = new Uint16Array(users.length);
    if (!this.inRange(dayNumber)) {
      return plan;
    }
    const weekendFactor = isWeekend(dayNumber) ? 0.12 : 1;
    for (const user of users) {
      if (user.neverUsed || dayNumber > user.lapsedAfter) continue;
      const random = randomFor(seed, SALT_PLAN, user.id, dayNumber);
      if (random() >= user.engagement * weekendFactor) continue;
      let bits = ACTIVE;
      if (random() < 0.88) bits |= 1 << 0;
      if (user.chat && random() < 0.6) bits |= 1 << 1;
      if (user.chat && random() < 0.12) bits |= 1 << 2;
      if (user.agent && random() < 0.5) bits |= 1 << 3;
      if (user.agent && random() < 0.3) bits |= 1 << 4;
      if (user.chat && random() < 0.3) bits |= 1 << 5;
      if (user.cli && random() < 0.5) bits |= CLI_BIT;
      if ((bits & FEATURE_BITS) === 0) bits |= 1 << 0;
      if (user.codingAgent && random() < 0.3) bits |= CODING_AGENT;
      if (user.codeReview && random() < 0.4) bits |= REVIEW_ACTIVE;
      if (random() < 0.2) bits |= REVIEW_PASSIVE;
      plan[user.index] = bits;
    }
    return plan;
  }

  isActive(userIndex: number, dayNumber: number): boolean {
    return (this.planOf(dayNumber)[userIndex] & ACTIVE) !== 0;
  }

  /** The most recent day up to lastDay the user was active, if within the history. */
  lastActiveDay(userIndex: number): number | undefined {
    for (
      let d = this.options.lastDayNumber;
      d >= this.options.firstDayNumber;
      d--
    ) {
      if (this.isActive(userIndex, d)) return d;
    }
    return undefined;
  }

  etlId(dayNumber: number): string {
    const revision = this.options.revisionOf(dayNumber);
    const a = hashInts(this.options.seed, SALT_ETL, dayNumber, revision);
    const b = hashInts(a, SALT_ETL);
    return `${a.toString(16).padStart(8, '0')}-${b.toString(16).padStart(8, '0')}`;
  }

  *userRows(
    dayNumber: number,
    scope: ReportScope,
    from = 0,
    to = this.options.users.length,
  ): Generator<UserDayRecord> {
    const plan = this.planOf(dayNumber);
    const day = formatDay(dayNumber);
    const etlId = this.etlId(dayNumber);
    const revision = this.options.revisionOf(dayNumber);
    const end = Math.min(to, this.options.users.length);
    for (let index = from; index < end; index++) {
      const bits = plan[index];
      if (bits & ACTIVE) {
        yield this.userRow(
          this.options.users[index],
          dayNumber,
          day,
          bits,
          revision,
          etlId,
          scope,
        );
      }
    }
  }

  private userRow(
    user: UserProfile,
    dayNumber: number,
    day: string,
    bits: number,
    revision: number,
    etlId: string,
    scope: ReportScope,
  ): UserDayRecord {
    const random = randomFor(
      this.options.seed,
      SALT_COUNTS,
      user.id,
      dayNumber,
      revision,
    );
    const intensity = 0.4 + user.engagement * (0.4 + random() * 1.2);
    const sampledAt = (offset: number) =>
      timestampOn(dayNumber, 28_800 + randomInt(random, 0, 36_000) + offset);

    const languages = user.languages.slice(
      0,
      randomInt(random, 1, user.languages.length),
    );
    const languageWeights = LANGUAGE_WEIGHTS[languages.length - 1];
    const ides =
      user.ides.length > 1 && random() < 0.5
        ? user.ides
        : user.ides.slice(0, 1);

    const total = zero();
    const ideTotal = zero();
    const byFeature: Breakdowns['totals_by_feature'] = [];
    const byLanguageFeature: Breakdowns['totals_by_language_feature'] = [];
    const byModelFeature: Breakdowns['totals_by_model_feature'] = [];
    const byLanguageModel = new Map<
      string,
      { language: string; model: string; counters: Counters }
    >();
    let cli: CliTotals | undefined;

    for (const spec of FEATURES) {
      if (!(bits & spec.bit)) continue;
      const counters = featureCounters(random, spec, intensity);
      addInto(total, counters);
      if (!spec.cli) addInto(ideTotal, counters);
      byFeature.push({ feature: spec.name, ...activityFields(counters) });
      const perLanguage = split(counters, languageWeights);
      languages.forEach((language, i) => {
        byLanguageFeature.push({
          language,
          feature: spec.name,
          ...languageFields(perLanguage[i]),
        });
      });
      if (spec.chat) {
        const model = user.models[randomInt(random, 0, user.models.length - 1)];
        byModelFeature.push({
          model,
          feature: spec.name,
          ...activityFields(counters),
        });
        languages.forEach((language, i) => {
          const key = `${language}\u0000${model}`;
          const entry = byLanguageModel.get(key) ?? {
            language,
            model,
            counters: zero(),
          };
          addInto(entry.counters, perLanguage[i]);
          byLanguageModel.set(key, entry);
        });
      }
      if (spec.cli) {
        const requests = counters[0] + randomInt(random, 0, counters[0] * 2);
        const promptTokens = requests * randomInt(random, 1_500, 6_000);
        const outputTokens = requests * randomInt(random, 200, 1_200);
        cli = {
          session_count: randomInt(
            random,
            1,
            Math.max(1, Math.ceil(counters[0] / 3)),
          ),
          request_count: requests,
          prompt_count: counters[0],
          token_usage: {
            output_tokens_sum: outputTokens,
            prompt_tokens_sum: promptTokens,
            avg_tokens_per_request:
              Math.round(((promptTokens + outputTokens) / requests) * 10) / 10,
          },
          last_known_cli_version: {
            cli_version: user.cliVersion,
            sampled_at: sampledAt(0),
          },
        };
      }
    }

    // The Copilot app and third-party agents draw from their own stream, so the
    // rest of the row is what it was before GitHub reported them.
    const extra = randomFor(this.options.seed, SALT_APP, user.id, dayNumber);
    let copilotApp: CopilotAppTotals | undefined;
    if (dayNumber >= COPILOT_APP_FROM && extra() < (user.agent ? 0.35 : 0.1)) {
      const prompts = randomInt(extra, 1, 8);
      const counters = featureCounters(extra, FEATURES[3], intensity);
      counters[0] = prompts;
      addInto(total, counters);
      byFeature.push({ feature: 'copilot_app', ...activityFields(counters) });
      copilotApp = {
        prompt_count: prompts,
        request_count: prompts * randomInt(extra, 1, 3),
        session_count: randomInt(extra, 1, Math.max(1, Math.ceil(prompts / 3))),
        token_usage: {
          output_tokens_sum: prompts * randomInt(extra, 200, 1_200),
          prompt_tokens_sum: prompts * randomInt(extra, 1_500, 6_000),
        },
      };
    }
    const thirdPartyAgents: ThirdPartyAgentTotals[] = [];
    if (dayNumber >= THIRD_PARTY_AGENTS_FROM && extra() < 0.18) {
      const agents =
        extra() < 0.3
          ? THIRD_PARTY_AGENTS
          : [THIRD_PARTY_AGENTS[randomInt(extra, 0, 1)]];
      for (const agent of agents) {
        thirdPartyAgents.push({
          ...agent,
          user_initiated_interaction_count: randomInt(extra, 1, 12),
        });
      }
    }

    const byIde: IdeTotals[] = [];
    if ((bits & FEATURE_BITS & ~CLI_BIT) !== 0) {
      const perIde = split(ideTotal, IDE_WEIGHTS[ides.length - 1]);
      ides.forEach((ide, i) => {
        const versions =
          ide.ide === 'vscode'
            ? vscodeVersions(this.options.seed, user.id, dayNumber)
            : ide;
        byIde.push({
          ide: ide.ide,
          ...activityFields(perIde[i]),
          last_known_ide_version: {
            ide_version: versions.ideVersion,
            sampled_at: sampledAt(0),
          },
          last_known_plugin_version: {
            plugin: ide.plugin,
            plugin_version: versions.pluginVersion,
            sampled_at: sampledAt(5),
          },
        });
      });
    }

    const codingAgent = (bits & CODING_AGENT) !== 0;
    const credits =
      total[0] * (0.3 + random() * 0.9) +
      total[1] * 0.02 +
      (codingAgent ? 5 : 0);
    const record: UserDayRecord = {
      user_id: user.id,
      user_login: user.login,
      day,
      enterprise_id: this.options.enterpriseId,
      ...(scope === 'organization'
        ? { organization_id: this.options.organizationId }
        : {}),
      ai_credits_used: Math.round(credits * 100) / 100,
      ...activityFields(total),
      used_agent: (bits & AGENT_BITS) !== 0,
      used_chat: (bits & CHAT_BITS) !== 0,
      used_cli: (bits & CLI_BIT) !== 0,
      used_copilot_coding_agent: codingAgent,
      used_copilot_cloud_agent: codingAgent,
      used_copilot_code_review_active: (bits & REVIEW_ACTIVE) !== 0,
      used_copilot_code_review_passive: (bits & REVIEW_PASSIVE) !== 0,
      ai_adoption_phase: user.adoptionPhase,
      ...(cli ? { totals_by_cli: cli } : {}),
      ...(copilotApp
        ? { used_copilot_app: true, totals_by_copilot_app: copilotApp }
        : {}),
      ...(thirdPartyAgents.length
        ? { totals_by_3rd_party_agent: thirdPartyAgents }
        : {}),
      totals_by_feature: byFeature,
      totals_by_ide: byIde,
      totals_by_language_feature: byLanguageFeature,
      totals_by_language_model: [...byLanguageModel.values()].map(e => ({
        language: e.language,
        model: e.model,
        ...activityFields(e.counters),
      })),
      totals_by_model_feature: byModelFeature,
      etl_id: etlId,
      day_partition: day,
      entity_id_partition: this.entityPartition,
    };
    return record;
  }

  /** Distinct users whose plan matches `mask` on any of the `windowDays` days ending on `dayNumber`. */
  distinctUsers(dayNumber: number, windowDays: number, mask: number): number {
    const seen = new Uint8Array(this.options.users.length);
    let count = 0;
    for (let d = dayNumber - windowDays + 1; d <= dayNumber; d++) {
      const plan = this.planOf(d);
      for (let i = 0; i < plan.length; i++) {
        if (!seen[i] && plan[i] & mask && plan[i] & ACTIVE) {
          seen[i] = 1;
          count++;
        }
      }
    }
    return count;
  }

  aggregate(dayNumber: number, scope: ReportScope): AggregateDayRecord {
    const day = formatDay(dayNumber);
    const total = zero();
    const sums = {
      feature: new Map<string, Sum<{ feature: string }>>(),
      ide: new Map<string, Sum<{ ide: string }>>(),
      languageFeature: new Map<
        string,
        Sum<{ language: string; feature: string }>
      >(),
      languageModel: new Map<
        string,
        Sum<{ language: string; model: string }>
      >(),
      modelFeature: new Map<string, Sum<{ model: string; feature: string }>>(),
    };
    const add = <K extends Record<string, string>>(
      map: Map<string, Sum<K>>,
      keys: K,
      record: LanguageCounters,
    ) => {
      const key = Object.values(keys).join('\u0000');
      const entry = map.get(key) ?? { keys, counters: zero() };
      addInto(entry.counters, countersOf(record));
      map.set(key, entry);
    };
    const phases = new Map<
      number,
      { phase: string; users: number; counters: Counters }
    >();
    let cliUsers = 0;
    const cli = {
      session_count: 0,
      request_count: 0,
      prompt_count: 0,
      output: 0,
      prompt: 0,
    };
    let rows = 0;
    let appUsers = 0;
    const app: CopilotAppTotals = {
      prompt_count: 0,
      request_count: 0,
      session_count: 0,
      token_usage: { output_tokens_sum: 0, prompt_tokens_sum: 0 },
    };
    const agents = new Map<string, ThirdPartyAgentTotals>();

    for (const row of this.userRows(dayNumber, scope)) {
      rows++;
      if (row.totals_by_copilot_app) {
        appUsers++;
        const a = row.totals_by_copilot_app;
        app.prompt_count += a.prompt_count;
        app.request_count += a.request_count;
        app.session_count += a.session_count;
        app.token_usage.output_tokens_sum += a.token_usage.output_tokens_sum;
        app.token_usage.prompt_tokens_sum += a.token_usage.prompt_tokens_sum;
      }
      for (const e of row.totals_by_3rd_party_agent ?? []) {
        const sum = agents.get(e.agent_id) ?? {
          agent_id: e.agent_id,
          agent_name: e.agent_name,
          user_initiated_interaction_count: 0,
          session_count: 0,
        };
        sum.user_initiated_interaction_count +=
          e.user_initiated_interaction_count;
        sum.session_count! += Math.max(
          1,
          Math.ceil(e.user_initiated_interaction_count / 4),
        );
        agents.set(e.agent_id, sum);
      }
      const counters = countersOf(row);
      addInto(total, counters);
      for (const e of row.totals_by_feature)
        add(sums.feature, { feature: e.feature }, e);
      for (const e of row.totals_by_ide) add(sums.ide, { ide: e.ide }, e);
      for (const e of row.totals_by_language_feature)
        add(
          sums.languageFeature,
          { language: e.language, feature: e.feature },
          e,
        );
      for (const e of row.totals_by_language_model)
        add(sums.languageModel, { language: e.language, model: e.model }, e);
      for (const e of row.totals_by_model_feature)
        add(sums.modelFeature, { model: e.model, feature: e.feature }, e);
      const phase = phases.get(row.ai_adoption_phase.phase_number) ?? {
        phase: row.ai_adoption_phase.phase,
        users: 0,
        counters: zero(),
      };
      phase.users++;
      addInto(phase.counters, counters);
      phases.set(row.ai_adoption_phase.phase_number, phase);
      if (row.totals_by_cli) {
        cliUsers++;
        cli.session_count += row.totals_by_cli.session_count;
        cli.request_count += row.totals_by_cli.request_count;
        cli.prompt_count += row.totals_by_cli.prompt_count;
        cli.output += row.totals_by_cli.token_usage.output_tokens_sum;
        cli.prompt += row.totals_by_cli.token_usage.prompt_tokens_sum;
      }
    }

    const random = randomFor(
      this.options.aggregateSeed ?? this.options.seed,
      SALT_AGGREGATE,
      dayNumber,
      this.options.revisionOf(dayNumber),
    );
    const pullRequests = this.pullRequests(random, rows);
    const entries = <K extends Record<string, string>, T>(
      map: Map<string, Sum<K>>,
      fields: (c: Counters) => T,
    ): Array<K & T> =>
      [...map.values()]
        .sort((a, b) =>
          Object.values(a.keys)
            .join('/')
            .localeCompare(Object.values(b.keys).join('/')),
        )
        .map(e => ({ ...e.keys, ...fields(e.counters) }));
    const windows = (mask: number) =>
      [1, 7, 28].map(w => this.distinctUsers(dayNumber, w, mask));
    const [dau, wau, mau] = windows(ACTIVE);
    const [dCloud, wCloud, mCloud] = windows(CODING_AGENT);
    const [dReview, wReview, mReview] = windows(REVIEW_ACTIVE);
    const [dPassive, wPassive, mPassive] = windows(REVIEW_PASSIVE);
    const average = (value: number, users: number) =>
      Math.round((value / users) * 100) / 100;

    return {
      day,
      ...(scope === 'organization'
        ? { organization_id: this.options.organizationId }
        : {}),
      enterprise_id: this.options.enterpriseId,
      daily_active_users: dau,
      weekly_active_users: wau,
      monthly_active_users: mau,
      monthly_active_chat_users: this.distinctUsers(dayNumber, 28, CHAT_BITS),
      monthly_active_agent_users: this.distinctUsers(dayNumber, 28, AGENT_BITS),
      daily_active_copilot_cloud_agent_users: dCloud,
      weekly_active_copilot_cloud_agent_users: wCloud,
      monthly_active_copilot_cloud_agent_users: mCloud,
      daily_active_copilot_code_review_users: dReview,
      weekly_active_copilot_code_review_users: wReview,
      monthly_active_copilot_code_review_users: mReview,
      daily_passive_copilot_code_review_users: dPassive,
      weekly_passive_copilot_code_review_users: wPassive,
      monthly_passive_copilot_code_review_users: mPassive,
      ...(cliUsers > 0 ? { daily_active_cli_users: cliUsers } : {}),
      ...activityFields(total),
      pull_requests: pullRequests,
      ...(cliUsers > 0
        ? {
            totals_by_cli: {
              session_count: cli.session_count,
              request_count: cli.request_count,
              prompt_count: cli.prompt_count,
              token_usage: {
                output_tokens_sum: cli.output,
                prompt_tokens_sum: cli.prompt,
                avg_tokens_per_request:
                  cli.request_count > 0
                    ? Math.round(
                        ((cli.output + cli.prompt) / cli.request_count) * 10,
                      ) / 10
                    : null,
              },
            },
          }
        : {}),
      totals_by_ai_adoption_phase: [...phases.entries()]
        .sort(([a], [b]) => a - b)
        .map(([phaseNumber, p]): AdoptionPhaseTotals => ({
          phase: p.phase,
          phase_number: phaseNumber,
          total_engaged_users: p.users,
          avg_user_initiated_interactions: average(p.counters[0], p.users),
          avg_code_generation_activities: average(p.counters[1], p.users),
          avg_code_acceptance_activities: average(p.counters[2], p.users),
          avg_loc_added: average(p.counters[5], p.users),
          avg_loc_deleted: average(p.counters[6], p.users),
          avg_pull_requests_reviewed: Math.round(random() * 300) / 100,
          avg_pull_requests_created: Math.round(random() * 200) / 100,
          avg_pull_requests_merged: Math.round(random() * 150) / 100,
          avg_pull_requests_median_minutes_to_merge: Math.round(
            60 + random() * 600,
          ),
        })),
      totals_by_feature: entries(sums.feature, activityFields),
      totals_by_ide: entries(sums.ide, activityFields),
      totals_by_language_feature: entries(sums.languageFeature, languageFields),
      totals_by_language_model: entries(sums.languageModel, activityFields),
      totals_by_model_feature: entries(sums.modelFeature, activityFields),
      ...(dayNumber >= COPILOT_APP_FROM
        ? { daily_active_copilot_app_users: appUsers }
        : {}),
      ...(appUsers > 0 ? { totals_by_copilot_app: app } : {}),
      ...(agents.size > 0
        ? {
            totals_by_3rd_party_agent: [...agents.values()].sort((a, b) =>
              a.agent_id.localeCompare(b.agent_id),
            ),
          }
        : {}),
      etl_id: this.etlId(dayNumber),
      day_partition: day,
      entity_id_partition: this.entityPartition,
    };
  }

  private pullRequests(random: Random, activeUsers: number): PullRequestTotals {
    const created = Math.round(activeUsers * (0.3 + random() * 0.4));
    const merged = Math.round(created * (0.6 + random() * 0.3));
    const createdByCopilot = Math.round(created * (0.05 + random() * 0.15));
    const reviewedByCopilot = Math.round(created * (0.2 + random() * 0.4));
    const copilotSuggestions = reviewedByCopilot * randomInt(random, 1, 4);
    const copilotApplied = Math.round(
      copilotSuggestions * (0.2 + random() * 0.4),
    );
    const suggestions = copilotSuggestions + Math.round(created * random() * 2);
    const minutes = () =>
      created > 0 ? Math.round((30 + random() * 900) * 10) / 10 : null;
    const byType = [
      ['bug', 0.3],
      ['performance', 0.1],
      ['readability', 0.35],
      ['security', 0.05],
      ['other', 0.2],
    ] as const;
    return {
      total_created: created,
      total_reviewed: Math.round(created * (0.8 + random() * 0.4)),
      total_merged: merged,
      median_minutes_to_merge: minutes(),
      total_suggestions: suggestions,
      total_applied_suggestions: Math.round(
        suggestions * (0.2 + random() * 0.3),
      ),
      total_created_by_copilot: createdByCopilot,
      total_reviewed_by_copilot: reviewedByCopilot,
      total_merged_created_by_copilot: Math.round(
        createdByCopilot * (0.5 + random() * 0.4),
      ),
      total_merged_reviewed_by_copilot: Math.round(
        reviewedByCopilot * (0.6 + random() * 0.3),
      ),
      median_minutes_to_merge_copilot_authored:
        createdByCopilot > 0 ? minutes() : null,
      median_minutes_to_merge_copilot_reviewed:
        reviewedByCopilot > 0 ? minutes() : null,
      total_copilot_suggestions: copilotSuggestions,
      total_copilot_applied_suggestions: copilotApplied,
      copilot_suggestions_by_comment_type: byType.map(([type, share]) => ({
        comment_type: type,
        total_copilot_suggestions: Math.round(copilotSuggestions * share),
        total_copilot_applied_suggestions: Math.round(copilotApplied * share),
      })),
    };
  }
}
