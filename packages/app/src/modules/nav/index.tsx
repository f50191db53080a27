import {
  Sidebar,
  SidebarDivider,
  SidebarItem,
  SidebarSpace,
} from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { SignedInUserItems } from './SignedInUserItems';

// The pages' own nav items (catalog, Copilot usage, ...) plus a sign-out at the
// bottom, since the app has no user-settings plugin.
const sidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      const nav = navItems.withComponent(item => (
        <SidebarItem icon={() => item.icon} to={item.href} text={item.title} />
      ));
      return (
        <Sidebar>
          {nav.take('page:catalog')}
          {nav.rest({ sortBy: 'title' })}
          <SidebarSpace />
          <SidebarDivider />
          <SignedInUserItems />
        </Sidebar>
      );
    },
  },
});

export const navModule = createFrontendModule({
  pluginId: 'app',
  extensions: [sidebarContent],
});
