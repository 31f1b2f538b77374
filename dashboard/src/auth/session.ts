import { useSyncExternalStore } from 'react';

// The session itself is an HttpOnly cookie the page cannot read; this remembers who logged in
// on this browser, to show the pages of a signed-in user. An API answer of 401 ends it.
const KEY = 'tinyscale.email';
const listeners = new Set<() => void>();
let endedReason: string | null = null;

function read(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function emit() {
  listeners.forEach((listener) => listener());
}

export const session = {
  email: read,
  signIn(email: string) {
    endedReason = null;
    window.localStorage.setItem(KEY, email);
    emit();
  },
  /** Forgets the user; with a reason, the login page says why. */
  signOut(reason?: string) {
    endedReason = reason ?? null;
    window.localStorage.removeItem(KEY);
    emit();
  },
  /** Why the last session ended, once. */
  takeEndedReason(): string | null {
    const reason = endedReason;
    endedReason = null;
    return reason;
  },
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => event.key === KEY && listener();
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  },
};

export function useSignedInEmail(): string | null {
  return useSyncExternalStore(session.subscribe, session.email);
}
