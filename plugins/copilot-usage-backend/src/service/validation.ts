/* The routes' input checks: the zod schemas of params and queries, and `parse`. */
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { IMPORT_FORMATS } from '../import/detectFormat';
import { formatIssues, isoDaySchema } from '../lib/zod';
import { Scope } from '../lib/scope';
import { checkRange } from './RangeResolver';

// Backstage entity names and namespaces: letters and digits, separated by [-_.].
const entityNamePart = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/,
    'must be letters and digits separated by -, _ or .',
  );

// GitHub org logins: letters, digits and single hyphens, at most 39 characters.
const orgName = z
  .string()
  .max(39, 'must be at most 39 characters')
  .regex(
    /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    'must be a GitHub organization name',
  );

const rangeQuery = z.object({
  from: isoDaySchema.optional(),
  to: isoDaySchema.optional(),
  format: z.enum(['json', 'csv']).optional(),
});

/** A metrics document's query: its range, format and view (`MetricsView`). */
const metricsQuery = rangeQuery.extend({
  view: z.enum(['full', 'headline']).optional(),
});

export const inactiveSeatsQuery = z.object({
  status: z.enum(['inactive', 'never-used']).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export const teamParams = z.object({
  namespace: entityNamePart,
  name: entityNamePart,
});
export const orgParams = z.object({ org: orgName });
// Enterprise slugs follow the org name rules.
export const enterpriseParams = z.object({ enterprise: orgName });

/**
 * The routes of an org and of the enterprise take the same shape: each owner
 * kind's path prefix, and its name read (400 when bad) from the params.
 */
export const OWNER_ROUTES: ReadonlyArray<{
  path: string;
  ownerIn: (params: unknown) => Scope;
}> = [
  {
    path: '/orgs/:org',
    ownerIn: params => ({
      kind: 'org',
      name: parse(orgParams, params, 'organization').org,
    }),
  },
  {
    path: '/enterprises/:enterprise',
    ownerIn: params => ({
      kind: 'enterprise',
      name: parse(enterpriseParams, params, 'enterprise').enterprise,
    }),
  },
];

// GitHub user logins: letters, digits, hyphens; managed users (EMU) add `_<shortcode>`.
export const userParams = z.object({
  login: z
    .string()
    .max(100, 'must be at most 100 characters')
    .regex(
      /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/,
      'must be a GitHub login (letters, digits, hyphens, underscores)',
    ),
});

export const importQuery = z.object({
  org: orgName.optional(),
  format: z.enum(IMPORT_FORMATS).optional(),
  file: z
    .string()
    .max(200, 'must be at most 200 characters')
    .regex(/^[\w.@+-]+$/, 'must be a file name (letters, digits, . _ - @ +)')
    .optional(),
  /** Teams the org's membership reports do not list: refused (default) or kept. */
  unknownTeams: z.enum(['refuse', 'keep']).optional(),
});

/** The value if it matches the schema, else a 400 naming `what` and every issue. */
export function parse<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${formatIssues(result.error, { separator: ' ' })}`,
    );
  }
  return result.data;
}

/** A range query (`from`, `to`, `format`), its explicit range checked. */
export function parseRangeQuery(query: unknown): z.infer<typeof rangeQuery> {
  const parsed = parse(rangeQuery, query, 'query');
  checkRange(parsed);
  return parsed;
}

export function parseMetricsQuery(
  query: unknown,
): z.infer<typeof metricsQuery> {
  const parsed = parse(metricsQuery, query, 'query');
  checkRange(parsed);
  return parsed;
}
