/*
 * The zod pieces every input check of the backend shares: the day schema and
 * one way to say what is wrong.
 */
import { z } from 'zod';
import { isIsoDay } from './days';

/** A real calendar day in `YYYY-MM-DD` (config, query parameters, imported files). */
export const isoDaySchema = z
  .string()
  .max(10, 'must be a day in YYYY-MM-DD format')
  .refine(isIsoDay, 'must be a real calendar day in YYYY-MM-DD format');

/** A JSON-path-like rendering of an issue path: `.a.b[2]["odd key"]`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map(part => {
      if (typeof part === 'number') return `[${part}]`;
      const key = String(part);
      return /^[A-Za-z_$][\w$]*$/.test(key)
        ? `.${key}`
        : `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/**
 * Every issue as `<root><path><separator><message>`, joined with `; `.
 * `root` names what was checked (`copilotUsage`, `$`); without a root the
 * leading dot of the path is dropped, and an empty path reads `empty`.
 */
export function formatIssues(
  error: z.ZodError,
  options: { root?: string; separator?: string; empty?: string } = {},
): string {
  const { root = '', separator = ': ', empty = '' } = options;
  return error.issues
    .map(issue => {
      const path = `${root}${issuePath(issue.path)}`.replace(/^\./, '');
      return `${path || empty}${path || empty ? separator : ''}${issue.message}`;
    })
    .join('; ');
}
