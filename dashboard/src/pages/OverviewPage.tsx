import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { useOverview } from '../api/queries';
import { rangeEndingNow, rangeLabel, type TimeRange } from '../analytics/ranges';
import { Figures } from '../components/Figures';
import { RangeControls } from '../components/RangeControls';
import { Empty, ErrorState, Loading } from '../components/States';
import { formatNumber } from '../format';
import { useTitle } from '../useTitle';

export function OverviewPage() {
  useTitle('Overview');
  const client = useQueryClient();
  const [range, setRange] = useState<TimeRange>(() => rangeEndingNow('7d'));
  const [includeBots, setIncludeBots] = useState(false);
  const overview = useOverview(range, includeBots);
  const data = overview.data;
  const presetLabel = rangeLabel(range);

  return (
    <>
      <h1>Overview</h1>
      <RangeControls
        range={range}
        onRange={setRange}
        includeBots={includeBots}
        onIncludeBots={setIncludeBots}
        onRefresh={() =>
          range.preset === 'custom'
            ? void client.invalidateQueries({ queryKey: ['overview'] })
            : setRange(rangeEndingNow(range.preset))
        }
      />
      {overview.isPending ? (
        <Loading>Loading the overview…</Loading>
      ) : overview.isError ? (
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} title="Could not load the overview." />
      ) : (
        <>
          <Figures
            items={[
              { label: 'People', value: formatNumber(data?.humanClicks) },
              { label: 'Bots', value: formatNumber(data?.botClicks) },
              { label: 'All clicks', value: formatNumber(data?.totalClicks) },
              { label: 'Links', value: formatNumber(data?.links) },
            ]}
          />
          <section className="card" aria-labelledby="top-links">
            <h2 id="top-links">Top links, {presetLabel}</h2>
            {(data?.topLinks ?? []).length === 0 ? (
              <Empty>
                <p>
                  No clicks {presetLabel} yet. Share your links; <Link href="/">all your links are here</Link>.
                </p>
              </Empty>
            ) : (
              <table className="breakdown top-links">
                <thead>
                  <tr>
                    <th scope="col">Link</th>
                    <th scope="col">Target</th>
                    <th scope="col" className="number">
                      Clicks
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {(data?.topLinks ?? []).map((top) => (
                    <tr key={top.code}>
                      <th scope="row">
                        <Link href={`/links/${encodeURIComponent(top.code ?? '')}`} className="code">
                          /{top.code}
                        </Link>
                      </th>
                      <td className="target">
                        <span title={top.url}>{top.url}</span>
                      </td>
                      <td className="number">{formatNumber(top.clicks)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </>
  );
}
