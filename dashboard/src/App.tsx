import { lazy, Suspense, useState } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { describeError } from './api/client';
import { useLogout } from './api/queries';
import { session, useSignedInEmail } from './auth/session';
import { KeyNotice } from './components/KeyNotice';
import { Loading } from './components/States';
import { AuthPage } from './pages/AuthPage';
import { LinksPage } from './pages/LinksPage';
import { OverviewPage } from './pages/OverviewPage';
import { useQueryClient } from '@tanstack/react-query';
import { useTitle } from './useTitle';

// the analytics page and its chart library, the live page and the API keys page load when first opened
const AnalyticsPage = lazy(() => import('./pages/AnalyticsPage'));
const LivePage = lazy(() => import('./pages/LivePage'));
const KeysPage = lazy(() => import('./pages/KeysPage').then((page) => ({ default: page.KeysPage })));

function NavLink({ href, children }: { href: string; children: string }) {
  const [location] = useLocation();
  const current = href === '/' ? location === '/' || location.startsWith('/links') : location.startsWith(href);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Header({ email }: { email: string | null }) {
  const logout = useLogout();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  return (
    <header className="top">
      <div className="top-inner">
        <Link href="/" className="brand">
          TinyScale
        </Link>
        {email ? (
          <>
            <nav aria-label="Main">
              <NavLink href="/">Links</NavLink>
              <NavLink href="/overview">Overview</NavLink>
              <NavLink href="/live">Live</NavLink>
              <NavLink href="/keys">API keys</NavLink>
            </nav>
            <div className="account">
              <span className="email" title={email}>
                {email}
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={logout.isPending}
                onClick={() =>
                  logout.mutate(undefined, {
                    onSuccess: () => {
                      client.clear();
                      session.signOut('You are logged out.');
                      navigate('/login');
                    },
                  })
                }
              >
                Log out
              </button>
              {logout.error ? (
                <span className="field-error" role="alert">
                  {describeError(logout.error)}
                </span>
              ) : null}
            </div>
          </>
        ) : null}
      </div>
    </header>
  );
}

function NewKeyNotice({ apiKey, onDismiss }: { apiKey: string; onDismiss: () => void }) {
  return (
    <KeyNotice apiKey={apiKey} onDismiss={onDismiss}>
      <strong>Your account is ready.</strong> Its API key, for the CLI and scripts, is shown this once:
    </KeyNotice>
  );
}

function NotFound() {
  useTitle('Not found');
  return (
    <>
      <h1>No such page</h1>
      <p>
        <Link href="/">Go to your links</Link>
      </p>
    </>
  );
}

export function App() {
  const email = useSignedInEmail();
  const [apiKey, setApiKey] = useState<string | null>(null);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header email={email} />
      <main id="main" tabIndex={-1}>
        {email ? (
          <>
            {apiKey ? <NewKeyNotice apiKey={apiKey} onDismiss={() => setApiKey(null)} /> : null}
            <Switch>
              <Route path="/">
                <LinksPage />
              </Route>
              <Route path="/overview">
                <OverviewPage />
              </Route>
              <Route path="/live">
                <Suspense fallback={<Loading>Loading the live view…</Loading>}>
                  <LivePage />
                </Suspense>
              </Route>
              <Route path="/keys">
                <Suspense fallback={<Loading>Loading your API keys…</Loading>}>
                  <KeysPage />
                </Suspense>
              </Route>
              <Route path="/links/:code">
                {(params) => (
                  <Suspense fallback={<Loading>Loading the analytics…</Loading>}>
                    <AnalyticsPage key={params.code} code={decodeURIComponent(params.code)} />
                  </Suspense>
                )}
              </Route>
              <Route path="/login">
                <Redirect to="/" replace />
              </Route>
              <Route path="/register">
                <Redirect to="/" replace />
              </Route>
              <Route>
                <NotFound />
              </Route>
            </Switch>
          </>
        ) : (
          <Switch>
            <Route path="/register">
              <AuthPage mode="register" onRegistered={setApiKey} />
            </Route>
            <Route path="/login">
              <AuthPage mode="login" />
            </Route>
            <Route>
              <Redirect to="/login" replace />
            </Route>
          </Switch>
        )}
      </main>
    </>
  );
}
