import { useRef, useState, type FormEvent } from 'react';
import type { Link, RedirectType } from '../api/client';
import { useUpdateLink, type LinkChange } from '../api/queries';
import { toDateTimeLocal } from '../format';
import { focusFirstInvalid, formErrors } from './CreateLinkForm';
import { Dialog } from './Dialog';
import { Field, formText, RedirectTypeField } from './Field';

/**
 * Changes a link's URL, expiry and redirect type. Only what was changed is sent, so that an expired
 * link's redirect type can be changed without the API refusing its expiry, now in the past.
 */
export function EditLinkDialog({ link, onClose }: { link: Link; onClose: () => void }) {
  const update = useUpdateLink();
  const formRef = useRef<HTMLFormElement>(null);
  const expiry = link.expiresAt ? toDateTimeLocal(link.expiresAt) : '';
  const [never, setNever] = useState(!link.expiresAt);
  const errors = formErrors(update.error);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formText(form, name).trim();
    const change: LinkChange = {};
    if (text('url') !== link.url) change.url = text('url');
    const expiresAt = never ? '' : text('expiresAt');
    // datetime-local is the browser's local time: sent as the instant it means; empty: never
    if (expiresAt !== expiry) change.expiresAt = expiresAt ? new Date(expiresAt).toISOString() : null;
    const redirectType = Number(text('redirectType')) as RedirectType;
    if (redirectType !== link.redirectType) change.redirectType = redirectType;
    if (Object.keys(change).length === 0) {
      onClose();
      return;
    }
    try {
      await update.mutateAsync({ code: link.code ?? '', change });
      onClose();
    } catch (failure) {
      focusFirstInvalid(formRef.current, failure);
    }
  }

  return (
    <Dialog title={`Edit /${link.code}`} onClose={onClose}>
      <form ref={formRef} onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="URL"
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          defaultValue={link.url}
          required
          autoFocus
          error={errors.fields.url}
        />
        <Field
          label="Expires"
          name="expiresAt"
          type="datetime-local"
          defaultValue={expiry}
          disabled={never}
          hint="Your local time"
          error={errors.fields.expiresAt}
        />
        <div className="field">
          <label className="switch">
            <input type="checkbox" checked={never} onChange={(event) => setNever(event.target.checked)} />
            Never expires
          </label>
        </div>
        <RedirectTypeField defaultValue={link.redirectType ?? 302} error={errors.fields.redirectType} />
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
