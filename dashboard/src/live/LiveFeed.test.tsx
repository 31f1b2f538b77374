import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import AnalyticsPage from '../pages/AnalyticsPage';
import { FakeEventSource } from '../test/fakeEventSource';
import { fakeApi, renderWithApi } from '../test/fakeApi';

vi.mock('../components/TimeSeriesChart', () => ({
  TimeSeriesChart: ({ summary, series }: { summary: string; series: { ys: number[] } }) => (
    <div role="img" aria-label={summary} data-points={series.ys.join(',')} />
  ),
}));

const now = Date.now();
const hour = Math.floor(now / 3_600_000) * 3_600_000;

function page() {
  const api = fakeApi({
    'GET /api/stats/abc': () => ({
      status: 200,
      body: { code: 'abc', url: 'https://example.com/', totalClicks: 7, humanClicks: 5, botClicks: 2, last24h: [] },
    }),
    'GET /api/analytics/abc': () => ({
      status: 200,
      body: {
        interval: 'hour',
        timeZone: 'UTC',
        from: new Date(hour - 3_600_000).toISOString(),
        to: new Date(hour + 3_600_000).toISOString(),
        buckets: [
          { start: new Date(hour - 3_600_000).toISOString(), count: 2 },
          { start: new Date(hour).toISOString(), count: 3 },
        ],
      },
    }),
    'GET /api/analytics/abc/:dimension': () => ({ status: 200, body: { items: [], other: 0 } }),
  });
  renderWithApi(<AnalyticsPage code="abc" />, api.fetch);
  return api;
}

const firefox = {
  code: 'abc',
  clickedAt: new Date(now).toISOString(),
  browser: 'Firefox',
  os: 'Linux',
  device: 'Desktop',
  country: 'US',
  referrerHost: 'news.example.org',
  bot: false,
};

describe('LiveFeed', () => {
  it('shows each click once, and the totals and the current bucket move', async () => {
    page();
    await screen.findByRole('img');
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/stream/abc');
    expect(screen.getByText('Connecting…')).toBeInTheDocument();
    act(() => source.open());
    expect(screen.getByText(/^Live:/)).toBeInTheDocument();
    expect(screen.getByText(/No clicks since you opened this page/)).toBeInTheDocument();

    act(() => source.click('id-1', firefox));
    act(() => source.click('id-1', firefox)); // a resumed stream may repeat one: shown once
    const log = screen.getByRole('log', { name: 'Latest clicks' });
    expect(within(log).getAllByRole('listitem')).toHaveLength(1);
    const item = within(log).getByRole('listitem');
    expect(item).toHaveTextContent('United States');
    expect(item).toHaveTextContent('Firefox on Linux');
    expect(item).toHaveTextContent('Desktop');
    expect(item).toHaveTextContent('from news.example.org');
    // the counters move through TanStack Query's cache, which tells the page a moment later
    await waitFor(() => expect(screen.getByText('People').nextElementSibling).toHaveTextContent('6'));
    await waitFor(() => expect(screen.getByRole('img')).toHaveAttribute('data-points', '2,4'));

    act(() => source.click('id-2', { ...firefox, bot: true, country: null, referrerHost: null }));
    expect(within(log).getAllByRole('listitem')[0]).toHaveTextContent(/Unknown.*direct.*bot/);
    await waitFor(() => expect(screen.getByText('Bots').nextElementSibling).toHaveTextContent('3'));
    expect(screen.getByRole('img')).toHaveAttribute('data-points', '2,4');
  });

  it('says when the connection is lost, and after a refusal resumes from the last click', async () => {
    page();
    await screen.findByRole('img');
    const first = FakeEventSource.latest();
    act(() => first.open());
    act(() => first.click('0193a1b2-7c4d-7e5f-8a6b-1c2d3e4f5a6b', firefox));
    act(() => first.drop());
    expect(screen.getByText(/Connection lost\. Reconnecting/)).toBeInTheDocument();
    expect(FakeEventSource.instances).toHaveLength(1); // the browser reconnects that one itself

    act(() => first.refuse());
    expect(screen.getByText(/Disconnected: the server refused the live view\. Trying again in 1 s/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reconnect now' }));
    expect(screen.getByText('Connecting…')).toBeInTheDocument();
    const second = FakeEventSource.latest();
    expect(second).not.toBe(first);
    expect(second.url).toBe('/api/stream/abc?lastEventId=0193a1b2-7c4d-7e5f-8a6b-1c2d3e4f5a6b');
    act(() => second.open());
    expect(screen.getByText(/^Live:/)).toBeInTheDocument();
  });

  it('counts down to its next attempt, each refusal waiting longer', async () => {
    page();
    await screen.findByRole('img');
    vi.useFakeTimers();
    try {
      act(() => FakeEventSource.latest().refuse());
      expect(screen.getByText(/Trying again in 1 s/)).toBeInTheDocument();
      act(() => {
        vi.advanceTimersByTime(1000);
      });
      const second = FakeEventSource.latest(); // opened by itself
      expect(screen.getByText('Connecting…')).toBeInTheDocument();
      act(() => second.refuse());
      expect(screen.getByText(/Trying again in 2 s/)).toBeInTheDocument();
      act(() => {
        vi.advanceTimersByTime(1000);
      });
      expect(screen.getByText(/Trying again in 1 s/)).toBeInTheDocument();
      act(() => {
        vi.advanceTimersByTime(1000);
      });
      expect(FakeEventSource.latest()).not.toBe(second);
    } finally {
      vi.useRealTimers();
    }
  });
});
