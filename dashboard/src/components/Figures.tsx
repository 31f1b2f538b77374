import type { ReactNode } from 'react';

export interface Figure {
  label: string;
  value: ReactNode;
  /** a longer value (a date) in a smaller type */
  small?: boolean;
}

/** Totals in a row of boxes: a label over its number. */
export function Figures({ items }: { items: Figure[] }) {
  return (
    <dl className="totals">
      {items.map((item) => (
        <div key={item.label}>
          <dt>{item.label}</dt>
          <dd className={item.small ? 'small' : undefined}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
