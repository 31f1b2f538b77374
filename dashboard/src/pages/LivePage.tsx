import { useState } from 'react';
import { Link as RouteLink } from 'wouter';
import type { LiveClick } from '../api/client';
import { Figures } from '../components/Figures';
import { formatNumber } from '../format';
import { ClickList, prepend, StreamStatus, type FeedItem } from '../live/ClickFeed';
import { useClickStream } from '../live/clickStream';
import { useTitle } from '../useTitle';

export interface Tally {
  people: number;
  bots: number;
  byLink: Record<string, number>;
}

export const EMPTY_TALLY: Tally = { people: 0, bots: 0, byLink: {} };

export function tally(current: Tally, click: LiveClick): Tally {
  return {
    people: current.people + (click.bot ? 0 : 1),
    bots: current.bots + (click.bot ? 1 : 0),
    byLink: { ...current.byLink, [click.code]: (current.byLink[click.code] ?? 0) + 1 },
  };
}

/** Every link's clicks as they happen (GET /api/stream), and a tally since the page opened. */
export default function LivePage() {
  useTitle('Live');
  const [items, setItems] = useState<FeedItem[]>([]);
  const [counts, setCounts] = useState<Tally>(EMPTY_TALLY);
  const { state, reconnect } = useClickStream('/api/stream', (click, id) => {
    setItems((current) => prepend(current, { id, click }));
    setCounts((current) => tally(current, click));
  });
  const busiest = Object.entries(counts.byLink)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, 10);

  return (
    <>
      <h1>Live</h1>
      <p className="muted">Clicks on all your links as they happen, links you create meanwhile included.</p>
      <StreamStatus state={state} onReconnect={reconnect} />
      <Figures
        items={[
          { label: 'People since opened', value: formatNumber(counts.people) },
          { label: 'Bots since opened', value: formatNumber(counts.bots) },
          { label: 'Links clicked', value: formatNumber(Object.keys(counts.byLink).length) },
        ]}
      />
      <div className="live-columns">
        <section className="card" aria-labelledby="live-feed">
          <h2 id="live-feed">Latest clicks</h2>
          <ClickList
            items={items}
            showCode
            empty={<p>No clicks since you opened this page. Keep it open: each click on any of your links shows up here at once.</p>}
          />
        </section>
        <section className="card" aria-labelledby="live-busiest">
          <h2 id="live-busiest">Most clicked since opened</h2>
          {busiest.length === 0 ? (
            <p className="muted">Nothing yet.</p>
          ) : (
            <table className="numbers">
              <thead>
                <tr>
                  <th scope="col">Link</th>
                  <th scope="col" className="number">
                    Clicks
                  </th>
                </tr>
              </thead>
              <tbody>
                {busiest.map(([code, count]) => (
                  <tr key={code}>
                    <td>
                      <RouteLink href={`/links/${encodeURIComponent(code)}`} className="code">
                        /{code}
                      </RouteLink>
                    </td>
                    <td className="number">{formatNumber(count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
