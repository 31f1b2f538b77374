import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { LiveClick } from '../api/client';

/**
 * Where a live stream stands: `connecting` (the first time), `live` (open), `reconnecting` (the
 * connection dropped or the server said goodbye; the browser reconnects itself, sending
 * Last-Event-ID), `disconnected` (the server refused the stream, e.g. 429 or 401; we try again at
 * `retryAt`, resuming after the last click received).
 */
export type StreamState =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting' }
  | { status: 'disconnected'; retryAt: number };

export type ClickHandler = (click: LiveClick, eventId: string) => void;

/** The last `size` ids: add() answers whether an id is new. */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly size: number) {}

  add(id: string): boolean {
    if (!id) return true;
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.size) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

/** 1 s, 2 s, 4 s … at most 30 s between attempts after a refusal. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** The stream's URL, resuming after `lastEventId` when there is one (a new EventSource has none). */
export function streamUrl(path: string, lastEventId: string | null): string {
  return lastEventId ? `${path}?lastEventId=${encodeURIComponent(lastEventId)}` : path;
}

/**
 * Subscribes to one of the API's click streams (`/api/stream/{code}` or `/api/stream`) with the
 * browser's EventSource, which sends the session cookie and, after a dropped connection,
 * reconnects by itself with Last-Event-ID. A stream the server refuses is opened again after a
 * growing delay, from the last click received, or at once by `reconnect()`.
 */
export function useClickStream(path: string, onClick: ClickHandler): { state: StreamState; reconnect: () => void } {
  const [state, setState] = useState<StreamState>({ status: 'connecting' });
  const [generation, setGeneration] = useState(0);
  // another stream (a new path) starts from `connecting`, set as it renders, not after
  const [streamPath, setStreamPath] = useState(path);
  if (streamPath !== path) {
    setStreamPath(path);
    setState({ status: 'connecting' });
  }
  const handle = useEffectEvent(onClick);
  const lastEventId = useRef<string | null>(null);
  // a resumed stream may repeat a click made within moments of the last one (docs/api.md)
  const seen = useRef(new RecentIds(1000));

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;

    const open = () => {
      source = new EventSource(streamUrl(path, lastEventId.current));
      source.onopen = () => {
        attempt = 0;
        setState({ status: 'live' });
      };
      source.addEventListener('click', (event) => {
        const message = event as MessageEvent<string>;
        lastEventId.current = message.lastEventId || lastEventId.current;
        let click: LiveClick;
        try {
          click = JSON.parse(message.data) as LiveClick;
        } catch {
          return;
        }
        if (seen.current.add(message.lastEventId)) handle(click, message.lastEventId);
      });
      source.onerror = () => {
        if (source?.readyState === EventSource.CONNECTING) {
          // dropped, or the server's overflow/shutdown farewell: the browser reconnects itself
          setState({ status: 'reconnecting' });
          return;
        }
        // refused (an answer other than 200 text/event-stream): the browser gives up, we do not
        source?.close();
        attempt += 1;
        const delay = retryDelay(attempt);
        setState({ status: 'disconnected', retryAt: Date.now() + delay });
        timer = setTimeout(() => {
          setState({ status: 'connecting' });
          open();
        }, delay);
      };
    };

    open();
    return () => {
      clearTimeout(timer);
      source?.close();
    };
  }, [path, generation]);

  const reconnect = () => {
    setState({ status: 'connecting' });
    setGeneration((g) => g + 1);
  };
  return { state, reconnect };
}
