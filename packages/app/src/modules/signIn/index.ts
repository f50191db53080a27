import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const copilotUsageSignInPage = SignInPageBlueprint.make({
  params: {
    loader: () =>
      import('./CopilotUsageSignInPage').then(m => m.CopilotUsageSignInPage),
  },
});

/** Replaces the app's sign-in page with GitHub + the local dev sign-in. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [copilotUsageSignInPage],
});
