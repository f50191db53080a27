import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { inactiveSeats } from '../../__testUtils__/fixtures';
import { mockCopilotUsageApi } from '../../__testUtils__/mockApi';
import { asPhone } from '../../__testUtils__/phone';
import {
  editorName,
  grantsText,
  InactiveSeatsPanel,
} from './InactiveSeatsPanel';

async function renderPanel() {
  const api = mockCopilotUsageApi({
    getInactiveSeats: jest.fn().mockResolvedValue(inactiveSeats),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
      <InactiveSeatsPanel owner={{ kind: 'org', name: 'acme' }} />
    </TestApiProvider>,
  );
  expect(api.getInactiveSeats).toHaveBeenCalledWith('acme');
  return screen.findByTestId('inactive-seats');
}

describe('InactiveSeatsPanel', () => {
  it('names editors as people know them', () => {
    expect(editorName('vscode/1.96.0/copilot-chat/0.23.0')).toBe(
      'VS Code 1.96.0',
    );
    expect(editorName('JetBrains-IC/2024.3')).toBe('JetBrains-IC 2024.3');
    expect(editorName(null)).toBe('–');
  });

  it("shows the enterprise's seat holders with every grant and the enterprise's CSV", async () => {
    const owner = { kind: 'enterprise' as const, name: 'acme-corp' };
    const [first, second] = inactiveSeats.items;
    const api = mockCopilotUsageApi({
      getEnterpriseInactiveSeats: jest.fn().mockResolvedValue({
        ...inactiveSeats,
        owner,
        org: undefined,
        items: [
          {
            ...first,
            grantedBy: [
              { org: 'acme', team: null },
              { org: 'acme-labs', team: 'research' },
            ],
          },
          { ...second, grantedBy: [{ org: null, team: 'ent:ai-champions' }] },
        ],
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <InactiveSeatsPanel owner={owner} />
      </TestApiProvider>,
    );
    const panel = await screen.findByTestId('inactive-seats');
    expect(api.getEnterpriseInactiveSeats).toHaveBeenCalledWith('acme-corp');
    expect(
      await within(panel).findByText(/2 seats of the enterprise acme-corp/),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('columnheader', { name: 'Granted by' }),
    ).toBeInTheDocument();
    const row = within(panel).getByText(first.login).closest('tr')!;
    expect(row).toHaveTextContent('acme; acme-labs/research');
    expect(
      within(panel).getByText(second.login).closest('tr'),
    ).toHaveTextContent('ent:ai-champions');
  });

  it('writes grants as org/team, one per seat object', () => {
    expect(grantsText({ ...inactiveSeats.items[0], grantedBy: [] })).toBe('–');
    expect(
      grantsText({
        ...inactiveSeats.items[0],
        grantedBy: [
          { org: 'acme-cloud', team: 'edge' },
          { org: 'acme', team: null },
        ],
      }),
    ).toBe('acme-cloud/edge; acme');
  });

  it('lists the seats on a phone, 25 and a pointer to the CSV for the rest', async () => {
    const restore = asPhone();
    try {
      const panel = await renderPanel();
      const list = await within(panel).findByRole('list', {
        name: 'Seats not used in 30 days',
      });
      expect(within(panel).queryByRole('table')).not.toBeInTheDocument();
      const items = within(list).getAllByRole('listitem');
      expect(items).toHaveLength(25);
      expect(items[0]).toHaveTextContent(
        `${inactiveSeats.items[0].login}Never used`,
      );
      const inactive = inactiveSeats.items.find(s => s.status === 'inactive')!;
      expect(
        within(list).getByText(inactive.login).closest('li'),
      ).toHaveTextContent(
        `Inactive: last used ${inactive.lastActivityAt!.slice(0, 10)} in VS Code 1.96.0`,
      );
      expect(
        within(panel).getByText(
          `And ${inactiveSeats.items.length - 25} more: the CSV lists every seat.`,
        ),
      ).toBeInTheDocument();
    } finally {
      restore();
    }
  });
});
