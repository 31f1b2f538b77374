import type { Bucket } from '../api/client';
import type { Row } from '../components/BreakdownTable';
import { rangeDays, type TimeRange } from './ranges';

export type Cell = string | number;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text starting with = + - @ or a tab would be run as a formula by spreadsheets (and referrers come
 * from whoever clicked), so it gets a leading apostrophe, as OWASP advises.
 */
export function csvField(value: Cell): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Records, the first one the header, each line ended by CRLF as RFC 4180 has it. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/** An instant as ISO-8601 in the zone, with its offset: "2026-12-07T00:00:00+01:00". */
export function isoWithOffset(instant: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  // "GMT+01:00", or "GMT" for a zero offset
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName!.slice(3);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** The time series: every bucket's start in the zone the chart shows, and its count. */
export function seriesCsv(buckets: readonly Bucket[], timeZone: string): string {
  return toCsv([
    ['start', 'count'],
    ...buckets.filter((bucket) => bucket.start).map((bucket) => [isoWithOffset(bucket.start!, timeZone), bucket.count ?? 0]),
  ]);
}

/** A breakdown as its table shows it: the API's key, the name shown, the count and the share (0-1). */
export function breakdownCsv(rows: readonly Row[]): string {
  return toCsv([['key', 'label', 'count', 'share'], ...rows.map((row) => [row.key, row.label, row.count, Number(row.share.toFixed(4))])]);
}

/**
 * Saves text as a file: an object URL on a link with a download attribute. That is a download,
 * not a fetch or an image, so the dashboard's Content-Security-Policy needs no blob: for it.
 */
export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // the browser has taken the file once the click's task is over
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** "abc1234-clicks-2026-12-01-2026-12-06.csv": the link, what, and the range's first and last day. */
export function csvFilename(code: string, what: string, range: TimeRange): string {
  const days = rangeDays(range);
  return `${code}-${what}-${days.from}-${days.to}.csv`;
}
