import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { ApiProvider } from '../api/ApiContext';
import { createApi } from '../api/client';
import { createQueryClient } from '../queryClient';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-error';
type Handler = (call: Call) => Answer | Promise<Answer>;

/**
 * A fetch that answers as the API would, from handlers keyed by "METHOD /path" (the first whose
 * key matches; ":x" matches one segment), and records every call.
 */
export function fakeApi(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const call: Call = { method: request.method, path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : undefined };
    calls.push(call);
    const entry = Object.entries(handlers).find(([key]) => {
      const [method, pattern] = key.split(' ');
      const regex = new RegExp(`^${pattern!.replace(/:[a-z]+/g, '[^/]+')}$`);
      return method === call.method && regex.test(call.path);
    });
    const answer: Answer = entry ? await entry[1](call) : { status: 404, body: problem(404, 'not-found', 'no handler') };
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    const json = answer.status !== 204 && answer.body !== undefined;
    return new Response(json ? JSON.stringify(answer.body) : null, {
      status: answer.status,
      headers: {
        ...(json ? { 'Content-Type': answer.status >= 400 ? 'application/problem+json' : 'application/json' } : {}),
        ...answer.headers,
      },
    });
  };
  return { fetch, calls };
}

export function problem(status: number, kind: string, detail: string, errors?: { field: string; message: string }[]) {
  return { type: `urn:tinyscale:problem:${kind}`, title: kind, status, detail, ...(errors ? { errors } : {}) };
}

export function link(code: string, extra: Record<string, unknown> = {}) {
  return {
    code,
    shortUrl: `http://localhost:8080/${code}`,
    url: `https://example.com/${code}`,
    createdAt: '2026-12-01T10:00:00Z',
    expiresAt: null,
    redirectType: 302,
    disabled: false,
    clicks: 0,
    status: 'active',
    ...extra,
  };
}

/** Renders with the app's providers around it, at a path of the dashboard. */
export function renderWithApi(ui: ReactElement, fetch: typeof globalThis.fetch, path = '/') {
  const location = memoryLocation({ path, record: true });
  const client = createQueryClient(0);
  const result = render(
    <ApiProvider api={createApi(fetch)}>
      <QueryClientProvider client={client}>
        <Router hook={location.hook}>{ui}</Router>
      </QueryClientProvider>
    </ApiProvider>,
  );
  return { ...result, location, client };
}
