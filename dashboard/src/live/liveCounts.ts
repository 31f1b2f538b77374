import type { QueryClient } from '@tanstack/react-query';
import type { Histogram, Interval, LiveClick, Stats } from '../api/client';
import type { HistogramKey } from '../api/queries';

/**
 * A live click counted into what the page already shows, so that the totals and the chart move
 * at once: the API counts it a few seconds later (its batch window), and the page then asks
 * again (reconcile) and shows the API's numbers.
 */

const HOUR = 3_600_000;

/** The link's totals with one more click. */
export function countInStats(stats: Stats, click: LiveClick): Stats {
  const at = Date.parse(click.clickedAt);
  const last = stats.lastClickAt ? Date.parse(stats.lastClickAt) : -Infinity;
  let last24h = stats.last24h;
  if (!click.bot && last24h?.length) {
    // the hourly buckets of the last 24 h count people: the click's hour, if listed
    last24h = last24h.map((bucket) => {
      const start = bucket.start ? Date.parse(bucket.start) : NaN;
      return start <= at && at < start + HOUR ? { ...bucket, count: (bucket.count ?? 0) + 1 } : bucket;
    });
  }
  return {
    ...stats,
    totalClicks: (stats.totalClicks ?? 0) + 1,
    humanClicks: (stats.humanClicks ?? 0) + (click.bot ? 0 : 1),
    botClicks: (stats.botClicks ?? 0) + (click.bot ? 1 : 0),
    lastClickAt: at > last ? click.clickedAt : stats.lastClickAt,
    last24h,
  };
}

/** The start of the bucket after the one starting at `start`, in the browser's time zone. */
export function nextBucket(start: number, interval: Interval): number {
  const date = new Date(start);
  switch (interval) {
    case 'minute':
      return start + 60_000;
    case 'hour':
      return start + HOUR;
    case 'day':
      date.setDate(date.getDate() + 1);
      return date.getTime();
    case 'week':
      date.setDate(date.getDate() + 7);
      return date.getTime();
    case 'month':
      date.setMonth(date.getMonth() + 1);
      return date.getTime();
  }
}

/**
 * The histogram with one more click in its bucket. A click after the last bucket's end (the range
 * ended at the minute it was chosen) opens the buckets up to it and, when `slide` is set (a range
 * ending now), drops as many from the start, so that the chart keeps its span and moves on.
 */
export function countInHistogram(histogram: Histogram, click: LiveClick, includeBots: boolean, slide: boolean): Histogram {
  const buckets = histogram.buckets ?? [];
  const interval = histogram.interval;
  if ((click.bot && !includeBots) || !interval || buckets.length === 0 || !histogram.to) return histogram;
  const at = Date.parse(click.clickedAt);
  const first = Date.parse(buckets[0]!.start ?? '');
  if (at < first) return histogram;
  const next = [...buckets];
  let end = Date.parse(histogram.to);
  if (at >= end) {
    if (!slide) return histogram;
    // open buckets up to the click's (at most a day's worth of minutes: a page left open for long)
    for (let added = 0; at >= end && added < 1440; added++) {
      next.push({ start: new Date(end).toISOString(), count: 0 });
      end = nextBucket(end, interval);
      next.shift();
    }
    if (at >= end) return histogram;
  }
  let index = next.length - 1;
  while (index > 0 && Date.parse(next[index]!.start ?? '') > at) index--;
  next[index] = { ...next[index]!, count: (next[index]!.count ?? 0) + 1 };
  return { ...histogram, buckets: next, from: next[0]!.start, to: new Date(end).toISOString() };
}

/** Counts a live click into the link's cached totals and charts. */
export function countLiveClick(client: QueryClient, click: LiveClick) {
  client.setQueryData<Stats>(['stats', click.code], (stats) => (stats ? countInStats(stats, click) : stats));
  for (const query of client.getQueryCache().findAll({ queryKey: ['histogram', click.code] })) {
    const [, , { range, includeBots }] = query.queryKey as HistogramKey;
    const histogram = query.state.data as Histogram | undefined;
    if (!histogram) continue;
    client.setQueryData(query.queryKey, countInHistogram(histogram, click, includeBots, range.preset !== 'custom'));
  }
}

/** Asks the API again for the link's numbers: once it has counted the clicks shown live. */
export function reconcile(client: QueryClient, code: string) {
  for (const key of ['stats', 'histogram', 'breakdown']) {
    void client.invalidateQueries({ queryKey: [key, code] });
  }
}
