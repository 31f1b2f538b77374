import { describe, expect, it } from 'vitest';
import { breakdownRows } from '../components/BreakdownTable';
import { breakdownCsv, csvField, csvFilename, isoWithOffset, seriesCsv, toCsv } from './csv';

describe('CSV', () => {
  it('quotes a field only when it must, doubling its quotes (RFC 4180)', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField(1234)).toBe('1234');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField('')).toBe('');
  });

  it('keeps spreadsheets from running text as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil.example")')).toBe(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-x')).toBe("'-x");
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField(-3)).toBe('-3');
  });

  it('ends every record with CRLF', () => {
    expect(toCsv([['key', 'count'], ['a', 1]])).toBe('key,count\r\na,1\r\n');
  });

  it('writes bucket starts as ISO-8601 with the zone’s offset', () => {
    expect(isoWithOffset('2026-12-06T23:00:00Z', 'Europe/Berlin')).toBe('2026-12-07T00:00:00+01:00');
    expect(isoWithOffset('2026-07-01T10:00:00Z', 'Europe/Berlin')).toBe('2026-07-01T12:00:00+02:00');
    expect(isoWithOffset('2026-12-06T10:00:00Z', 'UTC')).toBe('2026-12-06T10:00:00+00:00');
    expect(isoWithOffset('2026-12-06T10:00:00Z', 'Asia/Kolkata')).toBe('2026-12-06T15:30:00+05:30');
    expect(isoWithOffset('2026-12-06T10:00:00Z', 'America/New_York')).toBe('2026-12-06T05:00:00-05:00');
  });

  it('exports the time series, every bucket', () => {
    const buckets = [
      { start: '2026-12-06T23:00:00Z', count: 3 },
      { start: '2026-12-07T00:00:00Z', count: 0 },
      { start: '2026-12-07T01:00:00Z' },
    ];
    expect(seriesCsv(buckets, 'Europe/Berlin')).toBe(
      'start,count\r\n2026-12-07T00:00:00+01:00,3\r\n2026-12-07T01:00:00+01:00,0\r\n2026-12-07T02:00:00+01:00,0\r\n',
    );
  });

  it('exports a breakdown as its table shows it, with shares', () => {
    const rows = breakdownRows('referrers', {
      items: [
        { key: 'news.example.org', count: 6 },
        { key: 'direct', count: 3 },
      ],
      other: 3,
    });
    expect(breakdownCsv(rows)).toBe(
      'key,label,count,share\r\nnews.example.org,news.example.org,6,0.5\r\ndirect,Direct (no referrer),3,0.25\r\n(other),Other,3,0.25\r\n',
    );
    const countries = breakdownRows('countries', { items: [{ key: 'US', count: 1 }, { key: 'GB', count: 2 }], other: 0 });
    const name = new Intl.DisplayNames(undefined, { type: 'region' });
    expect(breakdownCsv(countries).split('\r\n')[1]).toBe(`US,${name.of('US')},1,0.3333`);
  });

  it('names the file after the link, what it holds and the range’s days', () => {
    const range = { preset: 'custom' as const, from: new Date(2026, 11, 1).toISOString(), to: new Date(2026, 11, 7).toISOString() };
    expect(csvFilename('abc1234', 'countries', range)).toBe('abc1234-countries-2026-12-01-2026-12-06.csv');
  });
});
