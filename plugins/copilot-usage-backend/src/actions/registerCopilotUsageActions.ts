import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { UsageReads } from '../service/UsageReads';
import {
  orgParams,
  parse,
  parseRangeQuery,
  teamParams,
} from '../service/validation';
import {
  Zod,
  summariseSyncStatus,
  summariseUsage,
  syncStatusSummarySchema,
  usageSummarySchema,
} from './summaries';

/** Every action only reads, and the same input gives the same answer. */
const READ_ONLY = { readOnly: true, idempotent: true, destructive: false };

const RANGE_HELP =
  'Days are YYYY-MM-DD in UTC. Leave both out for the 28 days ending at the last day with data; ' +
  'give only `from` for 28 days from it; at most 366 days. GitHub publishes a day two days later.';

const rangeInput = (z: Zod) => ({
  from: z.string().optional().describe('First day, YYYY-MM-DD (included)'),
  to: z.string().optional().describe('Last day, YYYY-MM-DD (included)'),
});

/** A Group ref (`group:default/team-a`, `default/team-a` or `team-a`) as the route's params. */
function teamOf(ref: string): { namespace: string; name: string } {
  let parsed;
  try {
    parsed = parseEntityRef(ref, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(`Invalid team: '${ref}' is not an entity ref`);
  }
  if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(`Invalid team: '${ref}' is not a Group`);
  }
  return parse(teamParams, parsed, 'team');
}

/**
 * Registers the plugin's MCP-ready actions. Each runs as the calling user through
 * {@link UsageReads}, the same permission checks and documents as the HTTP routes:
 * a refused read is a NotAllowedError, never data.
 */
export function registerCopilotUsageActions(options: {
  actionsRegistry: ActionsRegistryService;
  reads: UsageReads;
  /** Configured orgs; the first is the default of the org action. */
  organizations: string[];
  /** The clock; tests pin it. */
  now?: () => Date;
}): void {
  const { actionsRegistry, reads, organizations } = options;
  const now = () => options.now?.() ?? new Date();

  actionsRegistry.register({
    name: 'list-copilot-teams',
    title: 'List Copilot usage teams',
    description:
      'Lists the teams (Backstage Groups mapped to GitHub teams) whose GitHub Copilot usage the ' +
      'calling user may view: their own teams, or every team for Copilot usage admins. ' +
      '`eligible: false` means the team is below the privacy floor and has no numbers to show. ' +
      'Use the `entityRef` with get-copilot-team-usage.',
    attributes: READ_ONLY,
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          teams: z.array(
            z.object({
              entityRef: z.string().describe('e.g. group:default/team-a'),
              title: z.string(),
              githubTeam: z
                .string()
                .describe(
                  '<org>/<team slug>, or <enterprise>/ent:<slug> for an enterprise team',
                ),
              owner: z
                .enum(['org', 'enterprise'])
                .describe(
                  'Whether the team is an org team or an enterprise team (across orgs)',
                ),
              eligible: z.boolean(),
            }),
          ),
        }),
    },
    action: async ({ credentials }) => {
      const { items } = await reads.listTeams(credentials);
      return {
        output: {
          teams: items.map(team => ({
            ...team,
            githubTeam: `${team.owner.name}/${team.slug}`,
            owner: team.owner.kind,
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-copilot-team-usage',
    title: "Get a team's Copilot usage",
    description:
      'How one team uses GitHub Copilot over a range of days: distinct active users against members, ' +
      'interactions, code completion acceptance rate, chat and agent users (daily and over 28 days), ' +
      `top IDEs, languages, features and models. ${RANGE_HELP} ` +
      'Only members of the team and Copilot usage admins may read it; others are refused.',
    attributes: READ_ONLY,
    examples: [
      {
        title: 'The last 28 days of a team',
        input: { team: 'group:default/team-a' },
      },
    ],
    schema: {
      input: z =>
        z.object({
          team: z
            .string()
            .describe(
              'The Group, e.g. group:default/team-a (see list-copilot-teams)',
            ),
          ...rangeInput(z),
        }),
      output: usageSummarySchema,
    },
    action: async ({ input, credentials }) => {
      const team = teamOf(input.team);
      const range = parseRangeQuery({ from: input.from, to: input.to });
      const document = await reads.teamDocument(credentials, team, range);
      return { output: summariseUsage(document) };
    },
  });

  actionsRegistry.register({
    name: 'get-copilot-org-usage',
    title: "Get the organization's Copilot usage",
    description:
      "GitHub Copilot usage of a whole GitHub organization over a range of days, from GitHub's own " +
      'organization report (not a sum of teams): active users, interactions, acceptance rate, agent and ' +
      `chat users, top IDEs, languages, features and models. ${RANGE_HELP} ` +
      `Configured organizations: ${organizations.join(', ') || 'none'}. ` +
      'Readable by those allowed the organization overview (admins by default).',
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          org: z
            .string()
            .optional()
            .describe(`GitHub organization; default ${organizations[0]}`),
          ...rangeInput(z),
        }),
      output: usageSummarySchema,
    },
    action: async ({ input, credentials }) => {
      const { org } = parse(
        orgParams,
        { org: input.org ?? organizations[0] },
        'organization',
      );
      const range = parseRangeQuery({ from: input.from, to: input.to });
      const document = await reads.ownerDocument(
        credentials,
        { kind: 'org', name: org },
        range,
      );
      return { output: summariseUsage(document) };
    },
  });

  actionsRegistry.register({
    name: 'get-copilot-sync-status',
    title: 'Get the Copilot usage sync status',
    description:
      'Whether the sync of GitHub Copilot usage reports is healthy, per organization or enterprise: the ' +
      'last complete day and how many days it is behind today (2 is current: GitHub publishes a day two ' +
      'days later), days missing, the last error, the archive backlog. `problems` lists what needs ' +
      'attention. Copilot usage admins only.',
    attributes: READ_ONLY,
    schema: {
      input: z => z.object({}),
      output: syncStatusSummarySchema,
    },
    action: async ({ credentials }) => ({
      output: summariseSyncStatus(await reads.syncStatus(credentials), now()),
    }),
  });
}
