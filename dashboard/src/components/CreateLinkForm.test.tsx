import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, link, problem, renderWithApi } from '../test/fakeApi';
import { CreateLinkForm } from './CreateLinkForm';

describe('CreateLinkForm', () => {
  it('shows each error of the API problem next to its field, and focuses the first', async () => {
    const api = fakeApi({
      'POST /api/shorten': () => ({
        status: 400,
        body: problem(400, 'validation', 'url: only http:// and https:// URLs can be shortened', [
          { field: 'url', message: "only http:// and https:// URLs can be shortened, not 'ftp:'" },
          { field: 'expiresAt', message: 'must be in the future' },
        ]),
      }),
    });
    renderWithApi(<CreateLinkForm />, api.fetch);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('URL to shorten'), 'ftp://example.com/file');
    await user.click(screen.getByRole('button', { name: 'Shorten' }));

    const url = screen.getByLabelText('URL to shorten');
    await waitFor(() => expect(url).toHaveAttribute('aria-invalid', 'true'));
    expect(url).toHaveAccessibleDescription("Only http:// and https:// URLs can be shortened, not 'ftp:'");
    expect(screen.getByLabelText('Expires (optional)')).toHaveAccessibleDescription('Must be in the future Your local time');
    expect(screen.getByLabelText('Alias (optional)')).not.toHaveAttribute('aria-invalid');
    expect(url).toHaveFocus();
  });

  it('puts a taken alias on the alias field', async () => {
    const api = fakeApi({
      'POST /api/shorten': () => ({ status: 409, body: problem(409, 'alias-taken', 'the alias hello is taken') }),
    });
    renderWithApi(<CreateLinkForm />, api.fetch);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('URL to shorten'), 'https://example.com');
    await user.type(screen.getByLabelText('Alias (optional)'), 'hello');
    await user.click(screen.getByRole('button', { name: 'Shorten' }));

    const alias = screen.getByLabelText('Alias (optional)');
    await waitFor(() => expect(alias).toHaveAttribute('aria-invalid', 'true'));
    expect(alias).toHaveAccessibleDescription(/alias is taken/);
  });

  it('says what to do when the server cannot be reached', async () => {
    const api = fakeApi({ 'POST /api/shorten': () => 'network-error' });
    renderWithApi(<CreateLinkForm />, api.fetch);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('URL to shorten'), 'https://example.com');
    await user.click(screen.getByRole('button', { name: 'Shorten' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/did not answer.*try again/);
  });

  it('sends what was entered and shows the new short URL', async () => {
    const api = fakeApi({
      'POST /api/shorten': (call) => ({ status: 201, body: link('hello', { url: (call.body as { url: string }).url }) }),
    });
    renderWithApi(<CreateLinkForm />, api.fetch);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('URL to shorten'), 'https://example.com/long');
    await user.type(screen.getByLabelText('Alias (optional)'), 'hello');
    await user.type(screen.getByLabelText('Expires (optional)'), '2030-01-31T12:00');
    await user.selectOptions(screen.getByLabelText('Redirect'), '301');
    await user.click(screen.getByRole('button', { name: 'Shorten' }));

    expect(await screen.findByRole('link', { name: 'http://localhost:8080/hello' })).toBeInTheDocument();
    expect(api.calls[0]!.body).toEqual({
      url: 'https://example.com/long',
      alias: 'hello',
      expiresAt: new Date('2030-01-31T12:00').toISOString(),
      redirectType: 301,
    });
    expect(screen.getByLabelText('URL to shorten')).toHaveValue('');
  });
});
