/*
 * Where things live in the archive. Every key starts with the configured prefix:
 *
 *   <prefix><scope>/<report>/<day>.ndjson.gz    a day's report file, one line per record
 *   <prefix><scope>/seats/<day>.ndjson.gz       the seat snapshot taken that day
 *   <prefix><scope>/teams_history.json          team history (org scopes)
 *   <prefix><scope>/organisation_history.json   org (or enterprise) history
 *   <prefix>imports/<scope>/<time>-<format>.json.gz   every imported file, as uploaded
 *
 * <scope> is `org-<name>` or `enterprise-<name>`; <report> is GitHub's report name.
 */
import { reportName } from '../github/GithubCopilotClient';
import {
  AnyReportKind,
  OPTIONAL_REPORT_KINDS,
  REPORT_KINDS,
  Scope,
  ScopeKey,
  parseScopeKey,
  scopeKey,
} from '../lib/scope';

/** `org:acme` → `org-acme`: a key segment without a colon, which some S3 tools mangle. */
export function scopeSegment(key: ScopeKey): string {
  const scope = parseScopeKey(key);
  return `${scope.kind}-${scope.name}`;
}

function scopeFromSegment(segment: string): ScopeKey | undefined {
  const match = /^(org|enterprise)-(.+)$/.exec(segment);
  return match
    ? scopeKey({ kind: match[1] as Scope['kind'], name: match[2] })
    : undefined;
}

export const TEAMS_HISTORY_FILE = 'teams_history.json';
export const ORGANISATION_HISTORY_FILE = 'organisation_history.json';

export class ArchiveLayout {
  constructor(readonly prefix: string) {}

  reportKey(key: ScopeKey, report: AnyReportKind, day: string): string {
    const name = reportName(parseScopeKey(key), report);
    return `${this.prefix}${scopeSegment(key)}/${name}/${day}.ndjson.gz`;
  }

  seatsKey(key: ScopeKey, snapshotDay: string): string {
    return `${this.prefix}${scopeSegment(key)}/seats/${snapshotDay}.ndjson.gz`;
  }

  historyKey(key: ScopeKey, file: string): string {
    return `${this.prefix}${scopeSegment(key)}/${file}`;
  }

  importKey(key: ScopeKey, at: Date, format: string): string {
    // The time sorts the imports in the order they were made, which a restore replays.
    const time = at.toISOString().replace(/[:.]/g, '-');
    return `${this.prefix}imports/${scopeSegment(key)}/${time}-${format}.json.gz`;
  }

  /** What an archive key holds, or undefined for keys this plugin did not write. */
  parse(key: string): ArchivedObject | undefined {
    if (!key.startsWith(this.prefix)) {
      return undefined;
    }
    const parts = key.slice(this.prefix.length).split('/');
    if (parts[0] === 'imports' && parts.length === 3) {
      const scope = scopeFromSegment(parts[1]);
      return scope && parts[2].endsWith('.json.gz')
        ? { type: 'import', scope, key }
        : undefined;
    }
    const scope = scopeFromSegment(parts[0]);
    const dayFile = /^(\d{4}-\d{2}-\d{2})\.ndjson\.gz$/.exec(parts[2] ?? '');
    if (!scope || parts.length !== 3 || !dayFile) {
      return undefined;
    }
    const day = dayFile[1];
    if (parts[1] === 'seats') {
      return { type: 'seats', scope, day, key };
    }
    const report = [...REPORT_KINDS, ...OPTIONAL_REPORT_KINDS].find(
      kind => reportName(parseScopeKey(scope), kind) === parts[1],
    );
    return report ? { type: 'report', scope, report, day, key } : undefined;
  }
}

export type ArchivedObject =
  | {
      type: 'report';
      scope: ScopeKey;
      report: AnyReportKind;
      day: string;
      key: string;
    }
  | { type: 'seats'; scope: ScopeKey; day: string; key: string }
  | { type: 'import'; scope: ScopeKey; key: string };
