import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ImportResponse } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { gzipSync } from 'node:zlib';
import type { CopilotUsageArchive } from '../archive/CopilotUsageArchive';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import {
  AggregateDayRow,
  BreakdownDayRow,
  ImportedDay,
  TeamDayRollup,
} from '../store/types';
import { ScopeKey, scopeKey } from '../lib/scope';
import { ImportFormat } from './detectFormat';
import { MappedDay } from './formats/shared';
import { parseImportFile } from './parseImportFile';

/** What an import does with teams the org's membership reports do not list. */
export type UnknownTeams = 'refuse' | 'keep';

/** The file being imported, as named in messages, and how to read it. */
interface ImportRequest {
  file: string;
  format?: ImportFormat;
  /** Teams the membership reports do not list: `importFile` refuses them by default, `replay` (a file accepted once) keeps them. */
  unknownTeams?: UnknownTeams;
}

export interface ImportSummary extends ImportResponse {
  format: ImportFormat;
  scope: ScopeKey;
}

/**
 * Imports history files of other tools (see ./parseImportFile) into a scope: the whole
 * file is checked first, then stored in one transaction, skipping every day that has
 * report data. With an archive configured the file is copied there as uploaded, so a
 * restore brings the imported days back, and the archive's history files are rewritten.
 */
export class ImportService {
  constructor(
    private readonly options: {
      store: CopilotUsageStore;
      archive?: CopilotUsageArchive;
      logger?: LoggerService;
    },
  ) {}

  /**
   * Imports an uploaded file into an org (all or nothing); throws an ImportFileError
   * (an InputError) naming the file and the position of the first problem.
   */
  async importFile(
    text: string,
    request: ImportRequest & { org: string },
  ): Promise<ImportSummary> {
    const { archive, logger, store } = this.options;
    const scope = scopeKey({ kind: 'org', name: request.org });
    const summary = await this.replay(text, {
      ...request,
      scope,
      unknownTeams: request.unknownTeams ?? 'refuse',
    });
    if (archive && summary.firstDay !== null) {
      const key = archive.layout.importKey(scope, new Date(), summary.format);
      const content = gzipSync(text);
      summary.archiveKey = key;
      // Kept until the bucket has it: every archive step (and a restore) retries it.
      await store.addImportToArchive({ key, scope, content });
      try {
        await archive.bucket.put(key, content, 'application/gzip');
        await store.recordImportArchived(key, {});
      } catch (error) {
        const message = `The import is stored, but its copy to ${archive.bucket.location}/${key} failed: ${(error as Error).message}; the archive step retries it`;
        summary.archiveError = message;
        summary.archivePending = true;
        logger?.warn(`Copilot usage: ${message}`);
        await store.recordImportArchived(key, { error: message });
        await store.updateArchiveState(scope, {
          lastRunAt: new Date().toISOString(),
          lastError: message,
        });
      }
    }
    // Keep the history files in the archive current without waiting for the next sync.
    await archive
      ?.writeHistory(scope)
      .catch(error =>
        logger?.warn(
          `Copilot usage: history files not rewritten after an import: ${error.message}`,
        ),
      );
    return summary;
  }

  /** Stores a file into a scope, all or nothing, and no more: how a restore replays one. */
  async replay(
    text: string,
    request: ImportRequest & { scope: ScopeKey },
  ): Promise<ImportSummary> {
    const { store } = this.options;
    const { scope, file } = request;
    const parsed = parseImportFile(text, { file, format: request.format });

    const reportDays = new Set(await store.getReportDays(scope));
    const teamIds = await store.getTeamIds(scope);
    const unknownTeams = [...parsed.teamDays.keys()]
      .filter(slug => !teamIds.has(slug))
      .sort();
    if (unknownTeams.length > 0 && request.unknownTeams === 'refuse') {
      const known = [...teamIds.keys()].sort();
      throw new InputError(
        `Cannot import ${file}: ${scope} has no team ${unknownTeams.map(slug => `'${slug}'`).join(', ')} in its membership reports (${
          known.length
            ? `known teams: ${known.join(', ')}`
            : 'no membership report is stored yet'
        }); nothing was imported. Fix the slugs, or send the file again with unknownTeams=keep to store these teams under their slugs`,
      );
    }
    const byDay = new Map<string, ImportedDay>();
    const skipped = new Set<string>();
    /** The day to add to, or undefined for a day report data covers. */
    const dayOf = (day: string) => {
      if (reportDays.has(day)) {
        skipped.add(day);
        return undefined;
      }
      const existing = byDay.get(day) ?? { day, teams: [], breakdowns: [] };
      byDay.set(day, existing);
      return existing;
    };
    let orgDays = 0;
    let teamDays = 0;
    for (const mapped of parsed.orgDays) {
      const imported = dayOf(mapped.day);
      if (!imported) continue;
      imported.aggregate = aggregateRow(scope, mapped);
      imported.breakdowns.push(...breakdownRows(scope, mapped, 'org'));
      orgDays += 1;
    }
    for (const [slug, days] of parsed.teamDays) {
      for (const mapped of days) {
        const imported = dayOf(mapped.day);
        if (!imported) continue;
        imported.teams.push(
          teamRow(scope, slug, teamIds.get(slug) ?? 0, mapped),
        );
        imported.breakdowns.push(
          ...breakdownRows(scope, mapped, `team:${slug}`),
        );
        teamDays += 1;
      }
    }
    const days = [...byDay.keys()].sort();
    await store.writeImport(scope, async writer => {
      for (const day of days) {
        await writer.replaceImportedDay(byDay.get(day)!);
      }
    });
    return {
      file,
      format: parsed.format,
      scope,
      orgDays,
      teamDays,
      teams: parsed.teamDays.size,
      unknownTeams,
      skippedReportDays: [...skipped].sort(),
      firstDay: days[0] ?? null,
      lastDay: days[days.length - 1] ?? null,
    };
  }
}

function aggregateRow(scope: ScopeKey, mapped: MappedDay): AggregateDayRow {
  return {
    scope,
    day: mapped.day,
    dailyActiveUsers: mapped.activeUsers,
    weeklyActiveUsers: mapped.weeklyActiveUsers,
    monthlyActiveUsers: mapped.monthlyActiveUsers,
    monthlyActiveChatUsers: mapped.monthlyActiveChatUsers,
    monthlyActiveAgentUsers: mapped.monthlyActiveAgentUsers,
    dailyActiveCliUsers: mapped.cliUsers,
    ...mapped.counters,
    raw: mapped.raw,
    source: 'import',
  };
}

function teamRow(
  scope: ScopeKey,
  teamSlug: string,
  teamId: number,
  mapped: MappedDay,
): TeamDayRollup {
  return {
    scope,
    day: mapped.day,
    teamSlug,
    teamId,
    memberCount: mapped.memberCount,
    activeUsers: mapped.activeUsers,
    weeklyActiveUsers: mapped.weeklyActiveUsers,
    monthlyActiveUsers: mapped.monthlyActiveUsers,
    chatUsers: mapped.chatUsers,
    agentUsers: mapped.agentUsers,
    cliUsers: mapped.cliUsers ?? 0,
    ...mapped.counters,
    source: 'import',
  };
}

function breakdownRows(
  scope: ScopeKey,
  mapped: MappedDay,
  subject: string,
): BreakdownDayRow[] {
  return mapped.breakdowns.map(breakdown => ({
    scope,
    day: mapped.day,
    subject,
    ...breakdown,
  }));
}
