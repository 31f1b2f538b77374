import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { toDateTimeLocal } from '../format';
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

  it('sorts by a column header, flips on a second click and starts again from the first page', async () => {
    const api = fakeApi({
      'GET /api/links': (call) => page([link(`${call.query.get('sort')}-${call.query.get('page')}`)], 25, Number(call.query.get('page'))),
    });
    renderWithApi(<LinksPage />, api.fetch);
    const user = userEvent.setup();
    await screen.findByRole('link', { name: '/-createdAt-0' });
    const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });
    expect(header('Created')).toHaveAttribute('aria-sort', 'descending');
    expect(header('Clicks')).not.toHaveAttribute('aria-sort');
    expect(header('Target')).not.toHaveAttribute('aria-sort');
    expect(screen.getByText('25 links, newest first')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('link', { name: '/-createdAt-1' });

    await user.click(screen.getByRole('button', { name: 'Clicks' }));
    expect(await screen.findByRole('link', { name: '/-clicks-0' })).toBeInTheDocument();
    expect(header('Clicks')).toHaveAttribute('aria-sort', 'descending');
    expect(header('Created')).not.toHaveAttribute('aria-sort');
    expect(screen.getByText('25 links, most clicked first')).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 2')).toBeInTheDocument();

    // by keyboard: the header is a button in the tab order
    screen.getByRole('button', { name: 'Clicks' }).focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('link', { name: '/clicks-0' })).toBeInTheDocument();
    expect(header('Clicks')).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByText('25 links, least clicked first')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Short link' }));
    expect(await screen.findByRole('link', { name: '/code-0' })).toBeInTheDocument();
    expect(header('Short link')).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getByText('25 links, by code, A to Z')).toBeInTheDocument();
    expect(api.calls.map((c) => `${c.query.get('sort')} ${c.query.get('page')}`)).toEqual([
      '-createdAt 0',
      '-createdAt 1',
      '-clicks 0',
      'clicks 0',
      'code 0',
    ]);
  });

  it('edits a link in a dialog and refreshes the table', async () => {
    let items = [link('abc1234', { expiresAt: '2030-01-31T12:00:00Z' })];
    const api = fakeApi({
      'GET /api/links': () => page(items),
      'PATCH /api/links/:code': (call) => {
        items = items.map((l) => ({ ...l, ...(call.body as object) }));
        return { status: 200, body: items[0] };
      },
    });
    renderWithApi(<LinksPage />, api.fetch);
    const user = userEvent.setup();
    const edit = await screen.findByRole('button', { name: 'Edit /abc1234' });
    await user.click(edit);
    const dialog = screen.getByRole('dialog', { name: 'Edit /abc1234' });
    const url = within(dialog).getByLabelText('URL');
    expect(url).toHaveFocus();
    expect(url).toHaveValue('https://example.com/abc1234');
    expect(within(dialog).getByLabelText('Expires')).toHaveValue(toDateTimeLocal('2030-01-31T12:00:00Z'));
    await user.clear(url);
    await user.type(url, 'https://example.com/new');
    await user.selectOptions(within(dialog).getByLabelText('Redirect'), '301');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // only what changed is sent
    expect(api.calls.find((c) => c.method === 'PATCH')).toMatchObject({
      path: '/api/links/abc1234',
      body: { url: 'https://example.com/new', redirectType: 301 },
    });
    expect(api.calls.find((c) => c.method === 'PATCH')!.body).not.toHaveProperty('expiresAt');
    const row = screen.getAllByRole('row')[1]!;
    expect(await within(row).findByText('301')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'example.com/new' })).toBeInTheDocument();
  });

  it('clears the expiry of a link and sets one in local time', async () => {
    const api = fakeApi({
      'GET /api/links': () => page([link('soon', { expiresAt: '2030-01-31T12:00:00Z' }), link('never')]),
      'PATCH /api/links/:code': (call) => ({ status: 200, body: link(call.path.split('/').pop()!) }),
    });
    renderWithApi(<LinksPage />, api.fetch);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit /soon' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('checkbox', { name: 'Never expires' }));
    expect(within(screen.getByRole('dialog')).getByLabelText('Expires')).toBeDisabled();
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await user.click(screen.getByRole('button', { name: 'Edit /never' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit /never' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'Never expires' }));
    await user.type(within(dialog).getByLabelText('Expires'), '2031-06-01T09:30');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    expect(api.calls.filter((c) => c.method === 'PATCH').map((c) => [c.path, c.body])).toEqual([
      ['/api/links/soon', { expiresAt: null }],
      ['/api/links/never', { expiresAt: new Date('2031-06-01T09:30').toISOString() }],
    ]);
  });

  it("shows the API's objection next to its field and keeps the dialog open", async () => {
    const api = fakeApi({
      'GET /api/links': () => page([link('abc1234')]),
      'PATCH /api/links/:code': () => ({
        status: 400,
        body: problem(400, 'validation', 'url: only http:// and https:// URLs can be shortened', [
          { field: 'url', message: 'only http:// and https:// URLs can be shortened' },
        ]),
      }),
    });
    renderWithApi(<LinksPage />, api.fetch);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit /abc1234' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit /abc1234' });
    const url = within(dialog).getByLabelText('URL');
    await user.clear(url);
    await user.type(url, 'ftp://example.com/file');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(url).toHaveAttribute('aria-invalid', 'true'));
    expect(url).toHaveAccessibleDescription('Only http:// and https:// URLs can be shortened');
    expect(url).toHaveFocus();
    expect(screen.getByRole('dialog', { name: 'Edit /abc1234' })).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
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
    expect(screen.getByText('1 link matches “zebra”, best match first')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Clicks' })).not.toBeInTheDocument();
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
