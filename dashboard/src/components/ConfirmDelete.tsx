import type { Link } from '../api/client';
import { describeError } from '../api/client';
import { useDeleteLink } from '../api/queries';
import { Dialog } from './Dialog';

export function ConfirmDelete({ link, onClose }: { link: Link; onClose: () => void }) {
  const remove = useDeleteLink();
  return (
    <Dialog title={`Delete /${link.code}?`} onClose={onClose}>
      <p>
        {link.shortUrl} will answer “not found” from now on, and the code is never given out again. Its clicks stay
        counted.
      </p>
      {remove.error ? (
        <p className="form-error" role="alert">
          {describeError(remove.error)}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(link, { onSuccess: onClose })}
        >
          {remove.isPending ? 'Deleting…' : 'Delete link'}
        </button>
      </div>
    </Dialog>
  );
}
