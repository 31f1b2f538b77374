import { describe, expect, it } from 'vitest';
import { customRange, defaultInterval, intervalsFor, localDay, rangeDays, rangeLabel } from './ranges';

// local times: the expectations hold in whatever zone the tests run
const now = new Date(2026, 11, 6, 15, 30).getTime();

describe('custom ranges', () => {
  it('runs from the first day’s local midnight to the end of the last day', () => {
    expect(customRange('2026-12-01', '2026-12-03', now)).toEqual({
      range: { preset: 'custom', from: new Date(2026, 11, 1).toISOString(), to: new Date(2026, 11, 4).toISOString() },
    });
    const today = customRange('2026-12-06', '2026-12-06', now);
    expect(today).toEqual({
      range: { preset: 'custom', from: new Date(2026, 11, 6).toISOString(), to: new Date(2026, 11, 7).toISOString() },
    });
    if ('range' in today) expect(rangeDays(today.range)).toEqual({ from: '2026-12-06', to: '2026-12-06' });
  });

  it('says which day is wrong and why', () => {
    expect(customRange('', '2026-12-03', now)).toEqual({ field: 'from', error: 'Enter the first day, e.g. 2026-12-01.' });
    expect(customRange('2026-02-30', '2026-12-03', now)).toMatchObject({ field: 'from' });
    expect(customRange('2026-12-01', 'tomorrow', now)).toEqual({ field: 'to', error: 'Enter the last day, e.g. 2026-12-31.' });
    expect(customRange('2026-12-07', '2026-12-08', now)).toEqual({ field: 'from', error: 'The first day cannot be in the future.' });
    expect(customRange('2026-12-01', '2026-12-07', now)).toEqual({ field: 'to', error: 'The last day cannot be after today.' });
    expect(customRange('2026-12-05', '2026-12-04', now)).toEqual({
      field: 'to',
      error: 'The last day must be on or after the first day.',
    });
    expect(customRange('1700-01-01', '2026-12-04', now)).toEqual({
      field: 'from',
      error: 'That is too long to chart: choose a later first day.',
    });
  });

  it('offers the intervals the span allows (at most 2,000 buckets, at least 4), about 200 bars by default', () => {
    const span = (from: string, to: string) => {
      const result = customRange(from, to, now);
      if (!('range' in result)) throw new Error(result.error);
      return result.range;
    };
    expect(intervalsFor(span('2026-12-06', '2026-12-06'))).toEqual(['minute', 'hour']);
    expect(defaultInterval(span('2026-12-06', '2026-12-06'))).toBe('hour');
    expect(intervalsFor(span('2026-10-01', '2026-12-06'))).toEqual(['hour', 'day', 'week']);
    expect(defaultInterval(span('2026-10-01', '2026-12-06'))).toBe('day');
    expect(intervalsFor(span('2026-01-01', '2026-12-06'))).toEqual(['day', 'week', 'month']);
    expect(defaultInterval(span('2026-01-01', '2026-12-06'))).toBe('week');
    expect(intervalsFor(span('2000-01-01', '2026-12-06'))).toEqual(['week', 'month']);
  });

  it('names a range for sentences', () => {
    const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
    expect(rangeLabel({ preset: '7d', from: '', to: '' })).toBe('last 7 days');
    const one = customRange('2026-12-06', '2026-12-06', now);
    const two = customRange('2026-12-01', '2026-12-06', now);
    if (!('range' in one) || !('range' in two)) throw new Error('not a range');
    expect(rangeLabel(one.range)).toBe(`on ${day.format(new Date(2026, 11, 6))}`);
    expect(rangeLabel(two.range)).toBe(`from ${day.format(new Date(2026, 11, 1))} to ${day.format(new Date(2026, 11, 6))}`);
    expect(localDay(now)).toBe('2026-12-06');
  });
});
