import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { session } from './auth/session';

function endSessionOn401(error: unknown, client: () => QueryClient) {
  // a 401 while signed in: the session expired or was ended elsewhere (logging in answers 401
  // for a wrong password, but nobody is signed in then)
  if (error instanceof ApiError && error.status === 401 && session.email()) {
    client().clear();
    session.signOut('Your session has ended. Log in again.');
  }
}

/** Retries what may pass on a second try (no answer, 5xx), never a refusal (4xx). */
export function createQueryClient(retries = 2): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => endSessionOn401(error, () => client) }),
    mutationCache: new MutationCache({ onError: (error) => endSessionOn401(error, () => client) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: true,
        retry: (failures, error) =>
          failures < retries && error instanceof ApiError && (error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}
