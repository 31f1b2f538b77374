import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, describeError, type Link } from '../api/client';
import { useShorten } from '../api/queries';
import { CopyButton } from './CopyButton';
import { Field, formText, RedirectTypeField } from './Field';

// what the API names each field in a validation problem's errors[]
const FIELDS = ['url', 'alias', 'expiresAt', 'redirectType'] as const;
type FieldName = (typeof FIELDS)[number];

/** Errors by field, from the API's problem document; what belongs to no field goes on top. */
export function formErrors(error: unknown): { fields: Partial<Record<FieldName, string>>; form?: string } {
  if (!(error instanceof ApiError)) return error ? { fields: {}, form: describeError(error) } : { fields: {} };
  if (error.kind === 'alias-taken') {
    return { fields: { alias: 'This alias is taken (or was, by a deleted link): choose another.' } };
  }
  const fields: Partial<Record<FieldName, string>> = {};
  const others: string[] = [];
  for (const [field, message] of Object.entries(error.fieldErrors)) {
    if ((FIELDS as readonly string[]).includes(field)) fields[field as FieldName] = message;
    else others.push(`${field}: ${message}`);
  }
  if (Object.keys(fields).length === 0 && others.length === 0) return { fields, form: describeError(error) };
  return others.length ? { fields, form: others.join('; ') } : { fields };
}

/** Focuses the first field the failure's problem names, so that its error is read out. */
export function focusFirstInvalid(form: HTMLFormElement | null, failure: unknown) {
  const { fields } = formErrors(failure);
  const first = FIELDS.find((name) => fields[name]);
  if (first) form?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
}

export function CreateLinkForm() {
  const shorten = useShorten();
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const [created, setCreated] = useState<Link | null>(null);
  const errors = formErrors(shorten.error);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => formText(form, name).trim();
    const expiry = text('expiresAt');
    setCreated(null);
    try {
      const link = await shorten.mutateAsync({
        url: text('url'),
        ...(text('alias') ? { alias: text('alias') } : {}),
        // datetime-local is the browser's local time: sent as the instant it means
        ...(expiry ? { expiresAt: new Date(expiry).toISOString() } : {}),
        redirectType: Number(text('redirectType')),
      });
      setCreated(link);
      formRef.current?.reset();
      formRef.current?.querySelector<HTMLInputElement>('input[name="url"]')?.focus();
    } catch (failure) {
      focusFirstInvalid(formRef.current, failure);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Shorten a URL</h2>
      <form ref={formRef} onSubmit={(event) => void submit(event)} noValidate className="create-form">
        <Field
          className="field-wide"
          label="URL to shorten"
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://example.com/a/long/path"
          required
          error={errors.fields.url}
        />
        <div className="field-row">
          <Field
            label="Alias (optional)"
            name="alias"
            autoComplete="off"
            spellCheck={false}
            hint="3–64 letters, digits, - or _"
            error={errors.fields.alias}
          />
          <Field
            label="Expires (optional)"
            name="expiresAt"
            type="datetime-local"
            hint="Your local time"
            error={errors.fields.expiresAt}
          />
          <RedirectTypeField defaultValue={302} error={errors.fields.redirectType} />
        </div>
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={shorten.isPending}>
            {shorten.isPending ? 'Shortening…' : 'Shorten'}
          </button>
          <p className="created" role="status">
            {created?.shortUrl ? (
              <>
                Created <a href={created.shortUrl}>{created.shortUrl}</a>{' '}
                <CopyButton text={created.shortUrl} label={`Copy ${created.shortUrl}`} />
              </>
            ) : null}
          </p>
        </div>
      </form>
    </section>
  );
}
