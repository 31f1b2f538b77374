import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { localDay } from '../analytics/ranges';
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

  it('shows a custom range of days, named by its days', async () => {
    const api = fakeApi({ 'GET /api/analytics': () => overview([{ code: 'top1', url: 'https://example.com/a', clicks: 9 }]) });
    renderWithApi(<OverviewPage />, api.fetch);
    const user = userEvent.setup();
    await screen.findByRole('table');
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    const now = new Date();
    const day = (offset: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);
    await user.clear(screen.getByLabelText('First day'));
    await user.type(screen.getByLabelText('First day'), localDay(day(-1).getTime()));
    await user.clear(screen.getByLabelText('Last day'));
    await user.type(screen.getByLabelText('Last day'), localDay(day(-1).getTime()));
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(api.calls.at(-1)!.query.get('from')).toBe(day(-1).toISOString()));
    expect(api.calls.at(-1)!.query.get('to')).toBe(day(0).toISOString());
    const name = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(day(-1));
    expect(await screen.findByRole('heading', { name: `Top links, on ${name}` })).toBeInTheDocument();
  });
});
