import type { Breakdown, Dimension } from '../api/client';
import { countryName, formatNumber, formatPercent } from '../format';

export const DIMENSIONS: { value: Dimension; title: string; column: string }[] = [
  { value: 'countries', title: 'Countries', column: 'Country' },
  { value: 'referrers', title: 'Referrers', column: 'Referrer' },
  { value: 'browsers', title: 'Browsers', column: 'Browser' },
  { value: 'os', title: 'Operating systems', column: 'OS' },
  { value: 'devices', title: 'Devices', column: 'Device' },
];

export interface Row {
  key: string;
  label: string;
  count: number;
  share: number;
}

/** A breakdown as table rows: names people read, shares of the whole, "Other" last. */
export function breakdownRows(dimension: Dimension, breakdown: Breakdown | undefined): Row[] {
  const items = breakdown?.items ?? [];
  const other = breakdown?.other ?? 0;
  const total = items.reduce((sum, item) => sum + (item.count ?? 0), 0) + other;
  const label = (key: string) => {
    if (dimension === 'countries') return countryName(key);
    if (dimension === 'referrers' && key === 'direct') return 'Direct (no referrer)';
    if (key === 'unknown') return 'Unknown';
    return key;
  };
  const rows = items.map((item) => {
    const key = item.key ?? 'unknown';
    const count = item.count ?? 0;
    return { key, label: label(key), count, share: total > 0 ? count / total : 0 };
  });
  if (other > 0) rows.push({ key: '(other)', label: 'Other', count: other, share: other / total });
  return rows;
}

export function BreakdownTable({ dimension, breakdown }: { dimension: Dimension; breakdown: Breakdown | undefined }) {
  const meta = DIMENSIONS.find((d) => d.value === dimension)!;
  const rows = breakdownRows(dimension, breakdown);
  if (rows.length === 0) return <p className="muted">No clicks in this range.</p>;
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return (
    <table className="breakdown">
      <thead>
        <tr>
          <th scope="col">{meta.column}</th>
          <th scope="col" className="number">
            Clicks
          </th>
          <th scope="col" className="number">
            Share
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${Math.round(row.share * 100)}%` }} />
              </span>
              <span className="bar-label" title={row.label}>
                {row.label}
              </span>
            </th>
            <td className="number">{formatNumber(row.count)}</td>
            <td className="number">{formatPercent(row.count, total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
