/*
 * The formats an import reads, how a file's first entry tells which it is, and where
 * in a file a problem is (a JSON path such as `$[2].data[5].total_active_users`, or
 * a line and column for JSON syntax). One module per format in ./formats:
 * - `teams-history`: `[{ team: { name, slug, ... }, data: [day, ...] }, ...]`
 * - `metrics-days`: `[day, ...]` (or `{ data: [...] }`) keyed by `date`: legacy
 *   `/copilot/metrics` days or this plugin's history days, each recognised on its own
 * - `usage-days`: `[day, ...]` of the legacy `/copilot/usage` API, keyed by `day`
 */
import { z } from 'zod';
import { issuePath } from '../lib/zod';
import { jsonErrorOffset } from './jsonSyntaxError';

export const IMPORT_FORMATS = [
  'teams-history',
  'metrics-days',
  'usage-days',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The format of a file whose first entry, at `path`, is `first`. */
export function detectFormat(first: unknown, path: string): ImportFormat {
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    const keys = first as Record<string, unknown>;
    if ('team' in keys && 'data' in keys) return 'teams-history';
    if ('date' in keys) return 'metrics-days';
    if ('day' in keys) return 'usage-days';
  }
  return fail(
    `${path}[0]`,
    'unknown format: expected team entries ({ team, data }), days with `date` (/copilot/metrics or history files) or days with `day` (/copilot/usage)',
  );
}

/** A problem at a position of a file; parseImportFile adds the file's name. */
export class FileProblem extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(message);
  }
}

export function fail(where: string, message: string): never {
  throw new FileProblem(where, message);
}

/** `item` as `schema` reads it, or a {@link FileProblem} at its first issue. */
export function checked<T extends z.ZodType>(
  schema: T,
  item: unknown,
  path: string,
): z.infer<T> {
  const result = schema.safeParse(item);
  if (!result.success) {
    const [issue] = result.error.issues;
    return fail(`${path}${issuePath(issue.path)}`, issue.message);
  }
  return result.data;
}

/**
 * Line and column (both from 1) of the first character of `text` that is not JSON,
 * found by ./jsonSyntaxError (JSON.parse messages of Node 20 often carry no offset);
 * the offset V8 put in the message, or the end, if that reader accepted the text.
 */
export function syntaxPosition(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  const offset =
    jsonErrorOffset(text) ?? (match ? Number(match[1]) : text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
