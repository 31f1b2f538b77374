import { useState } from 'react';
import { Link as RouteLink } from 'wouter';
import { describeError, type Link, type LinkSort, type LinkSortKey } from '../api/client';
import { useUpdateLink } from '../api/queries';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { ConfirmDelete } from './ConfirmDelete';
import { CopyButton } from './CopyButton';
import { EditLinkDialog } from './EditLinkDialog';
import { QrDialog } from './QrDialog';
import { StatusBadge } from './StatusBadge';

/** "https://example.com/a" → "example.com/a": the part that tells links apart, in a narrow column. */
export function withoutScheme(url: string | undefined): string {
  return (url ?? '').replace(/^https?:\/\//, '');
}

function ToggleButton({ link }: { link: Link }) {
  const update = useUpdateLink();
  const disabled = link.disabled ?? false;
  return (
    <>
      <button
        type="button"
        className="button button-small"
        disabled={update.isPending}
        aria-label={`${disabled ? 'Enable' : 'Disable'} /${link.code}`}
        onClick={() => update.mutate({ code: link.code ?? '', change: { disabled: !disabled } })}
      >
        {disabled ? 'Enable' : 'Disable'}
      </button>
      {update.error ? (
        <span className="field-error" role="alert">
          {describeError(update.error)}
        </span>
      ) : null}
    </>
  );
}

export const DEFAULT_SORT: LinkSort = { key: 'createdAt', descending: true };

const ORDERS: Record<LinkSortKey, { descending: string; ascending: string }> = {
  createdAt: { descending: 'newest first', ascending: 'oldest first' },
  clicks: { descending: 'most clicked first', ascending: 'least clicked first' },
  code: { descending: 'by code, Z to A', ascending: 'by code, A to Z' },
};

/** "most clicked first", for the line above the table. */
export function describeSort(sort: LinkSort): string {
  return ORDERS[sort.key][sort.descending ? 'descending' : 'ascending'];
}

/** A header's click: the other direction of the current order, else the new key's usual one (A to Z for codes). */
export function nextSort(current: LinkSort, key: LinkSortKey): LinkSort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: key !== 'code' };
}

interface Sorting {
  sort: LinkSort;
  onSort: (key: LinkSortKey) => void;
}

/** A column header; a button that sorts by it when the table can be sorted (not while searching). */
function Header({ label, sortKey, sorting, className }: { label: string; sortKey: LinkSortKey; sorting?: Sorting | undefined; className?: string }) {
  if (!sorting) {
    return (
      <th scope="col" className={className}>
        {label}
      </th>
    );
  }
  const active = sorting.sort.key === sortKey;
  const direction = sorting.sort.descending ? 'descending' : 'ascending';
  return (
    <th scope="col" className={`sortable ${className ?? ''}`} aria-sort={active ? direction : undefined}>
      <button type="button" className="sort-button" onClick={() => sorting.onSort(sortKey)}>
        {label}
        <span className={active ? 'sort-arrow' : 'sort-arrow sort-arrow-idle'} aria-hidden="true">
          {active ? (sorting.sort.descending ? '↓' : '↑') : '↕'}
        </span>
      </button>
    </th>
  );
}

/**
 * The user's links, one row each; on a narrow screen each row is a card (styles.css). Given
 * sorting, the Short link, Created and Clicks headers sort the list.
 */
export function LinksTable({ links, caption, sorting }: { links: Link[]; caption: string; sorting?: Sorting | undefined }) {
  const [qr, setQr] = useState<Link | null>(null);
  const [editing, setEditing] = useState<Link | null>(null);
  const [deleting, setDeleting] = useState<Link | null>(null);
  return (
    <>
      <div className="table-wrap">
        <table className="links">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <Header label="Short link" sortKey="code" sorting={sorting} />
              <th scope="col">Target</th>
              <Header label="Created" sortKey="createdAt" sorting={sorting} />
              <th scope="col">Expires</th>
              <th scope="col">Redirect</th>
              <Header label="Clicks" sortKey="clicks" sorting={sorting} className="number" />
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {links.map((link) => (
              <tr key={link.code}>
                <th scope="row" data-label="Short link">
                  <RouteLink href={`/links/${encodeURIComponent(link.code ?? '')}`} className="code">
                    /{link.code}
                  </RouteLink>
                  <CopyButton text={link.shortUrl ?? ''} label={`Copy ${link.shortUrl}`} />
                </th>
                <td data-label="Target" className="target">
                  <a href={link.url} title={link.url} rel="noreferrer noopener" target="_blank">
                    {withoutScheme(link.url)}
                  </a>
                </td>
                <td data-label="Created">
                  <time dateTime={link.createdAt} title={formatDateTime(link.createdAt)}>
                    {formatDate(link.createdAt)}
                  </time>
                </td>
                <td data-label="Expires">
                  {link.expiresAt ? (
                    <time dateTime={link.expiresAt}>{formatDateTime(link.expiresAt)}</time>
                  ) : (
                    <span className="muted">Never</span>
                  )}
                </td>
                <td data-label="Redirect">{link.redirectType}</td>
                <td data-label="Clicks" className="number">
                  {formatNumber(link.clicks)}
                </td>
                <td data-label="Status">
                  <StatusBadge status={link.status} />
                </td>
                <td className="actions">
                  <div className="actions-row">
                    <RouteLink href={`/links/${encodeURIComponent(link.code ?? '')}`} className="button button-small" aria-label={`Analytics of /${link.code}`}>
                      Analytics
                    </RouteLink>
                    <button type="button" className="button button-small" aria-label={`QR code of /${link.code}`} onClick={() => setQr(link)}>
                      QR
                    </button>
                    <button type="button" className="button button-small" aria-label={`Edit /${link.code}`} onClick={() => setEditing(link)}>
                      Edit
                    </button>
                    <ToggleButton link={link} />
                    <button
                      type="button"
                      className="button button-small button-danger-quiet"
                      aria-label={`Delete /${link.code}`}
                      onClick={() => setDeleting(link)}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {qr ? <QrDialog link={qr} onClose={() => setQr(null)} /> : null}
      {editing ? <EditLinkDialog link={editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? <ConfirmDelete link={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}
