import type { Bucket, Interval } from '../api/client';

/** uPlot's data: bucket starts in seconds since the epoch, and their counts. */
export interface Series {
  xs: number[];
  ys: number[];
}

/** Buckets as the API sends them (oldest first, every bucket listed) into the chart's columns. */
export function toSeries(buckets: readonly Bucket[] | undefined): Series {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const bucket of buckets ?? []) {
    const time = bucket.start ? Date.parse(bucket.start) : NaN;
    if (Number.isNaN(time)) continue;
    xs.push(time / 1000);
    ys.push(bucket.count ?? 0);
  }
  return { xs, ys };
}

export interface Summary {
  total: number;
  peak: { start: string; count: number } | null;
}

export function summarise(buckets: readonly Bucket[] | undefined): Summary {
  let total = 0;
  let peak: Summary['peak'] = null;
  for (const bucket of buckets ?? []) {
    const count = bucket.count ?? 0;
    total += count;
    if (count > 0 && bucket.start && (!peak || count > peak.count)) peak = { start: bucket.start, count };
  }
  return { total, peak };
}

const LABEL_FORMATS: Record<Interval, Intl.DateTimeFormatOptions> = {
  minute: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  hour: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  day: { weekday: 'short', month: 'short', day: 'numeric' },
  week: { year: 'numeric', month: 'short', day: 'numeric' },
  month: { year: 'numeric', month: 'long' },
};

/** A bucket's start as a person reads it, in the browser's zone and language. */
export function bucketLabel(start: string, interval: Interval, locale?: string, timeZone?: string): string {
  const text = new Intl.DateTimeFormat(locale, { ...LABEL_FORMATS[interval], timeZone }).format(new Date(start));
  return interval === 'week' ? `Week of ${text}` : text;
}
