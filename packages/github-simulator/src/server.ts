import {
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import express, { NextFunction, Request, Response } from 'express';
import { parseDay } from './days';
import { FaultList, ReportName, SimulatorFault } from './faults';
import { SimulatedGithubApp, SimulatedGithubAppOptions } from './githubApp';
import {
  createSyntheticEnterprise,
  type ReportSource,
  type SyntheticEnterprise,
} from './enterprise';
import {
  fileChunks,
  fileCount,
  FileFormat,
  fileRecords,
  isRowReport,
  ReportFile,
} from './reportFiles';
import { mountRepoReports } from './repos';
import { ReportScope, SyntheticOrg, SyntheticOrgOptions } from './types';

export type { SimulatorFault, ReportName } from './faults';

export interface SimulatorOptions extends SyntheticOrgOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
  /** When set, API routes (not downloads) require `Authorization: token|Bearer <token>`. */
  token?: string;
  /**
   * A GitHub App: serves its installations and installation tokens, and the report
   * routes accept a token only of the installation on their org or enterprise.
   */
  app?: SimulatedGithubAppOptions;
  /** File format of per-user and user-teams files; aggregate files are always one JSON object. Default 'ndjson'. */
  format?: FileFormat;
  /** Default 1; more splits users / user-teams rows across several download links. */
  filesPerReport?: number;
  /** Host name put in download links; default the same as `host`. */
  downloadHost?: string;
  /** Signed link lifetime; default 10 minutes. */
  linkTtlMs?: number;
  /** Default true; false plays a GitHub without the repos-1-day report (404). */
  reposReport?: boolean;
}

export interface SimulatorStats {
  apiRequests: number;
  downloads: number;
  /** Downloads that carried an Authorization header: a client should never send its GitHub token there. */
  downloadsWithAuthorization: number;
  /** Requests per route, keyed like 'GET /orgs/{org}/copilot/billing/seats'. */
  byRoute: Record<string, number>;
}

export interface GithubSimulator {
  /** API base URL, e.g. http://127.0.0.1:PORT (what integrations.github[].apiBaseUrl points at). */
  readonly url: string;
  /** The first org (`options.org`, default acme). */
  readonly org: SyntheticOrg;
  /** Every org of the enterprise, the first org first. */
  readonly orgs: readonly SyntheticOrg[];
  /** The enterprise (`options.enterprise`): its own, deduplicated reports and enterprise teams. */
  readonly enterprise: SyntheticEnterprise;
  /** The GitHub App of `options.app`. */
  readonly githubApp?: SimulatedGithubApp;
  inject(fault: SimulatorFault): void;
  clearFaults(): void;
  /** GitHub revised that day: its reports return different numbers from now on. */
  revise(day: string): void;
  readonly stats: SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const RATE_LIMIT = 5000;
const ORG_REPORTS_1_DAY: ReportName[] = [
  'organization-1-day',
  'users-1-day',
  'user-teams-1-day',
];
const ORG_REPORTS_28_DAY: ReportName[] = [
  'organization-28-day',
  'users-28-day',
];
const ENTERPRISE_REPORTS_1_DAY: ReportName[] = [
  'enterprise-1-day',
  'users-1-day',
  'user-teams-1-day',
];
const ENTERPRISE_REPORTS_28_DAY: ReportName[] = [
  'enterprise-28-day',
  'users-28-day',
];
/** Downloads are written in chunks of about this size, waiting for the socket to drain in between. */
const WRITE_CHUNK_CHARS = 64 * 1024;

function sendError(
  res: Response,
  status: number,
  message: string,
  documentationUrl = DOCS,
) {
  res.status(status).json({
    message,
    documentation_url: documentationUrl,
    status: String(status),
  });
}

function newStats(): SimulatorStats {
  return {
    apiRequests: 0,
    downloads: 0,
    downloadsWithAuthorization: 0,
    byRoute: {},
  };
}

/** Azure Blob Storage's answer to a bad or expired signature. */
function azureAuthenticationFailed(res: Response, detail: string) {
  res
    .status(403)
    .type('application/xml')
    .send(
      `<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code>` +
        `<Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.\n` +
        `RequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message>` +
        `<AuthenticationErrorDetail>${detail}</AuthenticationErrorDetail></Error>`,
    );
}

function pageParams(req: Request, defaultPerPage: number) {
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.query.per_page) || defaultPerPage),
  );
  const page = Math.max(1, Math.floor(Number(req.query.page)) || 1);
  return { perPage, page };
}

/** Starts the simulator on loopback. */
export async function startGithubSimulator(
  options: SimulatorOptions = {},
): Promise<GithubSimulator> {
  const host = options.host ?? '127.0.0.1';
  const format: FileFormat = options.format ?? 'ndjson';
  const filesPerReport = options.filesPerReport ?? 1;
  const linkTtlMs = options.linkTtlMs ?? 10 * 60_000;
  const enterprise = createSyntheticEnterprise(options);
  const org = enterprise.orgs[0];
  const faults = new FaultList();
  const signingKey = randomBytes(32);
  const githubApp =
    options.app &&
    new SimulatedGithubApp(options.app, {
      orgs: enterprise.orgs.map(o => o.org),
      enterprise: enterprise.enterprise,
    });
  /** Why the request's credentials may not call this route; undefined when they may. */
  const refusal = (req: Request) => {
    const credential = /^(?:token|bearer)\s+(.+)$/i.exec(
      req.headers.authorization ?? '',
    )?.[1];
    if (githubApp && credential) {
      const owner =
        req.params.enterprise !== undefined
          ? { kind: 'enterprise' as const, name: req.params.enterprise }
          : { kind: 'org' as const, name: req.params.org ?? '' };
      const check = githubApp.checkToken(credential, owner);
      if (check) return check.ok ? undefined : check;
    }
    const open = options.token === undefined && !githubApp;
    return open || (credential !== undefined && credential === options.token)
      ? undefined
      : { status: 401, message: 'Bad credentials' };
  };
  let stats = newStats();
  let rateLimitUsed = 0;
  let apiBase = '';
  let downloadBase = '';

  const count = (route: string) => {
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
  };
  const sign = (path: string, expires: number) =>
    createHmac('sha256', signingKey)
      .update(`${path}\n${expires}`)
      .digest('base64url');

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  /** Shared by every API route: auth, rate-limit headers, injected API faults. */
  const apiRoute =
    (route: string, target: 'api' | 'seats' | 'teams') =>
    (req: Request, res: Response, next: NextFunction) => {
      stats.apiRequests++;
      count(route);
      res.setHeader('x-github-api-version-selected', '2022-11-28');
      res.setHeader('x-github-request-id', randomUUID().toUpperCase());
      const refused = refusal(req);
      if (refused) {
        sendError(res, refused.status, refused.message);
        return;
      }
      rateLimitUsed++;
      const resetAt = Math.ceil(Date.now() / 3_600_000) * 3600;
      res.setHeader('x-ratelimit-limit', String(RATE_LIMIT));
      res.setHeader(
        'x-ratelimit-remaining',
        String(Math.max(0, RATE_LIMIT - rateLimitUsed)),
      );
      res.setHeader('x-ratelimit-reset', String(resetAt));
      res.setHeader('x-ratelimit-used', String(rateLimitUsed));
      res.setHeader('x-ratelimit-resource', 'core');

      const request = {
        report: req.params.report,
        day: typeof req.query.day === 'string' ? req.query.day : undefined,
      };
      const limited = faults.take('rateLimit', request);
      if (limited) {
        res.setHeader('retry-after', String(limited.retryAfterSeconds));
        if (limited.status === 403) {
          res.setHeader('x-ratelimit-remaining', '0');
          res.setHeader(
            'x-ratelimit-reset',
            String(Math.ceil(Date.now() / 1000) + limited.retryAfterSeconds),
          );
          sendError(
            res,
            403,
            'API rate limit exceeded for installation.',
            `${DOCS}/overview/rate-limits-for-the-rest-api`,
          );
        } else {
          sendError(
            res,
            429,
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          );
        }
        return;
      }
      const failure = faults.take(
        'status',
        request,
        fault => fault.target === target,
      );
      if (failure) {
        sendError(
          res,
          failure.status,
          failure.status === 500 ? 'Internal Server Error' : 'Server Error',
        );
        return;
      }
      next();
    };

  /** The org a route's `:org` names; knownOrg has checked that it exists. */
  const orgOf = (req: Request) => enterprise.org(req.params.org)!;
  const knownOrg = (req: Request, res: Response, next: NextFunction) => {
    if (!enterprise.org(req.params.org)) {
      sendError(res, 404, 'Not Found');
      return;
    }
    next();
  };
  const knownEnterprise = (req: Request, res: Response, next: NextFunction) => {
    if (req.params.enterprise !== enterprise.enterprise) {
      sendError(res, 404, 'Not Found');
      return;
    }
    next();
  };

  /** Whose reports a download serves: an org of the enterprise, or the enterprise. */
  const sourceOf = (
    scope: ReportScope,
    owner: string,
  ): ReportSource | undefined => {
    if (scope === 'organization') return enterprise.org(owner);
    return owner === enterprise.enterprise ? enterprise : undefined;
  };

  function reportLinks(
    scope: ReportScope,
    owner: string,
    report: ReportName,
    day: string,
  ): string[] {
    const expired = faults.take('expiredLinks', { report, day });
    const expires = expired ? Date.now() - 60_000 : Date.now() + linkTtlMs;
    const extension =
      format === 'ndjson' || !isRowReport(report) ? 'ndjson' : 'json';
    const parts = fileCount(
      sourceOf(scope, owner)!,
      scope,
      report,
      day,
      filesPerReport,
      format,
    );
    return Array.from({ length: parts }, (_, part) => {
      const path = `/downloads/${scope}/${owner}/${report}/${day}/${part}.${extension}`;
      return `${downloadBase}${path}?expires=${expires}&sig=${sign(path, expires)}`;
    });
  }

  function mountReports(
    scope: ReportScope,
    prefix: string,
    oneDay: ReportName[],
    twentyEightDay: ReportName[],
  ) {
    const ownerCheck = scope === 'organization' ? knownOrg : knownEnterprise;
    const ownerOf = (req: Request) =>
      scope === 'organization' ? req.params.org : req.params.enterprise;
    const routePrefix =
      scope === 'organization' ? '/orgs/{org}' : '/enterprises/{enterprise}';
    app.get(
      `${prefix}/copilot/metrics/reports/:report/latest`,
      (req, res, next) =>
        apiRoute(
          `GET ${routePrefix}/copilot/metrics/reports/${req.params.report}/latest`,
          'api',
        )(req, res, next),
      ownerCheck,
      (req, res) => {
        const report = req.params.report as ReportName;
        if (!twentyEightDay.includes(report)) {
          sendError(res, 404, 'Not Found');
          return;
        }
        const { startDay, endDay } = org.latest28DayWindow();
        if (faults.take('noData', { report, day: endDay })) {
          res.status(204).end();
          return;
        }
        res.json({
          download_links: reportLinks(scope, ownerOf(req), report, endDay),
          report_start_day: startDay,
          report_end_day: endDay,
        });
      },
    );
    app.get(
      `${prefix}/copilot/metrics/reports/:report`,
      (req, res, next) =>
        apiRoute(
          `GET ${routePrefix}/copilot/metrics/reports/${req.params.report}`,
          'api',
        )(req, res, next),
      ownerCheck,
      (req, res) => {
        const report = req.params.report as ReportName;
        if (!oneDay.includes(report)) {
          sendError(res, 404, 'Not Found');
          return;
        }
        const day = req.query.day;
        if (typeof day !== 'string' || day === '') {
          sendError(
            res,
            422,
            'Invalid request.\n\n"day" wasn\'t supplied.',
            `${DOCS}/copilot/copilot-usage-metrics`,
          );
          return;
        }
        const dayNumber = parseDay(day);
        if (dayNumber === undefined) {
          sendError(
            res,
            422,
            `Invalid request.\n\nInvalid value for "day": '${day}' is not a date in YYYY-MM-DD format.`,
            `${DOCS}/copilot/copilot-usage-metrics`,
          );
          return;
        }
        if (
          day < org.firstDay ||
          day > org.lastDay ||
          faults.take('noData', { report, day })
        ) {
          res.status(204).end();
          return;
        }
        res.json({
          download_links: reportLinks(scope, ownerOf(req), report, day),
          report_day: day,
        });
      },
    );
  }

  mountRepoReports(app, {
    enterprise,
    faults,
    apiRoute,
    sign,
    downloadBase: () => downloadBase,
    linkTtlMs,
    enabled: options.reposReport ?? true,
    countDownload: (route, authorized) => {
      stats.downloads++;
      count(route);
      if (authorized) stats.downloadsWithAuthorization++;
    },
  });
  mountReports(
    'organization',
    '/orgs/:org',
    ORG_REPORTS_1_DAY,
    ORG_REPORTS_28_DAY,
  );
  mountReports(
    'enterprise',
    '/enterprises/:enterprise',
    ENTERPRISE_REPORTS_1_DAY,
    ENTERPRISE_REPORTS_28_DAY,
  );

  function paginate<T>(
    req: Request,
    res: Response,
    items: T[],
    defaultPerPage: number,
  ): T[] {
    const { perPage, page } = pageParams(req, defaultPerPage);
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    const linkTo = (target: number) => {
      const url = new URL(req.originalUrl, apiBase);
      url.searchParams.set('per_page', String(perPage));
      url.searchParams.set('page', String(target));
      return url.toString();
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${linkTo(page - 1)}>; rel="prev"`);
    if (page < lastPage)
      links.push(
        `<${linkTo(page + 1)}>; rel="next"`,
        `<${linkTo(lastPage)}>; rel="last"`,
      );
    if (page > 1) links.push(`<${linkTo(1)}>; rel="first"`);
    if (links.length > 0) res.setHeader('link', links.join(', '));
    return items.slice((page - 1) * perPage, page * perPage);
  }

  app.get(
    '/orgs/:org/copilot/billing/seats',
    apiRoute('GET /orgs/{org}/copilot/billing/seats', 'seats'),
    knownOrg,
    (req, res) => {
      const seats = orgOf(req).seats();
      res.json({
        total_seats: seats.length,
        seats: paginate(req, res, seats, 50),
      });
    },
  );

  app.get(
    '/enterprises/:enterprise/copilot/billing/seats',
    apiRoute('GET /enterprises/{enterprise}/copilot/billing/seats', 'seats'),
    knownEnterprise,
    (req, res) => {
      res.json({
        total_seats: enterprise.seatHolders(),
        seats: paginate(req, res, enterprise.seats(), 50),
      });
    },
  );

  app.get(
    '/orgs/:org/teams',
    apiRoute('GET /orgs/{org}/teams', 'teams'),
    knownOrg,
    (req, res) => {
      res.json(paginate(req, res, orgOf(req).githubTeams(), 30));
    },
  );

  app.get(
    '/orgs/:org/teams/:slug/members',
    apiRoute('GET /orgs/{org}/teams/{team_slug}/members', 'teams'),
    knownOrg,
    (req, res) => {
      const teamOrg = orgOf(req);
      const team = teamOrg.teams.find(t => t.slug === req.params.slug);
      if (!team) {
        sendError(res, 404, 'Not Found');
        return;
      }
      // GitHub lists members of child teams too, marked as inherited.
      const childSlugs = teamOrg.teams
        .filter(t => t.parentSlug === team.slug)
        .map(t => t.slug);
      const members = teamOrg.membersOn(teamOrg.lastDay);
      const direct = members
        .filter(m => m.teamSlug === team.slug)
        .map(m => m.userId);
      const inherited = members
        .filter(
          m => childSlugs.includes(m.teamSlug) && !direct.includes(m.userId),
        )
        .map(m => m.userId);
      const rows = [...new Set(direct)]
        .map(id => ({ id, inherited: false }))
        .concat([...new Set(inherited)].map(id => ({ id, inherited: true })))
        .map(({ id, inherited: viaChild }, position) => ({
          ...teamOrg.simpleUser(id),
          role: position === 0 ? ('maintainer' as const) : ('member' as const),
          inherited: viaChild,
        }));
      res.json(paginate(req, res, rows, 30));
    },
  );

  async function serveDownload(req: Request, res: Response) {
    stats.downloads++;
    count(`GET /downloads/${req.params.report}`);
    if (req.headers.authorization !== undefined) {
      stats.downloadsWithAuthorization++;
    }
    const path = req.path;
    const expires = Number(req.query.expires);
    const signature =
      typeof req.query.sig === 'string'
        ? Buffer.from(req.query.sig)
        : Buffer.alloc(0);
    const expected = Buffer.from(sign(path, expires));
    if (
      !Number.isFinite(expires) ||
      signature.length !== expected.length ||
      !timingSafeEqual(signature, expected)
    ) {
      azureAuthenticationFailed(res, 'Signature did not match.');
      return;
    }
    if (Date.now() > expires) {
      azureAuthenticationFailed(
        res,
        `Signed expiry time [${new Date(expires).toUTCString()}] must be after current time [${new Date().toUTCString()}]`,
      );
      return;
    }
    const source = sourceOf(req.params.scope as ReportScope, req.params.owner);
    if (!source) {
      res
        .status(404)
        .type('text/plain')
        .send('The specified blob does not exist.');
      return;
    }
    const file: ReportFile = {
      scope: req.params.scope as ReportScope,
      report: req.params.report as ReportName,
      day: req.params.day,
      part: Number.parseInt(req.params.file, 10),
    };
    const request = { report: file.report, day: file.day };
    const failure = faults.take(
      'status',
      request,
      fault => fault.target === 'download',
    );
    if (failure) {
      res
        .status(failure.status)
        .type('text/plain')
        .send('The server encountered an error.');
      return;
    }
    const rowReport = isRowReport(file.report);
    const fileFormat: FileFormat = rowReport ? format : 'ndjson';
    const parts = fileCount(
      source,
      file.scope,
      file.report,
      file.day,
      filesPerReport,
      format,
    );
    const malformed = faults.take('malformed', request);
    const chunks = fileChunks(
      fileRecords(source, file, parts, format),
      fileFormat,
      malformed ? (malformed.line ?? 1) : undefined,
    );
    res.setHeader(
      'content-type',
      rowReport && format === 'ndjson'
        ? 'application/x-ndjson'
        : 'application/json',
    );
    res.setHeader('x-ms-request-id', randomUUID());

    const truncated = faults.take('truncated', request);
    if (truncated) {
      // Needs the full length up front, so this (test-only) path builds the body.
      const body = Buffer.from([...chunks].join(''));
      let cut = Math.floor(body.length / 2);
      if (truncated.atLineBoundary) {
        const newline = body.lastIndexOf(0x0a, cut - 1);
        cut = newline >= 0 ? newline + 1 : cut;
      }
      res.setHeader('content-length', String(body.length));
      res.write(body.subarray(0, cut), () => res.socket?.destroy());
      return;
    }

    let pending = '';
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= WRITE_CHUNK_CHARS) {
        const flushed = res.write(pending);
        pending = '';
        if (!flushed) {
          await new Promise<void>(resolve => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
          if (res.destroyed) return;
        }
      }
    }
    res.end(pending);
  }

  if (githubApp) {
    // The App's own routes take its JWT, not an installation token.
    const appRoute = (req: Request, res: Response, next: NextFunction) => {
      stats.apiRequests++;
      count(
        `${req.method} ${req.route.path.replace(':id', '{installation_id}')}`,
      );
      if (!githubApp.verifyJwt(req.headers.authorization)) {
        sendError(res, 401, 'A JSON web token could not be decoded');
        return;
      }
      next();
    };
    app.get('/app/installations', appRoute, (_req, res) => {
      res.json(githubApp.installations);
    });
    app.post('/app/installations/:id/access_tokens', appRoute, (req, res) => {
      const token = githubApp.issueToken(Number(req.params.id));
      if (!token) {
        sendError(res, 404, 'Not Found');
        return;
      }
      res.status(201).json(token);
    });
  }

  app.get('/downloads/:scope/:owner/:report/:day/:file', (req, res, next) => {
    serveDownload(req, res).catch(next);
  });

  app.use((_req: Request, res: Response) => sendError(res, 404, 'Not Found'));
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    if (!res.headersSent) {
      sendError(res, 500, `Simulator error: ${error.message}`);
    } else {
      res.destroy(error);
    }
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = (name: string) => (name.includes(':') ? `[${name}]` : name);
  apiBase = `http://${urlHost(host)}:${port}`;
  downloadBase = `http://${urlHost(options.downloadHost ?? host)}:${port}`;

  return {
    url: apiBase,
    org,
    orgs: enterprise.orgs,
    enterprise,
    githubApp,
    inject: fault => faults.add(fault),
    clearFaults: () => faults.clear(),
    revise: day => enterprise.revise(day),
    get stats() {
      return stats;
    },
    resetStats: () => {
      stats = newStats();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
