import { useState } from 'react';
import type { LinkSort, LinkSortKey } from '../api/client';
import { PAGE_SIZE, useLinks, useSearch } from '../api/queries';
import { CreateLinkForm } from '../components/CreateLinkForm';
import { DEFAULT_SORT, describeSort, LinksTable, nextSort } from '../components/LinksTable';
import { Empty, ErrorState, Loading } from '../components/States';
import { formatNumber } from '../format';
import { useDebounced } from '../useDebounced';
import { useTitle } from '../useTitle';

export const SEARCH_DELAY_MS = 250;

export function LinksPage() {
  useTitle('Links');
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), SEARCH_DELAY_MS);
  // the page belongs to the search it was turned in: a new search starts on its first page
  const [paging, setPaging] = useState({ q, page: 0 });
  const page = paging.q === q ? paging.page : 0;
  const setPage = (next: number) => setPaging({ q, page: next });
  const [sort, setSort] = useState<LinkSort>(DEFAULT_SORT);
  const all = useLinks(page, sort, !q);
  const found = useSearch(q, page);
  const query = q ? found : all;
  const data = query.data;
  const total = data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const items = data?.items ?? [];
  const sortBy = (key: LinkSortKey) => {
    setSort(nextSort(sort, key));
    setPage(0);
  };

  return (
    <>
      <h1>Links</h1>
      <CreateLinkForm />
      <section className="card" aria-labelledby="your-links">
        <div className="section-head">
          <h2 id="your-links">Your links</h2>
          <div className="field search">
            <label htmlFor="search">Search</label>
            <input
              id="search"
              type="search"
              value={typed}
              placeholder="Words of the URL, or a code"
              autoComplete="off"
              onChange={(event) => setTyped(event.target.value)}
            />
          </div>
        </div>
        {query.isPending ? (
          <Loading>{q ? 'Searching…' : 'Loading your links…'}</Loading>
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} title={q ? 'Search failed.' : 'Could not load your links.'} />
        ) : items.length === 0 ? (
          q ? (
            <Empty>
              <p>No links match “{q}”. Search looks at words of the target URL and at codes; try fewer words.</p>
            </Empty>
          ) : (
            <Empty>
              <p>No links yet. Shorten your first URL above; it will be listed here with its clicks.</p>
            </Empty>
          )
        ) : (
          <>
            <p className="muted" role="status" aria-live="polite">
              {q
                ? `${formatNumber(total)} ${total === 1 ? 'link matches' : 'links match'} “${q}”, best match first`
                : `${formatNumber(total)} ${total === 1 ? 'link' : 'links'}, ${describeSort(sort)}`}
              {query.isFetching ? ' · updating…' : ''}
            </p>
            <LinksTable
              links={items}
              caption={q ? `Links matching ${q}` : 'Your links'}
              sorting={q ? undefined : { sort, onSort: sortBy }}
            />
            {pages > 1 ? (
              <nav className="pager" aria-label="Pages of links">
                <button type="button" className="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
                  Previous
                </button>
                <span>
                  Page {formatNumber(page + 1)} of {formatNumber(pages)}
                </span>
                <button type="button" className="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                  Next
                </button>
              </nav>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
