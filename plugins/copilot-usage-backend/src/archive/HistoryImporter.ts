import { gzipSync } from 'node:zlib';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import {
  AggregateDayRow,
  BreakdownDayRow,
  ImportedDay,
  ScopeKey,
  TeamDayRollup,
} from '../store/types';
import { ArchiveLayout } from './layout';
import { ImportFormat, MappedDay, parseHistoryFile } from './parseHistoryFile';
import { ArchiveBucket } from './S3ArchiveBucket';

export interface ImportSummary {
  file: string;
  format: ImportFormat;
  scope: ScopeKey;
  /** Org days stored. */
  orgDays: number;
  /** Team-days stored, over every team of the file. */
  teamDays: number;
  teams: number;
  /** Days left alone because report data covers them. */
  skippedReportDays: string[];
  firstDay: string | null;
  lastDay: string | null;
  /** Where the file was copied in the archive, when one is configured and the copy worked. */
  archiveKey?: string;
  archiveError?: string;
}

/**
 * Imports history files of other tools (see parseHistoryFile) into a scope: the whole
 * file is checked first, then stored in one transaction, skipping every day that has
 * report data. With an archive configured the file is copied there as uploaded, so a
 * restore brings the imported days back.
 */
export class HistoryImporter {
  constructor(
    private readonly options: {
      store: CopilotUsageStore;
      archive?: { bucket: ArchiveBucket; layout: ArchiveLayout };
      clock?: () => Date;
    },
  ) {}

  async import(
    text: string,
    request: {
      file: string;
      scope: ScopeKey;
      format?: ImportFormat;
      /** Copy the file to the archive (default true; a restore replaying the archive says false). */
      copyToArchive?: boolean;
    },
  ): Promise<ImportSummary> {
    const { store, archive } = this.options;
    const { scope, file } = request;
    const parsed = parseHistoryFile(text, { file, format: request.format });

    const reportDays = new Set(await store.getReportDays(scope));
    const teamIds = await store.getTeamIds(scope);
    const byDay = new Map<string, ImportedDay>();
    const dayOf = (day: string) => {
      const existing = byDay.get(day) ?? { day, teams: [], breakdowns: [] };
      byDay.set(day, existing);
      return existing;
    };
    const skipped = new Set<string>();
    let orgDays = 0;
    let teamDays = 0;
    for (const mapped of parsed.orgDays) {
      if (reportDays.has(mapped.day)) {
        skipped.add(mapped.day);
        continue;
      }
      const imported = dayOf(mapped.day);
      imported.aggregate = aggregateRow(scope, mapped);
      imported.breakdowns.push(...breakdownRows(scope, mapped, 'org'));
      orgDays += 1;
    }
    for (const [slug, days] of parsed.teamDays) {
      for (const mapped of days) {
        if (reportDays.has(mapped.day)) {
          skipped.add(mapped.day);
          continue;
        }
        const imported = dayOf(mapped.day);
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

    const summary: ImportSummary = {
      file,
      format: parsed.format,
      scope,
      orgDays,
      teamDays,
      teams: parsed.teamDays.size,
      skippedReportDays: [...skipped].sort(),
      firstDay: days[0] ?? null,
      lastDay: days[days.length - 1] ?? null,
    };
    if (archive && request.copyToArchive !== false && days.length > 0) {
      const key = archive.layout.importKey(
        scope,
        (this.options.clock ?? (() => new Date()))(),
        parsed.format,
      );
      try {
        await archive.bucket.put(key, gzipSync(text), 'application/gzip');
        summary.archiveKey = key;
      } catch (error) {
        summary.archiveError = `The import is stored, but its copy to ${archive.bucket.location}/${key} failed: ${(error as Error).message}`;
      }
    }
    return summary;
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
