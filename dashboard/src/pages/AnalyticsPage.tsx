import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link } from 'wouter';
import type { Dimension, Interval } from '../api/client';
import { browserTimeZone, useBreakdown, useHistogram, useStats } from '../api/queries';
import { breakdownCsv, csvFilename, downloadCsv, seriesCsv } from '../analytics/csv';
import { defaultInterval, intervalsFor, rangeEndingNow, rangeLabel, type TimeRange } from '../analytics/ranges';
import { bucketLabel, summarise, toSeries } from '../analytics/series';
import { BreakdownTable, breakdownRows, DIMENSIONS } from '../components/BreakdownTable';
import { CopyButton } from '../components/CopyButton';
import { Figures } from '../components/Figures';
import { RangeControls } from '../components/RangeControls';
import { Empty, ErrorState, Loading } from '../components/States';
import { TimeSeriesChart } from '../components/TimeSeriesChart';
import { formatDateTime, formatNumber } from '../format';
import { LiveFeed } from '../live/LiveFeed';
import { useTitle } from '../useTitle';

// d3-geo and the world's outlines (about 50 KB gzipped) load once there are countries to show
const CountryMap = lazy(() => import('../components/CountryMap'));

function Totals({ code }: { code: string }) {
  const stats = useStats(code);
  if (stats.isPending) return <Loading>Loading the totals…</Loading>;
  if (stats.isError) return <ErrorState error={stats.error} onRetry={() => void stats.refetch()} title="Could not load the totals." />;
  const s = stats.data;
  const last24h = (s.last24h ?? []).reduce((sum, bucket) => sum + (bucket.count ?? 0), 0);
  return (
    <>
      <p className="link-target">
        <a href={s.url} rel="noreferrer noopener" target="_blank">
          {s.url}
        </a>
      </p>
      <Figures
        items={[
          { label: 'People', value: formatNumber(s.humanClicks) },
          { label: 'Bots', value: formatNumber(s.botClicks) },
          { label: 'All clicks', value: formatNumber(s.totalClicks) },
          { label: 'People, last 24 h', value: formatNumber(last24h) },
          { label: 'Last click', value: s.lastClickAt ? formatDateTime(s.lastClickAt) : 'None yet', small: true },
        ]}
      />
    </>
  );
}

function Breakdown({ code, dimension, range, includeBots }: { code: string; dimension: Dimension } & Shared) {
  const query = useBreakdown(code, dimension, range, includeBots);
  const meta = DIMENSIONS.find((d) => d.value === dimension)!;
  const rows = breakdownRows(dimension, query.data);
  return (
    <section className="card breakdown-card" aria-labelledby={`breakdown-${dimension}`}>
      <div className="card-head">
        <h3 id={`breakdown-${dimension}`}>{meta.title}</h3>
        {query.isSuccess && rows.length > 0 ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => downloadCsv(csvFilename(code, dimension, range), breakdownCsv(rows))}
          >
            Download CSV<span className="visually-hidden"> of {meta.title.toLowerCase()}</span>
          </button>
        ) : null}
      </div>
      {query.isPending ? (
        <Loading>Loading…</Loading>
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          {dimension === 'countries' && rows.length > 0 ? (
            <Suspense fallback={null}>
              <CountryMap rows={rows} />
            </Suspense>
          ) : null}
          <BreakdownTable dimension={dimension} breakdown={query.data} />
        </>
      )}
    </section>
  );
}

interface Shared {
  range: TimeRange;
  includeBots: boolean;
}

function Chart({ code, range, includeBots, interval, shortUrl }: { code: string; interval: Interval; shortUrl?: string | undefined } & Shared) {
  const histogram = useHistogram(code, range, interval, includeBots);
  const buckets = histogram.data?.buckets;
  const series = useMemo(() => toSeries(buckets), [buckets]);
  if (histogram.isPending) return <Loading>Loading the chart…</Loading>;
  if (histogram.isError) return <ErrorState error={histogram.error} onRetry={() => void histogram.refetch()} title="Could not load the chart." />;
  const { total, peak } = summarise(buckets);
  const presetLabel = rangeLabel(range);
  if (total === 0) {
    return (
      <Empty>
        <p>
          No clicks {presetLabel}
          {includeBots ? '' : ' from people'} yet — share your link{shortUrl ? ': ' : '.'}
          {shortUrl ? <a href={shortUrl}>{shortUrl}</a> : null}
        </p>
      </Empty>
    );
  }
  const summary =
    `${formatNumber(total)} clicks ${presetLabel}, ${interval === 'hour' ? 'hourly' : `per ${interval}`}` +
    (peak ? `; the most, ${formatNumber(peak.count)}, ${bucketLabel(peak.start, interval)}` : '');
  return (
    // while a new range loads, the previous range's chart stays, marked as being replaced
    <figure className="figure" aria-busy={histogram.isPlaceholderData}>
      <TimeSeriesChart series={series} interval={interval} summary={summary} />
      <figcaption>
        {summary}.{histogram.data?.source === 'postgres' ? ' From the hourly totals while the search engine is away.' : ''}
      </figcaption>
      <p className="figure-actions">
        <button
          type="button"
          className="button button-small"
          onClick={() =>
            downloadCsv(csvFilename(code, 'clicks', range), seriesCsv(buckets ?? [], histogram.data?.timeZone ?? browserTimeZone()))
          }
        >
          Download CSV<span className="visually-hidden"> of the clicks over time</span>
        </button>
      </p>
      <details>
        <summary>Show the numbers</summary>
        <table className="numbers">
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col" className="number">
                Clicks
              </th>
            </tr>
          </thead>
          <tbody>
            {(buckets ?? [])
              .filter((bucket) => (bucket.count ?? 0) > 0)
              .map((bucket) => (
                <tr key={bucket.start}>
                  <td>{bucketLabel(bucket.start ?? '', interval)}</td>
                  <td className="number">{formatNumber(bucket.count)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export default function AnalyticsPage({ code, shortUrl }: { code: string; shortUrl?: string }) {
  useTitle(`/${code} analytics`);
  const client = useQueryClient();
  const [range, setRange] = useState<TimeRange>(() => rangeEndingNow('24h'));
  const [interval, setBucketInterval] = useState<Interval>(() => defaultInterval(range));
  const [includeBots, setIncludeBots] = useState(false);
  const link = shortUrl ?? `${window.location.origin}/${code}`;

  function chooseRange(next: TimeRange) {
    setRange(next);
    if (!intervalsFor(next).includes(interval)) setBucketInterval(defaultInterval(next));
  }

  function refresh() {
    // a custom range stays the same days: ask for them again
    if (range.preset === 'custom') {
      for (const key of ['histogram', 'breakdown']) void client.invalidateQueries({ queryKey: [key, code] });
    } else {
      setRange(rangeEndingNow(range.preset));
    }
  }

  return (
    <>
      <p className="back">
        <Link href="/">← All links</Link>
      </p>
      <div className="page-head">
        <h1>
          Analytics of <span className="code">/{code}</span>
        </h1>
        <CopyButton text={link} label={`Copy ${link}`} />
      </div>
      <Totals code={code} />
      <section className="card" aria-labelledby="over-time">
        <h2 id="over-time">Clicks over time</h2>
        <RangeControls
          range={range}
          onRange={chooseRange}
          interval={interval}
          onInterval={setBucketInterval}
          includeBots={includeBots}
          onIncludeBots={setIncludeBots}
          onRefresh={refresh}
        />
        <Chart code={code} range={range} interval={interval} includeBots={includeBots} shortUrl={link} />
      </section>
      <LiveFeed code={code} />
      <h2 className="section-title">Where the clicks come from</h2>
      <div className="breakdowns">
        {DIMENSIONS.map((dimension) => (
          <Breakdown key={dimension.value} code={code} dimension={dimension.value} range={range} includeBots={includeBots} />
        ))}
      </div>
    </>
  );
}
