/* Scorecard facts: per-team figures for service callers (Tech Insights fact retrievers). */
import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  MetricsDocument,
  TeamFactsItem,
  TeamFactsResponse,
  ratio,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { forEachLimited } from '../lib/concurrency';
import { scopeKey } from '../lib/scope';
import { DayRange } from './RangeResolver';
import { DirectoryTeam, TeamDirectory } from './TeamDirectory';
import { UsageReads } from './UsageReads';

/** Team documents built at once; each is a few store queries. */
const CONCURRENCY = 4;

/**
 * `GET /facts/teams`: one entry per team the backend knows, over the 28 days
 * ending at its org's (or enterprise's) last complete day. Service-to-service
 * only: a user gets 403 whatever their permissions, since the list covers every
 * team (the Tech Insights backend stores the facts and applies its own access).
 */
export function factRoutes(options: {
  reads: Pick<UsageReads, 'ranges' | 'teamMetrics'>;
  teamDirectory: Pick<TeamDirectory, 'listTeams'>;
  auth: Pick<AuthService, 'isPrincipal'>;
  credentialsOf: (req: Request) => Promise<BackstageCredentials>;
}) {
  const { reads, teamDirectory, auth, credentialsOf } = options;
  const router = Router();

  router.get('/facts/teams', async (req, res) => {
    const credentials = await credentialsOf(req);
    if (!auth.isPrincipal(credentials, 'service')) {
      throw new NotAllowedError(
        'GET /facts/teams is for backend services (e.g. Tech Insights), not for users',
      );
    }
    const teams = await teamDirectory.listTeams();
    const ranges = new Map<string, Promise<DayRange>>();
    const rangeOf = (team: DirectoryTeam) => {
      const key = scopeKey(team.owner);
      if (!ranges.has(key)) ranges.set(key, reads.ranges.resolve(key, {}));
      return ranges.get(key)!;
    };
    const items = new Map<DirectoryTeam, TeamFactsItem>();
    await forEachLimited(
      teams,
      CONCURRENCY,
      () => true,
      async team => {
        const document = await reads.teamMetrics.document(
          team,
          await rangeOf(team),
          { includeSuppressed: false },
        );
        items.set(team, teamFacts(team, document));
      },
    );
    const body: TeamFactsResponse = {
      items: teams.map(team => items.get(team)!),
    };
    res.json(body);
  });

  return router;
}

/** The scorecard figures of one team's (non-admin) metrics document. */
export function teamFacts(
  team: DirectoryTeam,
  document: MetricsDocument,
): TeamFactsItem {
  const { totals } = document;
  let agentUsers = 0;
  let memberDays = 0;
  for (const day of document.days) {
    if (day.agentUsers !== null && day.memberCount !== null) {
      agentUsers += day.agentUsers;
      memberDays += day.memberCount;
    }
  }
  const members = totals.members ?? null;
  return {
    entityRef: team.entityRef,
    owner: { kind: team.owner.kind, name: team.owner.name },
    slug: team.slug,
    from: document.from,
    to: document.to,
    eligible: document.eligible,
    members,
    activeUsers: totals.activeUsers,
    adoption: members === null ? null : ratio(totals.activeUsers, members),
    agentAdoption: ratio(agentUsers, memberDays),
    completionAcceptanceRate: totals.completionAcceptanceRate,
    daysOfData: document.eligible ? totals.days : 0,
  };
}
