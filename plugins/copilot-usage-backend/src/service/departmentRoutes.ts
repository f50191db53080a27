/* `GET /groups/:namespace/:name/metrics`: a department's rollup over its subtree's teams. */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { Request } from 'express';
import Router from 'express-promise-router';
import { DepartmentReads, DepartmentReadsOptions } from './Departments';
import { parse, parseRangeQuery, teamParams } from './validation';

/**
 * The department route. Checks in the router's order: credentials (401), input
 * (400), permission (403), existence (404). JSON only: the children table has no
 * CSV form.
 */
export function departmentRoutes(
  options: DepartmentReadsOptions & {
    credentialsOf: (req: Request) => Promise<BackstageCredentials>;
  },
) {
  const departments = new DepartmentReads(options);
  const router = Router();
  router.get('/groups/:namespace/:name/metrics', async (req, res) => {
    const credentials = await options.credentialsOf(req);
    const group = parse(teamParams, req.params, 'group');
    const query = parseRangeQuery(req.query);
    if (query.format === 'csv') {
      throw new InputError(
        'A department has no CSV form; ask for format=json or leave format out',
      );
    }
    res.json(await departments.document(credentials, group, query));
  });
  return router;
}
