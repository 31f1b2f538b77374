/**
 * The place of the live view (issue 25's next increment): it will subscribe to
 * GET /api/stream/{code} (server-sent events: `event: click`, `id:` the event id, resumed with
 * Last-Event-ID) with an EventSource, show each click (country, browser, device, referrer, time),
 * say when the stream is disconnected, and move the page's counters and the current bucket of the
 * chart without a reload by writing into TanStack Query's cache (queryClient.setQueryData on the
 * ['stats', code] and ['histogram', code, …] entries). Until then it shows nothing.
 */
export function LiveFeed(_props: { code: string }) {
  return null;
}
