import { useState } from 'react';
import { Link as RouteLink } from 'wouter';
import { describeError, type Link } from '../api/client';
import { useUpdateLink } from '../api/queries';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { ConfirmDelete } from './ConfirmDelete';
import { CopyButton } from './CopyButton';
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

/** The user's links, one row each; on a narrow screen each row is a card (styles.css). */
export function LinksTable({ links, caption }: { links: Link[]; caption: string }) {
  const [qr, setQr] = useState<Link | null>(null);
  const [deleting, setDeleting] = useState<Link | null>(null);
  return (
    <>
      <div className="table-wrap">
        <table className="links">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Short link</th>
              <th scope="col">Target</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Redirect</th>
              <th scope="col" className="number">
                Clicks
              </th>
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
                  <RouteLink href={`/links/${encodeURIComponent(link.code ?? '')}`} className="button button-small" aria-label={`Analytics of /${link.code}`}>
                    Analytics
                  </RouteLink>
                  <button type="button" className="button button-small" aria-label={`QR code of /${link.code}`} onClick={() => setQr(link)}>
                    QR
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
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {qr ? <QrDialog link={qr} onClose={() => setQr(null)} /> : null}
      {deleting ? <ConfirmDelete link={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}
