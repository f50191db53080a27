/*
 * A GitHub App as GitHub models it: installations on the org and on the enterprise,
 * App JWTs (RS256, verified with the App's public key), installation tokens that
 * expire, and report routes that only an installation on the right account may call.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';

export interface SimulatedGithubAppOptions {
  appId: number;
  /** The App's public key (PEM): the JWTs must be signed with its private key. */
  publicKey: string;
  /** Where the App is installed; default both ('org': on every org of the enterprise). An org installation never reads the enterprise. */
  installedOn?: Array<'org' | 'enterprise'>;
  /** Lifetime of an installation token; GitHub's is one hour. */
  tokenTtlMs?: number;
}

export interface AppInstallation {
  id: number;
  app_id: number;
  target_type: 'Organization' | 'Enterprise';
  /** An org's account has `login`; an enterprise's has `slug` (and no login). */
  account: { id: number; login?: string; slug?: string; name?: string };
  permissions: Record<string, 'read' | 'write'>;
  repository_selection: 'all';
  suspended_by: null;
}

export type InstallationTokenCheck =
  { ok: true } | { ok: false; status: 401 | 403; message: string };

export class SimulatedGithubApp {
  readonly installations: AppInstallation[];
  readonly #options: SimulatedGithubAppOptions;
  readonly #tokens = new Map<
    string,
    { installation: AppInstallation; expiresAt: number }
  >();
  /** Installation tokens issued so far (tests count renewals). */
  tokensIssued = 0;

  constructor(
    options: SimulatedGithubAppOptions,
    accounts: { orgs: readonly string[]; enterprise: string },
  ) {
    this.#options = options;
    const installedOn = options.installedOn ?? ['org', 'enterprise'];
    this.installations = [];
    if (installedOn.includes('org')) {
      // The first org keeps installation 1001; the enterprise has 1002.
      accounts.orgs.forEach((login, i) => {
        this.installations.push({
          id: i === 0 ? 1001 : 1002 + i,
          app_id: options.appId,
          target_type: 'Organization',
          account: { id: 5001 + i, login },
          permissions: {
            organization_copilot_metrics: 'read',
            members: 'read',
          },
          repository_selection: 'all',
          suspended_by: null,
        });
      });
    }
    if (installedOn.includes('enterprise')) {
      this.installations.push({
        id: 1002,
        app_id: options.appId,
        target_type: 'Enterprise',
        account: { id: 6001, slug: accounts.enterprise, name: 'Acme Corp' },
        permissions: { enterprise_copilot_metrics: 'read' },
        repository_selection: 'all',
        suspended_by: null,
      });
    }
  }

  /** Whether `authorization` carries a valid, unexpired JWT of this App. */
  verifyJwt(authorization: string | undefined): boolean {
    const jwt = /^bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    const [header, payload, signature] = jwt?.split('.') ?? [];
    if (!header || !payload || !signature) return false;
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey(this.#options.publicKey),
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return (
      String(claims.iss) === String(this.#options.appId) &&
      typeof claims.exp === 'number' &&
      claims.exp * 1000 > Date.now()
    );
  }

  issueToken(installationId: number) {
    const installation = this.installations.find(i => i.id === installationId);
    if (!installation) return undefined;
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = Date.now() + (this.#options.tokenTtlMs ?? 3_600_000);
    this.#tokens.set(token, { installation, expiresAt });
    this.tokensIssued++;
    return {
      token,
      expires_at: new Date(expiresAt).toISOString(),
      permissions: installation.permissions,
      repository_selection: installation.repository_selection,
    };
  }

  /**
   * Whether `token` may call a route of `owner`: 401 for an unknown or expired token,
   * 403 for a token of another account's installation (as GitHub answers an org
   * installation's token on enterprise routes).
   */
  checkToken(
    token: string,
    owner: { kind: 'org' | 'enterprise'; name: string },
  ): InstallationTokenCheck | undefined {
    const issued = this.#tokens.get(token);
    if (!issued) return undefined;
    if (issued.expiresAt <= Date.now()) {
      return { ok: false, status: 401, message: 'Bad credentials' };
    }
    const { account, target_type } = issued.installation;
    const matches =
      owner.kind === 'org'
        ? target_type === 'Organization' && account.login === owner.name
        : target_type === 'Enterprise' && account.slug === owner.name;
    return matches
      ? { ok: true }
      : {
          ok: false,
          status: 403,
          message: 'Resource not accessible by integration',
        };
  }
}
