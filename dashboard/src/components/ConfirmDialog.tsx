import type { ReactNode } from 'react';
import { describeError } from '../api/client';
import { Dialog } from './Dialog';

interface Props {
  title: string;
  /** what will happen, said plainly */
  children: ReactNode;
  /** the button that does it, and its label while it runs */
  action: string;
  running: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/** "Are you sure?": Cancel has the focus, the dangerous button says what it does. */
export function ConfirmDialog({ title, children, action, running, pending, error, onConfirm, onClose }: Props) {
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      {error ? (
        <p className="form-error" role="alert">
          {describeError(error)}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={pending} onClick={onConfirm}>
          {pending ? running : action}
        </button>
      </div>
    </Dialog>
  );
}
