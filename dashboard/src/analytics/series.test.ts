import { describe, expect, it } from 'vitest';
import { defaultInterval, intervalsFor, rangeEndingNow } from './ranges';
import { bucketLabel, summarise, toSeries } from './series';

describe('chart data', () => {
  const buckets = [
    { start: '2026-12-06T10:00:00Z', count: 3 },
    { start: '2026-12-06T11:00:00Z', count: 0 },
    { start: '2026-12-06T12:00:00Z', count: 7 },
    { start: '2026-12-06T13:00:00Z' },
  ];

  it('turns buckets into uPlot columns: seconds since the epoch, counts (missing ones 0)', () => {
    expect(toSeries(buckets)).toEqual({
      xs: [1796551200, 1796554800, 1796558400, 1796562000],
      ys: [3, 0, 7, 0],
    });
  });

  it('skips a bucket without a readable start, and takes no buckets as an empty chart', () => {
    expect(toSeries([{ start: 'yesterday', count: 4 }, { count: 1 }])).toEqual({ xs: [], ys: [] });
    expect(toSeries(undefined)).toEqual({ xs: [], ys: [] });
  });

  it('sums the clicks and finds the busiest bucket', () => {
    expect(summarise(buckets)).toEqual({ total: 10, peak: { start: '2026-12-06T12:00:00Z', count: 7 } });
    expect(summarise([{ start: '2026-12-06T10:00:00Z', count: 0 }])).toEqual({ total: 0, peak: null });
  });

  it('labels buckets in the given zone', () => {
    expect(bucketLabel('2026-12-06T23:00:00Z', 'hour', 'en-GB', 'Europe/Berlin')).toBe('7 Dec, 00:00');
    expect(bucketLabel('2026-12-06T23:00:00Z', 'day', 'en-GB', 'Europe/Berlin')).toBe('Mon 7 Dec');
    expect(bucketLabel('2026-11-30T23:00:00Z', 'week', 'en-GB', 'Europe/Berlin')).toBe('Week of 1 Dec 2026');
    expect(bucketLabel('2026-12-06T10:00:00Z', 'month', 'en-US', 'UTC')).toBe('December 2026');
  });
});

describe('ranges', () => {
  it('ends a range at the next whole minute, so that asking again within it hits the cache', () => {
    const now = Date.parse('2026-12-06T12:34:56.789Z');
    expect(rangeEndingNow('24h', now)).toEqual({
      preset: '24h',
      from: '2026-12-05T12:35:00.000Z',
      to: '2026-12-06T12:35:00.000Z',
    });
    expect(rangeEndingNow('7d', now).from).toBe('2026-11-29T12:35:00.000Z');
    expect(rangeEndingNow('30d', now + 1000)).toEqual(rangeEndingNow('30d', now));
  });

  it('offers the intervals the API can answer (2,000 buckets at most) and that make a chart', () => {
    expect(intervalsFor(rangeEndingNow('24h'))).toEqual(['minute', 'hour']);
    expect(intervalsFor(rangeEndingNow('7d'))).toEqual(['hour', 'day']);
    expect(intervalsFor(rangeEndingNow('30d'))).toEqual(['hour', 'day', 'week']);
    expect(['24h', '7d', '30d'].map((preset) => defaultInterval(rangeEndingNow(preset as '24h')))).toEqual(['hour', 'hour', 'day']);
  });
});
