/* The seat routes: utilisation counts and the list of seats nobody uses (admins). */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import Router from 'express-promise-router';
import { inactiveSeatsToCsv } from './csv';
import { sendDocument } from './http';
import { PermissionChecks } from './permissions';
import { SeatUtilisationReport } from './SeatUtilisation';
import { inactiveSeatsQuery, orgParams, parse } from './validation';

/**
 * `GET /orgs/:org/seats` and `GET /orgs/:org/seats/inactive`, both for admins
 * only: the list names people, and the counts are about billing.
 */
export function seatRoutes(options: {
  seats: SeatUtilisationReport;
  access: PermissionChecks;
  credentialsOf: (req: Request) => Promise<BackstageCredentials>;
  /** The org as configured, or a 404. */
  configuredOrg: (org: string) => string;
}) {
  const { seats, access, credentialsOf, configuredOrg } = options;
  const router = Router();

  router.get('/orgs/:org/seats', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    await access.requireAdmin(credentials);
    res.json(await seats.forOrg(configuredOrg(params.org)));
  });

  router.get('/orgs/:org/seats/inactive', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    const query = parse(inactiveSeatsQuery, req.query, 'query');
    await access.requireAdmin(credentials);
    const body = await seats.inactiveSeats(configuredOrg(params.org), {
      status: query.status,
    });
    sendDocument(res, query.format, body, inactiveSeatsToCsv);
  });

  return router;
}
