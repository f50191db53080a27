/*
 * Reads a history file kept by another tool (or by this plugin's own archive) and
 * maps it onto the plugin's metrics, one module per format in ./formats. Pure: no
 * store, no I/O, so a file is fully checked before anything is written.
 * docs/archive-and-import.md has the field mapping.
 */
import { InputError } from '@backstage/errors';
import {
  FileProblem,
  ImportFormat,
  detectFormat,
  fail,
  syntaxPosition,
} from './detectFormat';
import { readCopilotMetricsDay } from './formats/copilotMetrics';
import { readCopilotUsageDay } from './formats/copilotUsage';
import {
  isHistoryDay,
  readHistoryDay,
  readTeamEntry,
} from './formats/historyFiles';
import { MappedDay } from './formats/shared';

export interface ParsedImportFile {
  format: ImportFormat;
  /** Org days (metrics-days, usage-days), ascending, one per day. */
  orgDays: MappedDay[];
  /** Team slug → its days ascending, one per day (teams-history). */
  teamDays: Map<string, MappedDay[]>;
}

/** A file that cannot be imported: names the file and where the first problem is. */
export class ImportFileError extends InputError {}

/**
 * Parses and maps a whole file; throws {@link ImportFileError} naming the file and
 * the position of the first problem (see ./detectFormat).
 */
export function parseImportFile(
  text: string,
  options: { file: string; format?: ImportFormat },
): ParsedImportFile {
  try {
    return parse(text, options.format);
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    throw new ImportFileError(
      `Cannot import ${options.file}: at ${error.where}: ${error.message}; nothing was imported`,
    );
  }
}

function parse(text: string, format?: ImportFormat): ParsedImportFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(syntaxPosition(text, error as Error), (error as Error).message);
  }

  let days: unknown = value;
  let basePath = '$';
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    days = (value as { data: unknown[] }).data;
    basePath = '$.data';
  }
  if (!Array.isArray(days)) {
    return fail('$', 'expected a JSON array (of days or of teams)');
  }
  if (days.length === 0) {
    return fail(basePath, 'the file holds no days');
  }
  const detected = format ?? detectFormat(days[0], basePath);

  if (detected === 'teams-history') {
    if (basePath !== '$')
      fail('$', 'a teams history is an array of { team, data } entries');
    const teamDays = new Map<string, MappedDay[]>();
    days.forEach((entry, index) => {
      const at = `$[${index}]`;
      const { team, data } = readTeamEntry(entry, at);
      const mapped = mapDays(data, `${at}.data`, 'metrics');
      const earlier = teamDays.get(team.slug) ?? [];
      teamDays.set(team.slug, byDay([...earlier, ...mapped]));
    });
    return { format: detected, orgDays: [], teamDays };
  }
  return {
    format: detected,
    orgDays: mapDays(
      days,
      basePath,
      detected === 'usage-days' ? 'usage' : 'metrics',
    ),
    teamDays: new Map(),
  };
}

function mapDays(
  items: unknown[],
  path: string,
  kind: 'metrics' | 'usage',
): MappedDay[] {
  return byDay(
    items.map((item, index) => {
      const at = `${path}[${index}]`;
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        fail(at, 'expected a day object');
      }
      if (kind === 'usage') return readCopilotUsageDay(item, at);
      return isHistoryDay(item as object)
        ? readHistoryDay(item, at)
        : readCopilotMetricsDay(item, at);
    }),
  );
}

/** One entry a day, ascending; later entries win: files merged over time repeat days with newer figures. */
function byDay(days: MappedDay[]): MappedDay[] {
  const latest = new Map(days.map(day => [day.day, day]));
  return [...latest.values()].sort((a, b) => a.day.localeCompare(b.day));
}
