import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './ApiContext';
import {
  sortParam,
  unwrap,
  type ApiKey,
  type Dimension,
  type Interval,
  type Link,
  type LinkSort,
  type RedirectType,
  type ShortenRequest,
} from './client';
import type { TimeRange } from '../analytics/ranges';

export const PAGE_SIZE = 20;

export function useLinks(page: number, sort: LinkSort, enabled = true) {
  const api = useApi();
  const order = sortParam(sort);
  return useQuery({
    queryKey: ['links', page, order],
    enabled,
    queryFn: () => unwrap(api.GET('/api/links', { params: { query: { page, size: PAGE_SIZE, sort: order } } })),
    placeholderData: keepPreviousData,
  });
}

export function useSearch(q: string, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: ['search', q, page],
    queryFn: () => unwrap(api.GET('/api/search', { params: { query: { q, page, size: PAGE_SIZE } } })),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useLink(code: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['link', code],
    queryFn: () => unwrap(api.GET('/api/links/{code}', { params: { path: { code } } })),
  });
}

export function useStats(code: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['stats', code],
    queryFn: () => unwrap(api.GET('/api/stats/{code}', { params: { path: { code } } })),
  });
}

function rangeQuery(range: TimeRange, includeBots: boolean) {
  return { from: range.from, to: range.to, includeBots: String(includeBots) };
}

/** What a histogram query asks for; live counting (live/liveCounts.ts) reads it back from the key. */
export interface HistogramParams {
  range: TimeRange;
  interval: Interval;
  includeBots: boolean;
  tz: string;
}

/** A histogram query's key: ['histogram', code] selects every chart of a link. */
export function histogramKey(code: string, params: HistogramParams) {
  return ['histogram', code, params] as const;
}

export type HistogramKey = ReturnType<typeof histogramKey>;

export function useHistogram(code: string, range: TimeRange, interval: Interval, includeBots: boolean) {
  const api = useApi();
  const tz = browserTimeZone();
  return useQuery({
    queryKey: histogramKey(code, { range, interval, includeBots, tz }),
    queryFn: () =>
      unwrap(
        api.GET('/api/analytics/{code}', {
          params: { path: { code }, query: { ...rangeQuery(range, includeBots), interval, tz } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useBreakdown(code: string, dimension: Dimension, range: TimeRange, includeBots: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['breakdown', code, dimension, range, includeBots],
    queryFn: () =>
      unwrap(
        api.GET('/api/analytics/{code}/{dimension}', {
          params: { path: { code, dimension }, query: { ...rangeQuery(range, includeBots), limit: 10 } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useOverview(range: TimeRange, includeBots: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ['overview', range, includeBots],
    queryFn: () => unwrap(api.GET('/api/analytics', { params: { query: rangeQuery(range, includeBots) } })),
    placeholderData: keepPreviousData,
  });
}

/** Lists that show links: refreshed after any change of one. */
function useRefreshLinks() {
  const client = useQueryClient();
  return () =>
    Promise.all(
      ['links', 'search', 'link', 'overview'].map((key) => client.invalidateQueries({ queryKey: [key] })),
    );
}

export function useShorten() {
  const api = useApi();
  const refresh = useRefreshLinks();
  return useMutation({
    mutationFn: (body: ShortenRequest) => unwrap(api.POST('/api/shorten', { body })),
    onSuccess: refresh,
  });
}

export interface LinkChange {
  disabled?: boolean;
  url?: string;
  expiresAt?: string | null;
  redirectType?: RedirectType;
}

export function useUpdateLink() {
  const api = useApi();
  const refresh = useRefreshLinks();
  return useMutation({
    mutationFn: ({ code, change }: { code: string; change: LinkChange }) =>
      unwrap(api.PATCH('/api/links/{code}', { params: { path: { code } }, body: change })),
    onSuccess: refresh,
  });
}

export function useDeleteLink() {
  const api = useApi();
  const refresh = useRefreshLinks();
  return useMutation({
    mutationFn: (link: Link) => unwrap(api.DELETE('/api/links/{code}', { params: { path: { code: link.code ?? '' } } })),
    onSuccess: refresh,
  });
}

export function useApiKeys() {
  const api = useApi();
  return useQuery({
    queryKey: ['keys'],
    queryFn: () => unwrap(api.GET('/api/keys')),
  });
}

function useRefreshKeys() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['keys'] });
}

export function useCreateApiKey() {
  const api = useApi();
  const refresh = useRefreshKeys();
  return useMutation({
    mutationFn: (name: string) => unwrap(api.POST('/api/keys', { body: { name } })),
    onSuccess: refresh,
  });
}

export function useRevokeApiKey() {
  const api = useApi();
  const refresh = useRefreshKeys();
  return useMutation({
    mutationFn: (key: ApiKey) => unwrap(api.DELETE('/api/keys/{id}', { params: { path: { id: String(key.id) } } })),
    onSuccess: refresh,
  });
}

export interface Credentials {
  email: string;
  password: string;
}

export function useLogin() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: Credentials) => unwrap(api.POST('/api/auth/login', { body })),
  });
}

/** Registers, then logs in (registering answers an API key and starts no session). */
export function useRegister() {
  const api = useApi();
  return useMutation({
    mutationFn: async (body: Credentials) => {
      const registered = await unwrap(api.POST('/api/auth/register', { body }));
      await unwrap(api.POST('/api/auth/login', { body }));
      return registered;
    },
  });
}

export function useLogout() {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/logout')),
  });
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
