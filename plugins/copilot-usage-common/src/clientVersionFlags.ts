/*
 * Client versions GitHub named as miscounting activity in its usage reports, so an
 * admin can see whom to ask to upgrade. Kept next to seriesBreaks.ts: each entry
 * belongs to a break in the series (the day GitHub started counting differently).
 */
import type { IsoDay } from './api/metricsDocument';

/**
 * A client whose older versions GitHub named as miscounting activity.
 *
 * @public
 */
export interface ClientVersionFlag {
  /** Identifies the flag (stable; used in documents and tests). */
  id: string;
  /** The client as GitHub's reports name it: an IDE of `totals_by_ide`, or `cli`. */
  client: string;
  /** The first version counted correctly; `null` when GitHub did not publish one. */
  fixedIn: string | null;
  /** The day from which the older versions miscount (a series break). */
  since: IsoDay;
  /** A few words for the flag. */
  label: string;
  /** What is wrong with the older versions' figures. */
  note: string;
}

const UNDERCOUNT_NOTE =
  'Since 2026-10-06 agent sessions of older clients run through the Copilot SDK without IDE identity: their agent activity and agent lines are undercounted, partly counted as CLI, until the client updates. GitHub does not backfill; billing is unaffected.';

/**
 * The versions GitHub named on 2026-10-06 (source: the project's API reference,
 * "Updates to 2026-12", "Breaks in the series"): VS Code below 1.139.0. For Visual
 * Studio, JetBrains IDEs, Eclipse and Xcode GitHub said fixes ship "through November
 * 2026" without naming versions, so `fixedIn` is `null`: those clients are listed
 * with the note but no version of theirs is flagged.
 *
 * @public
 */
export const CLIENT_VERSION_FLAGS: ReadonlyArray<ClientVersionFlag> = [
  {
    id: 'agent-undercount-2026-10-06-vscode',
    client: 'vscode',
    fixedIn: '1.139.0',
    since: '2026-10-06',
    label: 'Undercounts agent activity: update to VS Code 1.139.0 or later',
    note: UNDERCOUNT_NOTE,
  },
  ...['visualstudio', 'intellij', 'eclipse', 'xcode'].map(client => ({
    id: `agent-undercount-2026-10-06-${client}`,
    client,
    fixedIn: null,
    since: '2026-10-06',
    label:
      'Older versions undercount agent activity (fixes through November 2026; GitHub names no version)',
    note: UNDERCOUNT_NOTE,
  })),
];

/**
 * Compares dotted version strings numerically part by part (`1.139.0` is above `1.99.2`);
 * a part's leading digits count, the rest is ignored. `undefined` when either has
 * no number to compare (`unknown`, empty).
 *
 * @public
 */
export function compareVersions(a: string, b: string): number | undefined {
  const parts = (v: string) =>
    /^\s*v?\d/.test(v)
      ? v
          .trim()
          .replace(/^v/, '')
          .split(/[.-]/)
          .map(p => Number(/^\d+/.exec(p)?.[0] ?? 0))
      : undefined;
  const x = parts(a);
  const y = parts(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * The flag of a client's version: set when GitHub named a first fixed version and
 * this one is older. An unknown version is never flagged.
 *
 * @public
 */
export function clientVersionFlag(
  client: string,
  version: string,
  flags: ReadonlyArray<ClientVersionFlag> = CLIENT_VERSION_FLAGS,
): ClientVersionFlag | undefined {
  return flags.find(flag => {
    if (flag.client !== client.toLowerCase() || flag.fixedIn === null) {
      return false;
    }
    const order = compareVersions(version, flag.fixedIn);
    return order !== undefined && order < 0;
  });
}
