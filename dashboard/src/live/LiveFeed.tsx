import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { LiveClick } from '../api/client';
import { useClickStream } from './clickStream';
import { ClickList, prepend, StreamStatus, type FeedItem } from './ClickFeed';
import { countLiveClick, reconcile } from './liveCounts';

/** After the last live click, the API has counted it too (its batch window, 2 s by default). */
export const RECONCILE_AFTER_MS = 6000;

/**
 * A link's clicks as they happen (GET /api/stream/{code}): each one on top of the feed, and counted
 * at once into the page's totals and chart; the page asks the API for its numbers again a few
 * seconds after the last one.
 */
export function LiveFeed({ code }: { code: string }) {
  const client = useQueryClient();
  const [items, setItems] = useState<FeedItem[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onClick = (click: LiveClick, id: string) => {
    if (click.code !== code) return;
    setItems((current) => prepend(current, { id, click }));
    countLiveClick(client, click);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => reconcile(client, code), RECONCILE_AFTER_MS);
  };
  const { state, reconnect } = useClickStream(`/api/stream/${encodeURIComponent(code)}`, onClick);

  return (
    <section className="card" aria-labelledby="live-clicks">
      <h2 id="live-clicks">Live clicks</h2>
      <StreamStatus state={state} onReconnect={reconnect} />
      <ClickList
        items={items}
        empty={<p>No clicks since you opened this page. Open the short link from another device and it shows up here at once.</p>}
      />
    </section>
  );
}
