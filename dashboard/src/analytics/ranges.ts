import type { Interval } from '../api/client';

export type Preset = '24h' | '7d' | '30d';

/** A fixed time range: from/to are ISO-8601 instants, so a query's key stays the same. */
export interface TimeRange {
  preset: Preset;
  from: string;
  to: string;
}

const HOUR = 3_600_000;
const DURATION: Record<Preset, number> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

export const PRESETS: { value: Preset; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

/** The range ending now (to the next whole minute, so that a refresh within it asks the same). */
export function rangeEndingNow(preset: Preset, now: number = Date.now()): TimeRange {
  const to = Math.ceil(now / 60_000) * 60_000;
  return { preset, from: new Date(to - DURATION[preset]).toISOString(), to: new Date(to).toISOString() };
}

const BUCKET: Record<Interval, number> = {
  minute: 60_000,
  hour: HOUR,
  day: 24 * HOUR,
  week: 7 * 24 * HOUR,
  month: 30 * 24 * HOUR,
};

/** The API answers at most 2,000 buckets; a chart of one bucket says nothing. */
const MAX_BUCKETS = 2000;

export const INTERVAL_LABELS: Record<Interval, string> = {
  minute: 'Per minute',
  hour: 'Per hour',
  day: 'Per day',
  week: 'Per week',
  month: 'Per month',
};

/** The intervals that make a readable chart of the preset, finest first. */
export function intervalsFor(preset: Preset): Interval[] {
  return (['minute', 'hour', 'day', 'week'] as Interval[]).filter((interval) => {
    const buckets = DURATION[preset] / BUCKET[interval];
    return buckets <= MAX_BUCKETS && buckets >= 4;
  });
}

export function defaultInterval(preset: Preset): Interval {
  return preset === '30d' ? 'day' : 'hour';
}
