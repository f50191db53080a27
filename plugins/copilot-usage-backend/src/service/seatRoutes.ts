/* The seat routes: utilisation counts and the list of seats nobody uses (admins). */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import Router from 'express-promise-router';
import { Scope, ScopeKind } from '../lib/scope';
import { inactiveSeatsToCsv } from './csv';
import { sendDocument } from './http';
import { PermissionChecks } from './permissions';
import { SeatUtilisationReport } from './SeatUtilisation';
import {
  enterpriseParams,
  inactiveSeatsQuery,
  orgParams,
  parse,
} from './validation';

/** Each owner kind: where its name is in the path, read (400 when bad) from the params. */
const OWNERS: Array<{
  kind: ScopeKind;
  path: string;
  nameIn: (params: unknown) => string;
}> = [
  {
    kind: 'org',
    path: '/orgs/:org',
    nameIn: params => parse(orgParams, params, 'organization').org,
  },
  {
    kind: 'enterprise',
    path: '/enterprises/:enterprise',
    nameIn: params => parse(enterpriseParams, params, 'enterprise').enterprise,
  },
];

/**
 * `GET /orgs/:org/seats`, `GET /orgs/:org/seats/inactive` and the same under
 * `/enterprises/:enterprise`, all for admins only: the list names people, and
 * the counts are about billing. One handler per route, parameterised by scope.
 */
export function seatRoutes(options: {
  seats: SeatUtilisationReport;
  access: PermissionChecks;
  credentialsOf: (req: Request) => Promise<BackstageCredentials>;
  /** The org or enterprise as configured, or a 404. */
  configuredOwner: (owner: Scope) => Scope;
}) {
  const { seats, access, credentialsOf, configuredOwner } = options;
  const router = Router();

  for (const { kind, path, nameIn } of OWNERS) {
    router.get(`${path}/seats`, async (req, res) => {
      const credentials = await credentialsOf(req);
      const name = nameIn(req.params);
      await access.requireAdmin(credentials);
      res.json(await seats.utilisation(configuredOwner({ kind, name })));
    });

    router.get(`${path}/seats/inactive`, async (req, res) => {
      const credentials = await credentialsOf(req);
      const name = nameIn(req.params);
      const query = parse(inactiveSeatsQuery, req.query, 'query');
      await access.requireAdmin(credentials);
      const body = await seats.inactiveSeats(configuredOwner({ kind, name }), {
        status: query.status,
      });
      sendDocument(res, query.format, body, inactiveSeatsToCsv);
    });
  }

  return router;
}
