import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localDay } from '../analytics/ranges';
import { fakeApi, problem, renderWithApi } from '../test/fakeApi';
import AnalyticsPage from './AnalyticsPage';

// uPlot draws on a canvas, which jsdom has not: the chart's data shaping is tested on its own
vi.mock('../components/TimeSeriesChart', () => ({
  TimeSeriesChart: ({ summary, series }: { summary: string; series: { ys: number[] } }) => (
    <div role="img" aria-label={summary} data-points={series.ys.join(',')} />
  ),
}));

const stats = {
  code: 'abc1234',
  url: 'https://example.com/target',
  createdAt: '2026-12-01T10:00:00Z',
  totalClicks: 1250,
  humanClicks: 1200,
  botClicks: 50,
  lastClickAt: '2026-12-06T12:00:00Z',
  last24h: [{ start: '2026-12-06T11:00:00Z', count: 5 }],
};

function histogram(counts: number[]) {
  return {
    status: 200,
    body: {
      source: 'opensearch',
      interval: 'hour',
      timeZone: 'UTC',
      buckets: counts.map((count, i) => ({ start: new Date(Date.UTC(2026, 11, 6, i)).toISOString(), count })),
    },
  };
}

describe('AnalyticsPage', () => {
  it('shows the totals, the chart in the browser zone, and the breakdowns', async () => {
    const api = fakeApi({
      'GET /api/stats/abc1234': () => ({ status: 200, body: stats }),
      'GET /api/analytics/abc1234': () => histogram([0, 4, 9, 0]),
      'GET /api/analytics/abc1234/:dimension': (call) => ({
        status: 200,
        body: { items: [{ key: call.path.endsWith('countries') ? 'GB' : 'Firefox', count: 13 }], other: 0 },
      }),
    });
    renderWithApi(<AnalyticsPage code="abc1234" />, api.fetch);
    const number = new Intl.NumberFormat();
    expect(await screen.findByText(number.format(1200))).toBeInTheDocument();
    expect(screen.getByText('People').nextElementSibling).toHaveTextContent(number.format(1200));
    expect(screen.getByText('Bots').nextElementSibling).toHaveTextContent('50');
    const chart = await screen.findByRole('img');
    expect(chart).toHaveAttribute('data-points', '0,4,9,0');
    expect(chart).toHaveAccessibleName(/^13 clicks last 24 hours, hourly; the most, 9,/);

    const histogramCall = api.calls.find((c) => c.path === '/api/analytics/abc1234')!;
    expect(histogramCall.query.get('tz')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(histogramCall.query.get('interval')).toBe('hour');
    expect(histogramCall.query.get('includeBots')).toBe('false');
    expect(Date.parse(histogramCall.query.get('to')!) - Date.parse(histogramCall.query.get('from')!)).toBe(86_400_000);

    const countries = await screen.findByRole('region', { name: 'Countries' });
    expect(await within(countries).findByText(new Intl.DisplayNames(undefined, { type: 'region' }).of('GB')!)).toBeInTheDocument();
    // the world map loads with the first countries
    await waitFor(() => expect(countries.querySelector('svg.country-map path.has-clicks')).not.toBeNull(), { timeout: 5000 });
    for (const name of ['Referrers', 'Browsers', 'Operating systems', 'Devices']) {
      expect(screen.getByRole('region', { name })).toBeInTheDocument();
    }
  });

  it('asks again with bots, another range and interval', async () => {
    const api = fakeApi({
      'GET /api/stats/abc1234': () => ({ status: 200, body: stats }),
      'GET /api/analytics/abc1234': () => histogram([1, 2]),
      'GET /api/analytics/abc1234/:dimension': () => ({ status: 200, body: { items: [], other: 0 } }),
    });
    renderWithApi(<AnalyticsPage code="abc1234" />, api.fetch);
    const user = userEvent.setup();
    await screen.findByRole('img');
    await user.click(screen.getByRole('switch', { name: 'Include bots' }));
    await waitFor(() =>
      expect(api.calls.some((c) => c.path === '/api/analytics/abc1234' && c.query.get('includeBots') === 'true')).toBe(true),
    );
    await user.click(screen.getByRole('radio', { name: 'Last 30 days' }));
    // hourly is offered for 30 days too, so the chosen interval stays
    await user.selectOptions(screen.getByLabelText('Buckets'), 'day');
    await waitFor(() => {
      const last = api.calls.filter((c) => c.path === '/api/analytics/abc1234').at(-1)!;
      expect(last.query.get('interval')).toBe('day');
      expect(Date.parse(last.query.get('to')!) - Date.parse(last.query.get('from')!)).toBe(30 * 86_400_000);
    });
    expect(api.calls.filter((c) => c.path.endsWith('/countries')).at(-1)!.query.get('includeBots')).toBe('true');
  });

  it('says to share the link when nobody clicked yet', async () => {
    const api = fakeApi({
      'GET /api/stats/abc1234': () => ({ status: 200, body: { ...stats, totalClicks: 0, humanClicks: 0, botClicks: 0 } }),
      'GET /api/analytics/abc1234': () => histogram([0, 0, 0]),
      'GET /api/analytics/abc1234/:dimension': () => ({ status: 200, body: { items: [], other: 0 } }),
    });
    renderWithApi(<AnalyticsPage code="abc1234" shortUrl="http://localhost:8080/abc1234" />, api.fetch);
    expect(await screen.findByText(/No clicks last 24 hours from people yet — share your link/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'http://localhost:8080/abc1234' })).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('explains when analytics are away, and when the link is not there', async () => {
    const api = fakeApi({
      'GET /api/stats/abc1234': () => ({ status: 404, body: problem(404, 'link-not-found', 'no link /abc1234') }),
      'GET /api/analytics/abc1234': () => ({
        status: 503,
        body: problem(503, 'dependency-unavailable', 'analytics are unavailable while OpenSearch is away'),
        headers: { 'Retry-After': '5' },
      }),
      'GET /api/analytics/abc1234/:dimension': () => ({ status: 200, body: { items: [], other: 0 } }),
    });
    renderWithApi(<AnalyticsPage code="abc1234" />, api.fetch);
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    const [totals, chart] = screen.getAllByRole('alert');
    expect(totals).toHaveTextContent('Could not load the totals. There is no such link in your account: it may have been deleted.');
    expect(chart).toHaveTextContent(
      'Could not load the chart. Analytics are unavailable while OpenSearch is away. Try again in a few seconds.',
    );
  });

  it('asks for a custom range of whole local days, once they make sense', async () => {
    const api = fakeApi({
      'GET /api/stats/abc1234': () => ({ status: 200, body: stats }),
      'GET /api/analytics/abc1234': () => histogram([1, 2]),
      'GET /api/analytics/abc1234/:dimension': () => ({ status: 200, body: { items: [], other: 0 } }),
    });
    renderWithApi(<AnalyticsPage code="abc1234" />, api.fetch);
    const user = userEvent.setup();
    await screen.findByRole('img');
    const histogramCalls = () => api.calls.filter((c) => c.path === '/api/analytics/abc1234');
    const asked = histogramCalls().length;
    await user.click(screen.getByRole('radio', { name: 'Custom' }));
    const first = screen.getByLabelText('First day');
    const last = screen.getByLabelText('Last day');
    const now = new Date();
    const day = (offset: number) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + offset);

    await user.clear(last);
    await user.type(last, localDay(day(1).getTime()));
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(last).toHaveAttribute('aria-invalid', 'true');
    expect(last).toHaveAccessibleDescription('The last day cannot be after today.');
    expect(last).toHaveFocus();

    await user.clear(first);
    await user.type(first, localDay(day(-2).getTime()));
    await user.clear(last);
    await user.type(last, localDay(day(-3).getTime()));
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(last).toHaveAccessibleDescription('The last day must be on or after the first day.');
    expect(histogramCalls()).toHaveLength(asked);

    await user.clear(first);
    await user.type(first, localDay(day(-10).getTime()));
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(histogramCalls().length).toBeGreaterThan(asked));
    expect(last).not.toHaveAttribute('aria-invalid');
    const sent = histogramCalls().at(-1)!;
    expect(sent.query.get('from')).toBe(day(-10).toISOString());
    expect(sent.query.get('to')).toBe(day(-2).toISOString());
    // 8 days: hourly still fits in 2,000 buckets, so the interval stays
    expect(sent.query.get('interval')).toBe('hour');
    expect(api.calls.filter((c) => c.path.endsWith('/countries')).at(-1)!.query.get('from')).toBe(day(-10).toISOString());
    expect(screen.getByRole('radio', { name: 'Custom' })).toBeChecked();
  });

  describe('CSV downloads', () => {
    afterEach(() => vi.restoreAllMocks());

    // jsdom's Blob has no text()
    const text = (blob: Blob) =>
      new Promise<string>((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result as string); // readAsText gives a string
        reader.readAsText(blob);
      });

    /** Catches the file a click on a download button saves: its name and its text. */
    function catchDownloads() {
      const files: { name: string; blob: Blob }[] = [];
      const blobs = new Map<string, Blob>();
      URL.createObjectURL = (blob: Blob) => {
        const url = `blob:test/${blobs.size}`;
        blobs.set(url, blob);
        return url;
      };
      URL.revokeObjectURL = () => {};
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        files.push({ name: this.download, blob: blobs.get(this.href)! });
      });
      return files;
    }

    it('saves the time series and each breakdown from the data on the page', async () => {
      const files = catchDownloads();
      const api = fakeApi({
        'GET /api/stats/abc1234': () => ({ status: 200, body: stats }),
        'GET /api/analytics/abc1234': () => histogram([0, 4]),
        'GET /api/analytics/abc1234/:dimension': (call) => ({
          status: 200,
          body: call.path.endsWith('countries') ? { items: [{ key: 'GB', count: 3 }], other: 1 } : { items: [], other: 0 },
        }),
      });
      renderWithApi(<AnalyticsPage code="abc1234" />, api.fetch);
      const user = userEvent.setup();
      await screen.findByRole('img');
      await user.click(screen.getByRole('button', { name: 'Download CSV of the clicks over time' }));
      expect(files).toHaveLength(1);
      expect(files[0]!.name).toMatch(/^abc1234-clicks-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(files[0]!.blob.type).toBe('text/csv;charset=utf-8');
      // the histogram's zone (UTC in this fake answer), with its offset
      expect(await text(files[0]!.blob)).toBe('start,count\r\n2026-12-06T00:00:00+00:00,0\r\n2026-12-06T01:00:00+00:00,4\r\n');

      const countries = screen.getByRole('region', { name: 'Countries' });
      await user.click(await within(countries).findByRole('button', { name: 'Download CSV of countries' }));
      expect(files[1]!.name).toMatch(/^abc1234-countries-.*\.csv$/);
      const gb = new Intl.DisplayNames(undefined, { type: 'region' }).of('GB');
      expect(await text(files[1]!.blob)).toBe(`key,label,count,share\r\nGB,${gb},3,0.75\r\n(other),Other,1,0.25\r\n`);
      // nothing to save where there are no clicks
      expect(within(screen.getByRole('region', { name: 'Browsers' })).queryByRole('button')).not.toBeInTheDocument();
    });
  });
});
