import { useSyncExternalStore, type ReactNode } from 'react';
import { Link as RouteLink } from 'wouter';
import type { LiveClick } from '../api/client';
import type { StreamState } from './clickStream';
import { Country } from './Flag';

/** The latest clicks kept on screen. */
export const FEED_LENGTH = 50;

export interface FeedItem {
  id: string;
  click: LiveClick;
}

/** The list with a new click on top, at most FEED_LENGTH long. */
export function prepend(items: FeedItem[], item: FeedItem): FeedItem[] {
  return [item, ...items].slice(0, FEED_LENGTH);
}

const times = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

const everySecond = (tick: () => void) => {
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
};
const never = () => () => {};

/** Whole seconds left until `at`, read from the clock once a second while there is an `at`. */
function useSecondsUntil(at: number | undefined): number {
  return useSyncExternalStore(at === undefined ? never : everySecond, () =>
    at === undefined ? 0 : Math.max(0, Math.ceil((at - Date.now()) / 1000)),
  );
}

/** Whether the stream is live, and what to do when it is not. */
export function StreamStatus({ state, onReconnect }: { state: StreamState; onReconnect: () => void }) {
  const seconds = useSecondsUntil(state.status === 'disconnected' ? state.retryAt : undefined);
  let text: ReactNode;
  switch (state.status) {
    case 'connecting':
      text = 'Connecting…';
      break;
    case 'live':
      text = 'Live: new clicks appear here as they happen.';
      break;
    case 'reconnecting':
      text = 'Connection lost. Reconnecting… clicks made meanwhile will appear once it is back.';
      break;
    case 'disconnected':
      text = `Disconnected: the server refused the live view. Trying again in ${seconds} s.`;
      break;
  }
  return (
    <div className={`stream-status stream-${state.status}`} role="status">
      <span className="dot" aria-hidden="true" />
      <span>{text}</span>
      {state.status === 'disconnected' ? (
        <button type="button" className="button button-small" onClick={onReconnect}>
          Reconnect now
        </button>
      ) : null}
    </div>
  );
}

function describe(click: LiveClick): string {
  const agent = [click.browser, click.os].filter(Boolean).join(' on ');
  return agent || 'Unknown browser';
}

/** The clicks, newest first: time, country, browser and OS, device, referrer (and link). */
export function ClickList({ items, showCode, empty }: { items: FeedItem[]; showCode?: boolean; empty: ReactNode }) {
  return (
    <div role="log" aria-label="Latest clicks" aria-live="polite" aria-relevant="additions">
      {items.length === 0 ? (
        <div className="state state-empty">{empty}</div>
      ) : (
        <ol className="feed">
          {items.map(({ id, click }) => (
            <li key={id}>
              <time dateTime={click.clickedAt}>{times.format(new Date(click.clickedAt))}</time>
              {showCode ? (
                <RouteLink href={`/links/${encodeURIComponent(click.code)}`} className="code">
                  /{click.code}
                </RouteLink>
              ) : null}
              <Country code={click.country} />
              <span>{describe(click)}</span>
              <span>{click.device ?? 'Unknown device'}</span>
              <span className="referrer">{click.referrerHost ? `from ${click.referrerHost}` : 'direct'}</span>
              {click.bot ? <span className="badge badge-bot">bot</span> : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
