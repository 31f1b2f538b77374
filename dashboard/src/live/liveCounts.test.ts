import { describe, expect, it } from 'vitest';
import type { Histogram, LiveClick, Stats } from '../api/client';
import { countInHistogram, countInStats, nextBucket } from './liveCounts';

function click(at: string, bot = false): LiveClick {
  return { code: 'abc', clickedAt: at, browser: 'Firefox', os: 'Linux', device: 'Desktop', country: 'US', referrerHost: null, bot };
}

const hourly: Histogram = {
  interval: 'hour',
  timeZone: 'UTC',
  from: '2026-12-06T10:00:00.000Z',
  to: '2026-12-06T13:00:00.000Z',
  buckets: [
    { start: '2026-12-06T10:00:00.000Z', count: 1 },
    { start: '2026-12-06T11:00:00.000Z', count: 0 },
    { start: '2026-12-06T12:00:00.000Z', count: 4 },
  ],
};

const counts = (h: Histogram) => h.buckets!.map((b) => b.count);

describe('countInStats', () => {
  const stats: Stats = {
    code: 'abc',
    totalClicks: 10,
    humanClicks: 8,
    botClicks: 2,
    lastClickAt: '2026-12-06T12:00:00Z',
    last24h: [{ start: '2026-12-06T12:00:00Z', count: 3 }],
  };

  it('counts a person in the totals, the last click and its hour', () => {
    const next = countInStats(stats, click('2026-12-06T12:30:00Z'));
    expect([next.totalClicks, next.humanClicks, next.botClicks]).toEqual([11, 9, 2]);
    expect(next.lastClickAt).toBe('2026-12-06T12:30:00Z');
    expect(next.last24h![0]!.count).toBe(4);
  });

  it('counts a bot among the bots only, and an older click leaves the last click', () => {
    const next = countInStats(stats, click('2026-12-06T11:59:00Z', true));
    expect([next.totalClicks, next.humanClicks, next.botClicks]).toEqual([11, 8, 3]);
    expect(next.lastClickAt).toBe('2026-12-06T12:00:00Z');
    expect(next.last24h![0]!.count).toBe(3);
  });
});

describe('countInHistogram', () => {
  it('adds the click to its bucket', () => {
    expect(counts(countInHistogram(hourly, click('2026-12-06T11:15:00Z'), false, true))).toEqual([1, 1, 4]);
    expect(counts(countInHistogram(hourly, click('2026-12-06T12:59:59Z'), false, true))).toEqual([1, 0, 5]);
  });

  it('leaves bots out unless they are included', () => {
    expect(countInHistogram(hourly, click('2026-12-06T12:10:00Z', true), false, true)).toBe(hourly);
    expect(counts(countInHistogram(hourly, click('2026-12-06T12:10:00Z', true), true, true))).toEqual([1, 0, 5]);
  });

  it('moves a range ending now on to a click after its end, keeping its span', () => {
    const next = countInHistogram(hourly, click('2026-12-06T14:20:00Z'), false, true);
    expect(counts(next)).toEqual([4, 0, 1]);
    expect(next.buckets!.map((b) => b.start)).toEqual([
      '2026-12-06T12:00:00.000Z',
      '2026-12-06T13:00:00.000Z',
      '2026-12-06T14:00:00.000Z',
    ]);
    expect([next.from, next.to]).toEqual(['2026-12-06T12:00:00.000Z', '2026-12-06T15:00:00.000Z']);
  });

  it('leaves a fixed range alone, and clicks before it', () => {
    expect(countInHistogram(hourly, click('2026-12-06T14:20:00Z'), false, false)).toBe(hourly);
    expect(countInHistogram(hourly, click('2026-12-06T09:20:00Z'), false, true)).toBe(hourly);
  });
});

describe('nextBucket', () => {
  it('steps minutes and hours by their length, days and months by the calendar', () => {
    const start = new Date(2026, 0, 31).getTime();
    expect(nextBucket(start, 'minute') - start).toBe(60_000);
    expect(nextBucket(start, 'hour') - start).toBe(3_600_000);
    expect(new Date(nextBucket(start, 'day')).getDate()).toBe(1);
    expect(new Date(nextBucket(start, 'week')).getDate()).toBe(7);
    expect(new Date(nextBucket(new Date(2026, 0, 1).getTime(), 'month')).getMonth()).toBe(1);
  });
});
