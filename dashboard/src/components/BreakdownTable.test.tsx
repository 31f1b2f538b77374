import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BreakdownTable, breakdownRows } from './BreakdownTable';

describe('breakdowns', () => {
  it('names countries and referrers as people read them, with shares of all clicks and Other last', () => {
    const regions = new Intl.DisplayNames(undefined, { type: 'region' });
    expect(
      breakdownRows('countries', { items: [{ key: 'US', count: 6 }, { key: 'unknown', count: 2 }], other: 2 }),
    ).toEqual([
      { key: 'US', label: regions.of('US'), count: 6, share: 0.6 },
      { key: 'unknown', label: 'Unknown', count: 2, share: 0.2 },
      { key: '(other)', label: 'Other', count: 2, share: 0.2 },
    ]);
    expect(breakdownRows('referrers', { items: [{ key: 'direct', count: 1 }], other: 0 })[0]!.label).toBe(
      'Direct (no referrer)',
    );
    expect(breakdownRows('browsers', { items: [], other: 0 })).toEqual([]);
  });

  it('renders a table with formatted counts, or says there were no clicks', () => {
    const { rerender } = render(
      <BreakdownTable dimension="browsers" breakdown={{ items: [{ key: 'Firefox', count: 1500 }, { key: 'Chrome', count: 500 }], other: 0 }} />,
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows[0]).toHaveTextContent('BrowserClicksShare');
    expect(rows[1]).toHaveTextContent(`Firefox${new Intl.NumberFormat().format(1500)}75%`);
    rerender(<BreakdownTable dimension="os" breakdown={{ items: [], other: 0 }} />);
    expect(screen.getByText('No clicks in this range.')).toBeInTheDocument();
  });
});
