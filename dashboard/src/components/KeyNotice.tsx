import type { ReactNode } from 'react';
import { CopyButton } from './CopyButton';

/** A new API key, shown this once, with a copy button and a way to say it is stored. */
export function KeyNotice({ apiKey, children, onDismiss }: { apiKey: string; children: ReactNode; onDismiss: () => void }) {
  return (
    <div className="notice notice-key" role="status">
      <p>{children}</p>
      <p className="key-line">
        <code>{apiKey}</code> <CopyButton text={apiKey} label="Copy the API key" />
      </p>
      <button type="button" className="button button-small" onClick={onDismiss}>
        Done, I stored it
      </button>
    </div>
  );
}
