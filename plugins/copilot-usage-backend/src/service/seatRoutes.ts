/* The seat routes: utilisation counts and the list of seats nobody uses (admins). */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import Router from 'express-promise-router';
import { Scope } from '../lib/scope';
import { inactiveSeatsToCsv } from './csv';
import { sendDocument } from './http';
import { PermissionChecks } from './permissions';
import { SeatUtilisationReport } from './SeatUtilisation';
import { OWNER_ROUTES, inactiveSeatsQuery, parse } from './validation';

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

  for (const { path, ownerIn } of OWNER_ROUTES) {
    router.get(`${path}/seats`, async (req, res) => {
      const credentials = await credentialsOf(req);
      const owner = ownerIn(req.params);
      await access.requireAdmin(credentials);
      res.json(await seats.utilisation(configuredOwner(owner)));
    });

    router.get(`${path}/seats/inactive`, async (req, res) => {
      const credentials = await credentialsOf(req);
      const owner = ownerIn(req.params);
      const query = parse(inactiveSeatsQuery, req.query, 'query');
      await access.requireAdmin(credentials);
      const body = await seats.inactiveSeats(configuredOwner(owner), {
        status: query.status,
      });
      sendDocument(res, query.format, body, inactiveSeatsToCsv);
    });
  }

  return router;
}
