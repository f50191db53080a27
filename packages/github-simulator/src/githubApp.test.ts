import { generateKeyPairSync, sign } from 'node:crypto';
import { GithubSimulator, startGithubSimulator } from './server';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
});
const APP_ID = 4242;

function appJwt(options: { iss?: number; key?: typeof privateKey } = {}) {
  const encode = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iat: now - 30,
    exp: now + 300,
    iss: options.iss ?? APP_ID,
  })}`;
  const signature = sign(
    'RSA-SHA256',
    Buffer.from(unsigned),
    options.key ?? privateKey,
  );
  return `${unsigned}.${signature.toString('base64url')}`;
}

describe('the simulated GitHub App', () => {
  let sim: GithubSimulator;
  const call = (path: string, authorization: string, method = 'GET') =>
    fetch(`${sim.url}${path}`, { method, headers: { authorization } });
  const tokenOf = async (targetType: string, login?: string) => {
    const installations = await (
      await call('/app/installations', `Bearer ${appJwt()}`)
    ).json();
    const installation = installations.find(
      (i: { target_type: string; account: { login?: string } }) =>
        i.target_type === targetType &&
        (login === undefined || i.account.login === login),
    );
    const res = await call(
      `/app/installations/${installation.id}/access_tokens`,
      `Bearer ${appJwt()}`,
      'POST',
    );
    expect(res.status).toBe(201);
    return (await res.json()) as { token: string; expires_at: string };
  };
  const enterpriseReport = () =>
    `/enterprises/${sim.org.enterprise}/copilot/metrics/reports/enterprise-1-day?day=${sim.org.lastDay}`;
  const orgReport = () =>
    `/orgs/${sim.org.org}/copilot/metrics/reports/organization-1-day?day=${sim.org.lastDay}`;

  beforeAll(async () => {
    sim = await startGithubSimulator({
      today: '2026-11-21',
      app: {
        appId: APP_ID,
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
        tokenTtlMs: 1500,
      },
    });
  });
  afterAll(() => sim.close());

  it('lists an org installation by login and an enterprise installation by slug', async () => {
    const res = await call('/app/installations', `Bearer ${appJwt()}`);
    expect(res.status).toBe(200);
    const installations = await res.json();
    expect(
      installations.map((i: any) => [
        i.target_type,
        i.account.login,
        i.account.slug,
      ]),
    ).toEqual([
      ['Organization', 'acme', undefined],
      ['Organization', 'acme-labs', undefined],
      ['Organization', 'acme-cloud', undefined],
      ['Enterprise', undefined, 'acme-corp'],
    ]);
  });

  it('refuses a JWT of another key or another App', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (const jwt of [appJwt({ key: other.privateKey }), appJwt({ iss: 1 })]) {
      expect((await call('/app/installations', `Bearer ${jwt}`)).status).toBe(
        401,
      );
    }
  });

  it('lets each installation read only its own account', async () => {
    const org = await tokenOf('Organization');
    const enterprise = await tokenOf('Enterprise');
    expect((await call(orgReport(), `token ${org.token}`)).status).toBe(200);
    const refused = await call(enterpriseReport(), `token ${org.token}`);
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toBe(
      'Resource not accessible by integration',
    );
    expect(
      (await call(enterpriseReport(), `token ${enterprise.token}`)).status,
    ).toBe(200);
    expect((await call(orgReport(), `token ${enterprise.token}`)).status).toBe(
      403,
    );
    // Neither an App JWT nor no credentials read reports.
    expect((await call(orgReport(), `Bearer ${appJwt()}`)).status).toBe(401);
    expect((await fetch(`${sim.url}${orgReport()}`)).status).toBe(401);
  });

  it('gives every org of the enterprise its own installation, which reads only that org', async () => {
    const labs = await tokenOf('Organization', 'acme-labs');
    const labsReport = orgReport().replace('/orgs/acme/', '/orgs/acme-labs/');
    expect((await call(labsReport, `token ${labs.token}`)).status).toBe(200);
    expect((await call(orgReport(), `token ${labs.token}`)).status).toBe(403);
    expect((await call(enterpriseReport(), `token ${labs.token}`)).status).toBe(
      403,
    );
    const acme = await tokenOf('Organization', 'acme');
    expect((await call(labsReport, `token ${acme.token}`)).status).toBe(403);
  });

  it('expires installation tokens', async () => {
    const enterprise = await tokenOf('Enterprise');
    expect(Date.parse(enterprise.expires_at)).toBeGreaterThan(Date.now());
    await new Promise(resolve => setTimeout(resolve, 1600));
    const res = await call(enterpriseReport(), `token ${enterprise.token}`);
    expect(res.status).toBe(401);
  });
});
