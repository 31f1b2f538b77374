import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { session } from './auth/session';
import { fakeApi, problem, renderWithApi } from './test/fakeApi';

const noLinks = () => ({ status: 200, body: { items: [], page: 0, size: 20, total: 0 } });

describe('signing in and out', () => {
  it('sends a visitor to the login page, and says when the password is wrong', async () => {
    const api = fakeApi({
      'POST /api/auth/login': () => ({ status: 401, body: problem(401, 'invalid-credentials', 'wrong email or password') }),
    });
    const { location } = renderWithApi(<App />, api.fetch, '/');
    expect(await screen.findByRole('heading', { name: 'Log in to TinyScale' })).toBeInTheDocument();
    expect(location.history).toContain('/login');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'not the password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(session.email()).toBeNull();
  });

  it('registers, logs in right after, and shows the API key once', async () => {
    const api = fakeApi({
      'POST /api/auth/register': () => ({ status: 201, body: { id: 1, email: 'me@example.com', apiKey: 'ts_secret' } }),
      'POST /api/auth/login': () => ({ status: 200, body: { id: 1, email: 'me@example.com' } }),
      'GET /api/links': noLinks,
    });
    renderWithApi(<App />, api.fetch, '/register');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'a long password');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { name: 'Links' })).toBeInTheDocument();
    expect(api.calls.map((c) => `${c.method} ${c.path}`).slice(0, 2)).toEqual(['POST /api/auth/register', 'POST /api/auth/login']);
    expect(api.calls[1]!.body).toEqual({ email: 'me@example.com', password: 'a long password' });
    expect(screen.getByText('ts_secret')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Done, I stored it' }));
    expect(screen.queryByText('ts_secret')).not.toBeInTheDocument();
    expect(screen.getByText('me@example.com')).toBeInTheDocument();
  });

  it('shows the API validation errors of registration on their fields', async () => {
    const api = fakeApi({
      'POST /api/auth/register': () => ({
        status: 400,
        body: problem(400, 'validation', 'password: too short', [{ field: 'password', message: 'must be at least 10 characters' }]),
      }),
    });
    renderWithApi(<App />, api.fetch, '/register');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'me@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Must be at least 10 characters At least 10 characters');
  });

  it('goes back to the login page, saying why, when the session has ended', async () => {
    session.signIn('me@example.com');
    const api = fakeApi({ 'GET /api/links': () => ({ status: 401, body: problem(401, 'unauthorized', 'log in') }) });
    renderWithApi(<App />, api.fetch, '/');
    expect(await screen.findByRole('heading', { name: 'Log in to TinyScale' })).toBeInTheDocument();
    expect(screen.getByText('Your session has ended. Log in again.')).toBeInTheDocument();
  });

  it('logs out', async () => {
    session.signIn('me@example.com');
    const api = fakeApi({ 'GET /api/links': noLinks, 'POST /api/auth/logout': () => ({ status: 204 }) });
    renderWithApi(<App />, api.fetch, '/');
    await userEvent.click(await screen.findByRole('button', { name: 'Log out' }));
    expect(await screen.findByRole('heading', { name: 'Log in to TinyScale' })).toBeInTheDocument();
    expect(screen.getByText('You are logged out.')).toBeInTheDocument();
    expect(session.email()).toBeNull();
  });

  it('opens the API keys page from the header', async () => {
    session.signIn('me@example.com');
    const api = fakeApi({ 'GET /api/links': noLinks, 'GET /api/keys': () => ({ status: 200, body: [] }) });
    const { location } = renderWithApi(<App />, api.fetch, '/');
    await userEvent.click(await screen.findByRole('link', { name: 'API keys' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'API keys' })).toBeInTheDocument();
    expect(location.history).toContain('/keys');
    expect(screen.getByRole('link', { name: 'API keys' })).toHaveAttribute('aria-current', 'page');
  });
});
