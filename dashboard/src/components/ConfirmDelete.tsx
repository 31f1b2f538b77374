import type { Link } from '../api/client';
import { useDeleteLink } from '../api/queries';
import { ConfirmDialog } from './ConfirmDialog';

export function ConfirmDelete({ link, onClose }: { link: Link; onClose: () => void }) {
  const remove = useDeleteLink();
  return (
    <ConfirmDialog
      title={`Delete /${link.code}?`}
      action="Delete link"
      running="Deleting…"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(link, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>
        {link.shortUrl} will answer “not found” from now on, and the code is never given out again. Its clicks stay
        counted.
      </p>
    </ConfirmDialog>
  );
}
