import { renderInTestApp } from '@backstage/test-utils';
import { MetricsDocument } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { screen } from '@testing-library/react';
import { makeMetricsDocument } from '../../__testUtils__/fixtures';
import { formatFigure } from '../../lib/format';
import { headlineFigures } from '../../lib/figures';
import { CreditsPanel } from './CreditsPanel';

const RANGE = { from: '2026-11-01', to: '2026-11-14' };

/** A document whose days carry credits, its totals their sum. */
function withCredits(
  base: MetricsDocument,
  creditsOf: (index: number) => number | null,
): MetricsDocument {
  const days = base.days.map((day, i) => ({ ...day, aiCredits: creditsOf(i) }));
  const known = days
    .map(d => d.aiCredits)
    .filter((v): v is number => v !== null);
  const aiCredits = known.length ? known.reduce((a, b) => a + b, 0) : null;
  return {
    ...base,
    days,
    totals: {
      ...base.totals,
      aiCredits,
      aiCreditsPerActiveUser:
        aiCredits === null ? null : aiCredits / base.totals.activeUsers,
    },
  };
}

describe('CreditsPanel', () => {
  it('shows the period, per active user and per day, as a signal and not a bill', async () => {
    const document = withCredits(makeMetricsDocument(RANGE), i =>
      i % 3 === 0 ? null : 10 + i,
    );
    await renderInTestApp(<CreditsPanel document={document} />);
    const known = document.days
      .map(d => d.aiCredits)
      .filter((v): v is number => typeof v === 'number');
    expect(screen.getByTestId('credits-total-value')).toHaveTextContent(
      formatFigure(document.totals.aiCredits!, 'decimal'),
    );
    expect(
      screen.getByTestId('credits-per-active-user-value'),
    ).toHaveTextContent(
      formatFigure(
        document.totals.aiCredits! / document.totals.activeUsers,
        'decimal',
      ),
    );
    expect(screen.getByTestId('credits-per-day-value')).toHaveTextContent(
      formatFigure(known.reduce((a, b) => a + b, 0) / known.length, 'decimal'),
    );
    expect(screen.getByTestId('credits-signal')).toHaveTextContent(
      'A metrics signal, not a billed total',
    );
    expect(screen.getByTestId('credits-no-models')).toHaveTextContent(
      /not per model/,
    );
  });

  it('says how a team gets the credits of people in several teams', async () => {
    const team = withCredits(makeMetricsDocument(RANGE), () => 4);
    expect(team.scope.type).toBe('team');
    await renderInTestApp(<CreditsPanel document={team} />);
    expect(screen.getByTestId('credits-attribution')).toHaveTextContent(
      /1\/n of their credits/,
    );
  });

  it('says so when GitHub reported no credits', async () => {
    const document = withCredits(makeMetricsDocument(RANGE), () => null);
    await renderInTestApp(<CreditsPanel document={document} />);
    expect(screen.getByTestId('credits-none')).toBeInTheDocument();
    expect(screen.queryByTestId('credits-panel')).toBeNull();
  });

  it('puts the credits and the new users among the headline figures', () => {
    const base = makeMetricsDocument(RANGE);
    const document = withCredits(
      {
        ...base,
        days: base.days.map((d, i) => ({
          ...d,
          cloudAgentUsers: i,
          copilotAppUsers: i % 2 ? null : 2,
        })),
      },
      () => 1.5,
    );
    const byId = new Map(headlineFigures(document).map(f => [f.id, f]));
    const n = document.days.length;
    expect(byId.get('aiCredits')?.value).toBeCloseTo(1.5 * n);
    expect(byId.get('aiCredits')?.note).toMatch(/not a billed total/);
    expect(byId.get('cloudAgentUsers')?.value).toBeCloseTo((n - 1) / 2);
    expect(byId.get('copilotAppUsers')?.value).toBe(2);
  });
});
