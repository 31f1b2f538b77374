import type { Link } from '../api/client';

const TEXT: Record<NonNullable<Link['status']>, string> = {
  active: 'Active',
  expired: 'Expired',
  disabled: 'Disabled',
};

export function StatusBadge({ status }: { status: Link['status'] }) {
  const value = status ?? 'active';
  return <span className={`badge badge-${value}`}>{TEXT[value]}</span>;
}
