/*
 * Validates the simulator's JSON responses against GitHub's own OpenAPI
 * description, so the simulator cannot drift from what GitHub documents.
 */
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { GithubSimulator, startGithubSimulator } from './server';

type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, any> }>>;
  components: Record<string, Record<string, any>>;
};

const dotcom: OpenApi = require('@octokit/openapi/generated/api.github.com.json');
const ghec: OpenApi = require('@octokit/openapi/generated/ghec.json');

function resolveRef(spec: OpenApi, ref: string): any {
  const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
  const target = spec.components[section]?.[name];
  if (!target) throw new Error(`Unresolvable $ref ${ref}`);
  return target;
}

/** Inlines $refs and turns OpenAPI 3.0 `nullable: true` into JSON Schema. */
function toJsonSchema(spec: OpenApi, node: any, resolving: string[] = []): any {
  if (Array.isArray(node))
    return node.map(item => toJsonSchema(spec, item, resolving));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (resolving.includes(node.$ref)) return {}; // recursive schema: stop here
    return toJsonSchema(spec, resolveRef(spec, node.$ref), [
      ...resolving,
      node.$ref,
    ]);
  }
  const { nullable, example, examples, ...rest } = node;
  const converted: any = {};
  for (const [key, value] of Object.entries(rest)) {
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([k, v]) => [
              k,
              toJsonSchema(spec, v, resolving),
            ]),
          )
        : toJsonSchema(spec, value, resolving);
  }
  if (nullable !== true) return converted;
  if (typeof converted.type === 'string') {
    converted.type = [converted.type, 'null'];
    if (Array.isArray(converted.enum))
      converted.enum = [...converted.enum, null];
    return converted;
  }
  return { anyOf: [converted, { type: 'null' }] };
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

function responseValidator(
  spec: OpenApi,
  path: string,
  status: string,
): ValidateFunction {
  const operation = spec.paths[path]?.get;
  if (!operation) throw new Error(`No GET ${path} in the OpenAPI description`);
  let response = operation.responses[status];
  if (response?.$ref) response = resolveRef(spec, response.$ref);
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`No JSON schema for ${status} of GET ${path}`);
  return ajv.compile(toJsonSchema(spec, schema));
}

function expectValid(validate: ValidateFunction, body: unknown) {
  const valid = validate(body);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

describe('responses match GitHub OpenAPI description', () => {
  let sim: GithubSimulator;
  const get = async (path: string) => {
    const res = await fetch(`${sim.url}${path}`);
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    sim = await startGithubSimulator({
      today: '2026-11-21',
      filesPerReport: 2,
    });
  });
  afterAll(() => sim.close());

  it('catches invalid bodies (GitHub’s own team example lacks `type`)', () => {
    const validate = responseValidator(dotcom, '/orgs/{org}/teams', '200');
    expect(validate(dotcom.components.examples['team-items'].value)).toBe(
      false,
    );
    expect(validate([{ id: 'not a number' }])).toBe(false);
  });

  it.each(['organization-1-day', 'users-1-day', 'user-teams-1-day'])(
    'org %s report links',
    async (report: string) => {
      const { status, body } = await get(
        `/orgs/acme/copilot/metrics/reports/${report}?day=${sim.org.lastDay}`,
      );
      expect(status).toBe(200);
      expectValid(
        responseValidator(
          dotcom,
          `/orgs/{org}/copilot/metrics/reports/${report}`,
          '200',
        ),
        body,
      );
    },
  );

  it.each(['organization-28-day', 'users-28-day'])(
    'org %s/latest report links',
    async (report: string) => {
      const { status, body } = await get(
        `/orgs/acme/copilot/metrics/reports/${report}/latest`,
      );
      expect(status).toBe(200);
      expectValid(
        responseValidator(
          dotcom,
          `/orgs/{org}/copilot/metrics/reports/${report}/latest`,
          '200',
        ),
        body,
      );
    },
  );

  it.each(['enterprise-1-day', 'users-1-day', 'user-teams-1-day'])(
    'enterprise %s report links',
    async (report: string) => {
      const { status, body } = await get(
        `/enterprises/acme-corp/copilot/metrics/reports/${report}?day=${sim.org.lastDay}`,
      );
      expect(status).toBe(200);
      expectValid(
        responseValidator(
          ghec,
          `/enterprises/{enterprise}/copilot/metrics/reports/${report}`,
          '200',
        ),
        body,
      );
    },
  );

  it.each(['enterprise-28-day', 'users-28-day'])(
    'enterprise %s/latest report links',
    async (report: string) => {
      const { status, body } = await get(
        `/enterprises/acme-corp/copilot/metrics/reports/${report}/latest`,
      );
      expect(status).toBe(200);
      expectValid(
        responseValidator(
          ghec,
          `/enterprises/{enterprise}/copilot/metrics/reports/${report}/latest`,
          '200',
        ),
        body,
      );
    },
  );

  it('seats pages', async () => {
    const validate = responseValidator(
      dotcom,
      '/orgs/{org}/copilot/billing/seats',
      '200',
    );
    for (const page of [1, 2]) {
      const { body } = await get(
        `/orgs/acme/copilot/billing/seats?per_page=50&page=${page}`,
      );
      expect(body.seats.length).toBeGreaterThan(0);
      expectValid(validate, body);
    }
    // Seats granted through a team carry a full team object.
    expect(sim.org.seats().some(s => s.assigning_team !== null)).toBe(true);
  });

  it('enterprise seats pages', async () => {
    const validate = responseValidator(
      ghec,
      '/enterprises/{enterprise}/copilot/billing/seats',
      '200',
    );
    for (const page of [1, 2]) {
      const { body } = await get(
        `/enterprises/acme-corp/copilot/billing/seats?per_page=50&page=${page}`,
      );
      expect(body.seats.length).toBeGreaterThan(0);
      expectValid(validate, body);
    }
  });

  it('teams and team members', async () => {
    const teams = await get('/orgs/acme/teams?per_page=100');
    expect(teams.body.some((t: any) => t.parent !== null)).toBe(true);
    expectValid(
      responseValidator(dotcom, '/orgs/{org}/teams', '200'),
      teams.body,
    );
    const members = await get('/orgs/acme/teams/platform/members');
    expect(members.body.length).toBeGreaterThan(0);
    expectValid(
      responseValidator(dotcom, '/orgs/{org}/teams/{team_slug}/members', '200'),
      members.body,
    );
  });

  it('error bodies', async () => {
    const notFound = await get(
      `/orgs/unknown/copilot/metrics/reports/users-1-day?day=${sim.org.lastDay}`,
    );
    expect(notFound.status).toBe(404);
    expectValid(
      responseValidator(
        dotcom,
        '/orgs/{org}/copilot/metrics/reports/users-1-day',
        '404',
      ),
      notFound.body,
    );
    const unprocessable = await get(
      '/orgs/acme/copilot/metrics/reports/users-1-day',
    );
    expect(unprocessable.status).toBe(422);
    expectValid(
      responseValidator(
        dotcom,
        '/orgs/{org}/copilot/metrics/reports/users-1-day',
        '404',
      ),
      unprocessable.body,
    );
  });
});
