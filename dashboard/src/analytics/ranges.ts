import type { Interval } from '../api/client';

export type Preset = '24h' | '7d' | '30d' | 'custom';

/** A fixed time range: from/to are ISO-8601 instants, so a query's key stays the same. */
export interface TimeRange {
  preset: Preset;
  from: string;
  to: string;
}

const HOUR = 3_600_000;
type Rolling = Exclude<Preset, 'custom'>;
const DURATION: Record<Rolling, number> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

export const PRESETS: { value: Preset; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'custom', label: 'Custom' },
];

/** The range ending now (to the next whole minute, so that a refresh within it asks the same). */
export function rangeEndingNow(preset: Rolling, now: number = Date.now()): TimeRange {
  const to = Math.ceil(now / 60_000) * 60_000;
  return { preset, from: new Date(to - DURATION[preset]).toISOString(), to: new Date(to).toISOString() };
}

/** The browser's calendar day of an instant, as a date input holds it: "2026-12-06". */
export function localDay(instant: string | number): string {
  const date = new Date(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The first and the last day of a range, in the browser's zone (its end is exclusive). */
export function rangeDays(range: TimeRange): { from: string; to: string } {
  return { from: localDay(range.from), to: localDay(Date.parse(range.to) - 1) };
}

/** Local midnight starting a "2026-12-06" day, plus some days; null for anything else. */
function midnight(day: string, plusDays = 0): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
  return localDay(date.getTime()) === day || plusDays !== 0 ? date : null;
}

export type CustomRange = { range: TimeRange } | { field: 'from' | 'to'; error: string };

/**
 * From the first day's local midnight to the end of the last day (both in the browser's zone), if
 * those days make a range the API can chart; else which field is wrong and why.
 */
export function customRange(fromDay: string, toDay: string, now: number = Date.now()): CustomRange {
  const start = midnight(fromDay);
  const last = midnight(toDay);
  if (!start) return { field: 'from', error: 'Enter the first day, e.g. 2026-12-01.' };
  if (!last) return { field: 'to', error: 'Enter the last day, e.g. 2026-12-31.' };
  const today = localDay(now);
  if (fromDay > today) return { field: 'from', error: 'The first day cannot be in the future.' };
  if (toDay > today) return { field: 'to', error: 'The last day cannot be after today.' };
  if (fromDay > toDay) return { field: 'to', error: 'The last day must be on or after the first day.' };
  const range: TimeRange = { preset: 'custom', from: start.toISOString(), to: midnight(toDay, 1)!.toISOString() };
  if (intervalsFor(range).length === 0) return { field: 'from', error: 'That is too long to chart: choose a later first day.' };
  return { range };
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "last 7 days", "on 6 Dec 2026", "from 1 Dec 2026 to 6 Dec 2026": for sentences about a range. */
export function rangeLabel(range: TimeRange): string {
  if (range.preset !== 'custom') return PRESETS.find((p) => p.value === range.preset)!.label.toLowerCase();
  const from = dayFormat.format(new Date(range.from));
  const to = dayFormat.format(new Date(Date.parse(range.to) - 1));
  return from === to ? `on ${from}` : `from ${from} to ${to}`;
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

function buckets(range: Pick<TimeRange, 'from' | 'to'>, interval: Interval): number {
  return (Date.parse(range.to) - Date.parse(range.from)) / BUCKET[interval];
}

/** The intervals that make a readable chart of the range, finest first. */
export function intervalsFor(range: Pick<TimeRange, 'from' | 'to'>): Interval[] {
  return (['minute', 'hour', 'day', 'week', 'month'] as Interval[]).filter((interval) => {
    const count = buckets(range, interval);
    return count <= MAX_BUCKETS && count >= 4;
  });
}

/** The finest interval that keeps the chart to about 200 bars (hourly for a day or a week). */
export function defaultInterval(range: Pick<TimeRange, 'from' | 'to'>): Interval {
  const offered = intervalsFor(range);
  return offered.find((interval) => buckets(range, interval) <= 200) ?? offered.at(-1) ?? 'day';
}
