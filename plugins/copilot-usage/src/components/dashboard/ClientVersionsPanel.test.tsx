import { renderInTestApp } from '@backstage/test-utils';
import { ClientVersionsSummary } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { screen, within } from '@testing-library/react';
import { asPhone } from '../../__testUtils__/phone';
import { ClientVersionsPanel } from './ClientVersionsPanel';

const FLAG = {
  id: 'agent-undercount-2026-10-06-vscode',
  label: 'Undercounts agent activity: update to VS Code 1.139.0 or later',
};

function summary(withLogins: boolean): ClientVersionsSummary {
  return {
    users: 9,
    flaggedUsers: 3,
    ...(withLogins && { flaggedLogins: ['ada', 'bob', 'cy'] }),
    clients: [
      {
        client: 'vscode',
        users: 8,
        versions: [
          {
            version: '1.140.1',
            plugin: 'copilot-chat',
            pluginVersion: '0.42.0',
            users: 5,
            share: 5 / 8,
          },
          {
            version: '1.128.0',
            plugin: 'copilot-chat',
            pluginVersion: '0.38.0',
            users: 3,
            share: 3 / 8,
            flag: FLAG,
          },
        ],
      },
      {
        client: 'intellij',
        users: 1,
        versions: [
          {
            version: '2025.2.4',
            plugin: 'copilot-intellij',
            pluginVersion: '1.5.59-243',
            users: 1,
            share: 1,
          },
        ],
      },
    ],
  };
}

describe('ClientVersionsPanel', () => {
  it('shows the share of each version and flags the ones that undercount', async () => {
    await renderInTestApp(<ClientVersionsPanel summary={summary(false)} />);
    const old = screen.getByTestId('client-version-vscode-1.128.0');
    expect(old).toHaveTextContent('37.5%');
    expect(within(old).getByTestId('client-version-flag')).toHaveAttribute(
      'aria-label',
      FLAG.label,
    );
    const current = screen.getByTestId('client-version-vscode-1.140.1');
    expect(current).toHaveTextContent('62.5%');
    expect(within(current).queryByTestId('client-version-flag')).toBeNull();
    expect(screen.getByTestId('client-versions-flagged')).toHaveTextContent(
      '3 users on versions GitHub named as undercounting',
    );
    // Members see counts, never whom.
    expect(screen.queryByTestId('client-versions-logins')).toBeNull();
    // JetBrains: GitHub named no version, so none is flagged but it is said.
    expect(screen.getByTestId('client-versions-unnamed')).toHaveTextContent(
      /named no version/,
    );
  });

  it('lists whom to ask to upgrade for admins', async () => {
    await renderInTestApp(<ClientVersionsPanel summary={summary(true)} />);
    expect(screen.getByTestId('client-versions-logins')).toHaveTextContent(
      'ada, bob, cy',
    );
  });

  it('fits a phone', async () => {
    const restore = asPhone();
    try {
      await renderInTestApp(<ClientVersionsPanel summary={summary(true)} />);
      expect(screen.getByTestId('client-versions-vscode')).toHaveStyle({
        overflowX: 'auto',
      });
    } finally {
      restore();
    }
  });

  it('says when no version is known', async () => {
    await renderInTestApp(<ClientVersionsPanel summary={undefined} />);
    expect(screen.getByTestId('client-versions-none')).toBeInTheDocument();
  });
});
