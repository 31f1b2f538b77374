import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, link, problem, renderWithApi } from '../test/fakeApi';
import { LinksPage } from './LinksPage';

function page(items: unknown[], total = items.length, number = 0) {
  return { status: 200, body: { items, page: number, size: 20, total } };
}

describe('LinksPage', () => {
  it('lists the links with their clicks, status and dates', async () => {
    const api = fakeApi({
      'GET /api/links': () =>
        page([
          link('abc1234', { clicks: 12345, url: 'https://example.com/a' }),
          link('off', { disabled: true, status: 'disabled' }),
          link('old', { status: 'expired', expiresAt: '2026-01-01T00:00:00Z', redirectType: 301 }),
        ]),
    });
    renderWithApi(<LinksPage />, api.fetch);
    const table = await screen.findByRole('table', { name: 'Your links' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const first = within(rows[0]!);
    expect(first.getByRole('link', { name: '/abc1234' })).toHaveAttribute('href', '/links/abc1234');
    expect(first.getByRole('link', { name: 'example.com/a' })).toHaveAttribute('href', 'https://example.com/a');
    expect(first.getByText(new Intl.NumberFormat().format(12345))).toBeInTheDocument();
    expect(first.getByText('Active')).toBeInTheDocument();
    expect(first.getByText('Never')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Disabled')).toBeInTheDocument();
    expect(within(rows[1]!).getByRole('button', { name: 'Enable /off' })).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Expired')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('301')).toBeInTheDocument();
    expect(screen.getByText('3 links, newest first')).toBeInTheDocument();
  });

  it('says how to start when there are no links', async () => {
    renderWithApi(<LinksPage />, fakeApi({ 'GET /api/links': () => page([]) }).fetch);
    expect(await screen.findByText(/No links yet\. Shorten your first URL above/)).toBeInTheDocument();
  });

  it('pages through the links', async () => {
    const api = fakeApi({
      'GET /api/links': (call) => {
        const number = Number(call.query.get('page'));
        return page([link(number === 0 ? 'first' : 'second')], 25, number);
      },
    });
    renderWithApi(<LinksPage />, api.fetch);
    expect(await screen.findByText('Page 1 of 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByRole('link', { name: '/second' })).toBeInTheDocument();
    expect(screen.getByText('Page 2 of 2')).toBeInTheDocument();
    expect(api.calls.map((c) => c.query.get('page'))).toEqual(['0', '1']);
  });

  it('searches as you type, once the typing stops', async () => {
    const api = fakeApi({
      'GET /api/links': () => page([link('abc1234')]),
      'GET /api/search': (call) => page(call.query.get('q') === 'zebra' ? [link('zebra1')] : []),
    });
    renderWithApi(<LinksPage />, api.fetch);
    await screen.findByRole('link', { name: '/abc1234' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'zebra');
    expect(await screen.findByRole('link', { name: '/zebra1' })).toBeInTheDocument();
    expect(screen.getByText('1 link matches “zebra”')).toBeInTheDocument();
    // one search for the whole word, not one per letter
    expect(api.calls.filter((c) => c.path === '/api/search').map((c) => c.query.get('q'))).toEqual(['zebra']);
  });

  it('disables a link and deletes one only once confirmed', async () => {
    let items = [link('keep'), link('gone')];
    const api = fakeApi({
      'GET /api/links': () => page(items),
      'PATCH /api/links/:code': (call) => {
        items = items.map((l) => (l.code === 'keep' ? { ...l, disabled: true, status: 'disabled' } : l));
        return { status: 200, body: { ...link(call.path.split('/').pop()!), ...(call.body as object) } };
      },
      'DELETE /api/links/:code': () => {
        items = items.filter((l) => l.code !== 'gone');
        return { status: 204 };
      },
    });
    renderWithApi(<LinksPage />, api.fetch);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Disable /keep' }));
    expect(await screen.findByRole('button', { name: 'Enable /keep' })).toBeInTheDocument();
    expect(api.calls.find((c) => c.method === 'PATCH')).toMatchObject({ path: '/api/links/keep', body: { disabled: true } });

    await user.click(screen.getByRole('button', { name: 'Delete /gone' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete /gone?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Delete /gone' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete link' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: '/gone' })).not.toBeInTheDocument());
    expect(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api/links/gone']);
  });

  it('shows the QR code with its downloads', async () => {
    renderWithApi(<LinksPage />, fakeApi({ 'GET /api/links': () => page([link('abc1234')]) }).fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'QR code of /abc1234' }));
    const dialog = screen.getByRole('dialog', { name: 'QR code of /abc1234' });
    expect(within(dialog).getByRole('img')).toHaveAttribute('src', '/api/links/abc1234/qr?format=svg');
    expect(within(dialog).getByRole('link', { name: 'Download PNG' })).toHaveAttribute('download', 'abc1234.png');
    expect(within(dialog).getByRole('link', { name: 'Download SVG' })).toHaveAttribute('href', '/api/links/abc1234/qr?format=svg');
  });

  it('explains a failure and tries again on request', async () => {
    let fail = true;
    const api = fakeApi({
      'GET /api/links': () =>
        fail ? { status: 503, body: problem(503, 'dependency-unavailable', 'the database is unavailable') } : page([link('back')]),
    });
    renderWithApi(<LinksPage />, api.fetch);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load your links. The database is unavailable. Try again in a few seconds.');
    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: '/back' })).toBeInTheDocument();
  });
});
