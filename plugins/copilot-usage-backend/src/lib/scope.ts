/**
 * The domain vocabulary shared by the GitHub client, ingest, the store and the
 * router: which GitHub entity (scope) and which daily report.
 */

/** `org:<name>` or `enterprise:<name>`: one synced GitHub entity. */
export type ScopeKey = string;

export type ScopeKind = 'org' | 'enterprise';

export interface Scope {
  kind: ScopeKind;
  name: string;
}

export function scopeKey(scope: Scope): ScopeKey {
  return `${scope.kind}:${scope.name}`;
}

export function parseScopeKey(key: ScopeKey): Scope {
  const i = key.indexOf(':');
  const kind = key.slice(0, i);
  if (i < 1 || (kind !== 'org' && kind !== 'enterprise')) {
    throw new Error(`Invalid scope key '${key}'`);
  }
  return { kind, name: key.slice(i + 1) };
}

/** The three daily reports a scope+day is built from. */
export type ReportKind = 'aggregate' | 'users' | 'user-teams';
export const REPORT_KINDS: ReportKind[] = ['aggregate', 'user-teams', 'users'];

/**
 * Reports a day may lack without failing: `repos` (repos-1-day), which GitHub added
 * on 2026-07-17, so older days and GitHub Enterprise Server versions have none.
 * A day stays complete on {@link REPORT_KINDS} alone.
 */
export type OptionalReportKind = 'repos';
export const OPTIONAL_REPORT_KINDS: OptionalReportKind[] = ['repos'];
/** Every report the ingestion log and the archive know. */
export type AnyReportKind = ReportKind | OptionalReportKind;
