import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import { rootRedirectModule } from './modules/rootRedirect';
import { signInModule } from './modules/signIn';

const app = createApp({
  features: [catalogPlugin, orgPlugin, signInModule, rootRedirectModule],
});

export default app.createRoot();
