import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { breakdownRows } from './BreakdownTable';
import CountryMap from './CountryMap';

describe('CountryMap', () => {
  it('shades the countries with clicks, the most the darkest, and names each one', () => {
    const items = [
      { key: 'GB', count: 3 },
      { key: 'US', count: 1 },
      { key: 'unknown', count: 5 },
    ];
    const rows = breakdownRows('countries', { items, other: 2 });
    const { container } = render(<CountryMap rows={rows} />);
    const map = container.querySelector('svg')!;
    expect(map).toHaveAttribute('aria-hidden', 'true');
    const paths = [...map.querySelectorAll('path')];
    expect(paths.length).toBeGreaterThan(170);
    const shaded = paths.filter((path) => path.classList.contains('has-clicks'));
    const name = new Intl.DisplayNames(undefined, { type: 'region' });
    expect(shaded.map((path) => path.querySelector('title')!.textContent).sort()).toEqual(
      [`${name.of('GB')}: 3 clicks`, `${name.of('US')}: 1 click`].sort(),
    );
    const opacity = (code: string) =>
      Number(shaded.find((path) => path.textContent.startsWith(name.of(code)!))!.getAttribute('fill-opacity'));
    // "unknown" and "Other" are on no map, so the busiest country is the darkest
    expect(opacity('GB')).toBe(1);
    expect(opacity('US')).toBeCloseTo(0.3 + 0.7 / 3);
    expect(paths.some((path) => path.textContent === 'Kosovo: 0 clicks')).toBe(true);
  });
});
