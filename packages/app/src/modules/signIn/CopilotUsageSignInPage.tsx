import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  Progress,
  ProxiedSignInPage,
  UserIdentity,
} from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
  type IdentityApi,
} from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  DEV_SIGN_IN_PROVIDER_ID,
  DEV_SIGN_IN_USER_HEADER,
  findAvailableProviders,
  type AvailableProviders,
} from './availableProviders';
import { demoUsers } from './demoUsers';

// Remembers the dev sign-in user across reloads; cleared on sign-out.
const DEV_USER_STORAGE_KEY = 'copilot-usage:dev-sign-in-user';

function readStoredDevUser(): string | undefined {
  try {
    return window.localStorage.getItem(DEV_USER_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeDevUser(user: string | undefined) {
  try {
    if (user) {
      window.localStorage.setItem(DEV_USER_STORAGE_KEY, user);
    } else {
      window.localStorage.removeItem(DEV_USER_STORAGE_KEY);
    }
  } catch {
    // Private mode: the choice just isn't remembered.
  }
}

/** Forgets the remembered dev user on sign-out, so the page asks again. */
function forgetDevUserOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      storeDevUser(undefined);
      await identity.signOut();
    },
  };
}

/**
 * The app's sign-in page: GitHub when the backend runs the GitHub auth provider,
 * and the dev sign-in (pick a catalog User, no OAuth app needed) when the backend
 * runs it, which only the embedded local default does.
 */
export function CopilotUsageSignInPage(props: SignInPageProps) {
  const { onSignInSuccess } = props;
  const configApi = useApi(configApiRef);
  const githubAuthApi = useApi(githubAuthApiRef);

  const [providers, setProviders] = useState<AvailableProviders>();
  const [probeError, setProbeError] = useState<Error>();
  const [githubError, setGithubError] = useState<Error>();
  // The dev user being signed in; starts with the one remembered from last time.
  const [devUser, setDevUser] = useState<string | undefined>(readStoredDevUser);
  const [selectedUser, setSelectedUser] = useState(demoUsers[0].name);
  const [typedUser, setTypedUser] = useState('');

  const signInWithGithubSession = useCallback(
    async (options: { optional?: boolean; instantPopup?: boolean }) => {
      const identityResponse =
        await githubAuthApi.getBackstageIdentity(options);
      if (!identityResponse) {
        return; // no existing session, only possible with optional
      }
      const profile = await githubAuthApi.getProfile();
      onSignInSuccess(
        UserIdentity.create({
          identity: identityResponse.identity,
          authApi: githubAuthApi,
          profile,
        }),
      );
    },
    [githubAuthApi, onSignInSuccess],
  );

  useEffect(() => {
    let available: AvailableProviders;
    try {
      available = findAvailableProviders(configApi);
    } catch (error) {
      setProbeError(error as Error);
      return;
    }
    setProviders(available);
    // Like Backstage's own sign-in page: reuse a GitHub session silently.
    if (available.github && !readStoredDevUser()) {
      signInWithGithubSession({ optional: true }).catch(() => {});
    }
  }, [configApi, signInWithGithubSession]);

  const devSignInHeaders = useMemo(
    () => (devUser ? { [DEV_SIGN_IN_USER_HEADER]: devUser } : undefined),
    [devUser],
  );

  const DevSignInError = useCallback(
    ({ error }: { error?: Error }) => (
      <Page themeId="home">
        <Header title={`Could not sign in as ${devUser}`} />
        <Content>
          <ErrorPanel
            title="Dev sign-in failed"
            error={error ?? new Error('Unknown error')}
          />
          <Button
            variant="contained"
            color="primary"
            onClick={() => {
              storeDevUser(undefined);
              setDevUser(undefined);
            }}
          >
            Choose another user
          </Button>
        </Content>
      </Page>
    ),
    [devUser],
  );

  if (devUser && devSignInHeaders) {
    return (
      <ProxiedSignInPage
        provider={DEV_SIGN_IN_PROVIDER_ID}
        headers={devSignInHeaders}
        onSignInSuccess={identity => {
          storeDevUser(devUser);
          onSignInSuccess(forgetDevUserOnSignOut(identity));
        }}
        ErrorComponent={DevSignInError}
      />
    );
  }

  const title = configApi.getOptionalString('app.title') ?? 'Backstage';
  let body;
  if (probeError) {
    body = (
      <ErrorPanel title="Cannot read the sign-in config" error={probeError} />
    );
  } else if (!providers) {
    body = <Progress />;
  } else if (!providers.github && !providers.dev) {
    body = (
      <ErrorPanel
        title="No sign-in provider"
        error={
          new Error(
            'The backend runs neither the GitHub auth provider (auth.providers.github) nor the dev sign-in (copilotUsage.devSignIn.enabled).',
          )
        }
      />
    );
  } else {
    body = (
      <Grid container spacing={3}>
        {providers.github && (
          <Grid item xs={12} md={5}>
            <InfoCard
              title="GitHub"
              subheader="Sign in with your GitHub account"
            >
              <Typography paragraph>
                Your GitHub teams decide which teams’ Copilot usage you see.
              </Typography>
              {githubError && (
                <ErrorPanel title="GitHub sign-in failed" error={githubError} />
              )}
              <Button
                variant="contained"
                color="primary"
                onClick={() => {
                  setGithubError(undefined);
                  // Called straight from the click so the popup is allowed.
                  signInWithGithubSession({ instantPopup: true }).catch(
                    setGithubError,
                  );
                }}
              >
                Sign in with GitHub
              </Button>
            </InfoCard>
          </Grid>
        )}
        {providers.dev && (
          <Grid item xs={12} md={7}>
            <InfoCard
              title="Dev sign-in"
              subheader="Local development only: sign in as any catalog User"
            >
              <form
                onSubmit={event => {
                  event.preventDefault();
                  setDevUser(typedUser.trim() || selectedUser);
                }}
              >
                <TextField
                  select
                  fullWidth
                  margin="normal"
                  variant="outlined"
                  id="dev-sign-in-demo-user"
                  label="Demo user"
                  value={selectedUser}
                  onChange={event => setSelectedUser(event.target.value)}
                  SelectProps={{ native: true }}
                  inputProps={{ 'data-testid': 'dev-sign-in-user' }}
                >
                  {demoUsers.map(user => (
                    <option key={user.name} value={user.name}>
                      {user.name}: {user.description}
                    </option>
                  ))}
                </TextField>
                <TextField
                  fullWidth
                  margin="normal"
                  variant="outlined"
                  id="dev-sign-in-other-user"
                  label="Or another User name"
                  placeholder="e.g. alice"
                  value={typedUser}
                  onChange={event => setTypedUser(event.target.value)}
                />
                <Button type="submit" variant="contained" color="primary">
                  Sign in
                </Button>
              </form>
            </InfoCard>
          </Grid>
        )}
      </Grid>
    );
  }

  return (
    <Page themeId="home">
      <Header title={title} subtitle="Sign in" />
      <Content>{body}</Content>
    </Page>
  );
}
