import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import copilotUsagePlugin from '@copilot-usage/backstage-plugin-copilot-usage/alpha';
import { navModule } from './modules/nav';
import { rootRedirectModule } from './modules/rootRedirect';
import { signInModule } from './modules/signIn';

const app = createApp({
  features: [
    catalogPlugin,
    orgPlugin,
    copilotUsagePlugin,
    signInModule,
    navModule,
    rootRedirectModule,
  ],
});

export default app.createRoot();
