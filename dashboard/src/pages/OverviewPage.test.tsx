import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApi } from '../test/fakeApi';
import { OverviewPage } from './OverviewPage';

const overview = (topLinks: { code: string; url: string; clicks: number }[]) => ({
  status: 200,
  body: { source: 'opensearch', humanClicks: 12000, botClicks: 34, totalClicks: 12034, links: 3, topLinks },
});

describe('OverviewPage', () => {
  it('shows the totals and the top links of the last 7 days, then of the range chosen', async () => {
    const api = fakeApi({ 'GET /api/analytics': () => overview([{ code: 'top1', url: 'https://example.com/a', clicks: 9000 }]) });
    renderWithApi(<OverviewPage />, api.fetch);
    const number = new Intl.NumberFormat();
    expect(await screen.findByText(number.format(12000))).toBeInTheDocument();
    expect(screen.getByText('All clicks').nextElementSibling).toHaveTextContent(number.format(12034));
    const table = screen.getByRole('table');
    expect(within(table).getByRole('link', { name: '/top1' })).toHaveAttribute('href', '/links/top1');
    expect(within(table).getByText(number.format(9000))).toBeInTheDocument();
    const first = api.calls[0]!;
    expect(Date.parse(first.query.get('to')!) - Date.parse(first.query.get('from')!)).toBe(7 * 86_400_000);

    await userEvent.click(screen.getByRole('radio', { name: 'Last 30 days' }));
    await waitFor(() => {
      const last = api.calls.at(-1)!;
      expect(Date.parse(last.query.get('to')!) - Date.parse(last.query.get('from')!)).toBe(30 * 86_400_000);
    });
  });

  it('says what to do when nothing was clicked', async () => {
    renderWithApi(<OverviewPage />, fakeApi({ 'GET /api/analytics': () => overview([]) }).fetch);
    expect(await screen.findByText(/No clicks last 7 days yet\. Share your links/)).toBeInTheDocument();
  });
});
