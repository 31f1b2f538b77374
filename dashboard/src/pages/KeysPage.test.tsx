import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, problem, renderWithApi } from '../test/fakeApi';
import { KeysPage } from './KeysPage';

const key = (id: number, name: string) => ({ id, name, prefix: `ts_abc${id}xyz`, createdAt: '2026-12-01T10:00:00Z' });

describe('KeysPage', () => {
  it('lists the keys by name and prefix, never their secrets', async () => {
    const api = fakeApi({ 'GET /api/keys': () => ({ status: 200, body: [key(1, 'default'), key(2, 'deploy script')] }) });
    renderWithApi(<KeysPage />, api.fetch, '/keys');
    const table = await screen.findByRole('table', { name: 'Your API keys' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual(['default', 'deploy script']);
    expect(within(rows[1]!).getByText('ts_abc2xyz…')).toBeInTheDocument();
    expect(within(rows[1]!).getByRole('button', { name: 'Revoke deploy script (ts_abc2xyz…)' })).toBeInTheDocument();
  });

  it('says what to do when there are no keys', async () => {
    renderWithApi(<KeysPage />, fakeApi({ 'GET /api/keys': () => ({ status: 200, body: [] }) }).fetch);
    expect(await screen.findByText(/No API keys\. The dashboard needs none; create one above/)).toBeInTheDocument();
  });

  it('offers to try again when the keys cannot be loaded', async () => {
    let answers = 0;
    const api = fakeApi({
      'GET /api/keys': () => (answers++ === 0 ? 'network-error' : { status: 200, body: [key(1, 'default')] }),
    });
    renderWithApi(<KeysPage />, api.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent(/Could not load your keys\. TinyScale did not answer/);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('rowheader', { name: 'default' })).toBeInTheDocument();
  });

  it('creates a key and shows it this once, with a copy button', async () => {
    let keys = [key(1, 'default')];
    const api = fakeApi({
      'GET /api/keys': () => ({ status: 200, body: keys }),
      'POST /api/keys': (call) => {
        const name = (call.body as { name: string }).name;
        keys = [...keys, key(2, name)];
        return { status: 201, body: { id: 2, name, apiKey: 'ts_abc2xyzTHEWHOLESECRET', createdAt: '2026-12-06T10:00:00Z' } };
      },
    });
    renderWithApi(<KeysPage />, api.fetch);
    const user = userEvent.setup();
    await screen.findByRole('rowheader', { name: 'default' });
    await user.type(screen.getByLabelText('Name'), '  deploy script ');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    expect(await screen.findByText('ts_abc2xyzTHEWHOLESECRET')).toBeInTheDocument();
    expect(api.calls.find((c) => c.method === 'POST')!.body).toEqual({ name: 'deploy script' });
    expect(screen.getByText(/it will not be shown again/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy the API key' })).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveValue('');
    // the list follows, with the prefix only
    expect(await screen.findByRole('rowheader', { name: 'deploy script' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Done, I stored it' }));
    expect(screen.queryByText('ts_abc2xyzTHEWHOLESECRET')).not.toBeInTheDocument();
  });

  it('puts a refused name next to the field', async () => {
    const api = fakeApi({
      'GET /api/keys': () => ({ status: 200, body: [] }),
      'POST /api/keys': () => ({
        status: 400,
        body: problem(400, 'validation', 'name: must be 1 to 100 printable characters', [
          { field: 'name', message: 'must be 1 to 100 printable characters' },
        ]),
      }),
    });
    renderWithApi(<KeysPage />, api.fetch);
    await screen.findByText(/No API keys/);
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(/^Must be 1 to 100 printable characters/);
    expect(name).toHaveFocus();
  });

  it('says to revoke a key when the account holds as many as it may', async () => {
    const api = fakeApi({
      'GET /api/keys': () => ({ status: 200, body: [key(1, 'default'), key(2, 'ci')] }),
      'POST /api/keys': () => ({
        status: 409,
        body: problem(409, 'too-many-keys', 'an account may hold 2 API keys: revoke one you no longer use'),
      }),
    });
    renderWithApi(<KeysPage />, api.fetch);
    const user = userEvent.setup();
    await screen.findByRole('rowheader', { name: 'ci' });
    await user.type(screen.getByLabelText('Name'), 'one more');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Your account already holds 2 API keys, as many as it may. Revoke one you no longer use (below), then create this one.',
    );
  });

  it('revokes a key only after a confirmation', async () => {
    let keys = [key(1, 'default'), key(2, 'ci')];
    const api = fakeApi({
      'GET /api/keys': () => ({ status: 200, body: keys }),
      'DELETE /api/keys/:id': (call) => {
        keys = keys.filter((k) => `/api/keys/${k.id}` !== call.path);
        return { status: 204 };
      },
    });
    renderWithApi(<KeysPage />, api.fetch);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke ci (ts_abc2xyz…)' }));
    let dialog = screen.getByRole('dialog', { name: 'Revoke “ci”?' });
    expect(dialog).toHaveTextContent(/starting ts_abc2xyz get “unauthorized” from now on/);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.calls.some((c) => c.method === 'DELETE')).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Revoke ci (ts_abc2xyz…)' }));
    dialog = screen.getByRole('dialog', { name: 'Revoke “ci”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'ci' })).not.toBeInTheDocument());
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api/keys/2']);
    expect(screen.getByRole('rowheader', { name: 'default' })).toBeInTheDocument();
  });
});
