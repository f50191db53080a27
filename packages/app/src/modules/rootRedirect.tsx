import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Navigate } from 'react-router-dom';

// The app has no home page: `/` opens the catalog's list of teams (Groups), where
// each team's page carries its Copilot tab.
const rootRedirect = PageBlueprint.make({
  name: 'root-redirect',
  params: {
    path: '/',
    loader: async () => <Navigate to="/catalog?filters%5Bkind%5D=group" />,
  },
});

export const rootRedirectModule = createFrontendModule({
  pluginId: 'app',
  extensions: [rootRedirect],
});
