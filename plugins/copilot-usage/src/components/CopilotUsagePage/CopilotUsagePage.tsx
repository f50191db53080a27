import { Content, Header, Page } from '@backstage/core-components';
import { CopilotUsageOverview } from '../CopilotUsageOverview';

/** The legacy system's org page: header, then the shared overview content. */
export function CopilotUsagePage() {
  return (
    <Page themeId="tool">
      <Header
        title="Copilot usage"
        subtitle="GitHub Copilot adoption and activity across teams"
      />
      <Content>
        <CopilotUsageOverview />
      </Content>
    </Page>
  );
}
