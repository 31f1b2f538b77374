import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, describeError, type ApiKey, type CreatedKey } from '../api/client';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/queries';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field, formText } from '../components/Field';
import { KeyNotice } from '../components/KeyNotice';
import { Empty, ErrorState, Loading } from '../components/States';
import { formatDateTime } from '../format';
import { useTitle } from '../useTitle';

/** The name field's error, or what belongs to no field (e.g. too many keys). */
export function keyErrors(error: unknown, keys: number | undefined): { name?: string; form?: string } {
  if (!error) return {};
  if (error instanceof ApiError) {
    if (error.kind === 'too-many-keys') {
      const held = keys ? `${keys} API keys, ` : '';
      return { form: `Your account already holds ${held}as many as it may. Revoke one you no longer use (below), then create this one.` };
    }
    const name = error.fieldErrors.name;
    if (name) return { name };
  }
  return { form: describeError(error) };
}

function NewKey({ created, onDismiss }: { created: CreatedKey; onDismiss: () => void }) {
  return (
    <KeyNotice apiKey={created.apiKey ?? ''} onDismiss={onDismiss}>
      <strong>Your new key “{created.name}”</strong> is shown this once: it will not be shown again. Copy it now and keep
      it somewhere safe, such as a password manager or your CI’s secrets.
    </KeyNotice>
  );
}

function CreateKeyForm({ keys, onCreated }: { keys: number | undefined; onCreated: (key: CreatedKey) => void }) {
  const create = useCreateApiKey();
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const errors = keyErrors(create.error, keys);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = formText(new FormData(event.currentTarget), 'name').trim();
    try {
      onCreated(await create.mutateAsync(name));
      formRef.current?.reset();
    } catch (failure) {
      if (keyErrors(failure, keys).name) formRef.current?.querySelector<HTMLElement>('[name="name"]')?.focus();
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a key</h2>
      <form ref={formRef} onSubmit={(event) => void submit(event)} noValidate className="key-form">
        <Field
          label="Name"
          name="name"
          autoComplete="off"
          maxLength={100}
          required
          hint="What will use it, e.g. “deploy script” or “my laptop”"
          error={errors.name}
        />
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </section>
  );
}

function ConfirmRevoke({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const revoke = useRevokeApiKey();
  return (
    <ConfirmDialog
      title={`Revoke “${apiKey.name}”?`}
      action="Revoke key"
      running="Revoking…"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate(apiKey, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>
        Scripts and the CLI that use the key starting <code>{apiKey.prefix}</code> get “unauthorized” from now on, on
        every server. This cannot be undone; create a new key if you need one again.
      </p>
    </ConfirmDialog>
  );
}

function KeysTable({ keys, onRevoke }: { keys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  return (
    <table className="keys">
      <caption className="visually-hidden">Your API keys</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Starts with</th>
          <th scope="col">Created</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key.id}>
            <th scope="row" className="key-name">
              {key.name}
            </th>
            <td>
              <code>{key.prefix}…</code>
            </td>
            <td>
              <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time>
            </td>
            <td className="actions">
              <button
                type="button"
                className="button button-small button-danger-quiet"
                aria-label={`Revoke ${key.name} (${key.prefix}…)`}
                onClick={() => onRevoke(key)}
              >
                Revoke
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function KeysPage() {
  useTitle('API keys');
  const keys = useApiKeys();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const items = keys.data ?? [];

  return (
    <>
      <h1>API keys</h1>
      <p className="intro">
        A key lets the CLI or a script use TinyScale’s API as you: send it as <code>Authorization: Bearer</code>, or set{' '}
        <code>TINYSCALE_API_KEY</code> for the CLI. Give each machine or script its own key, so you can revoke one without
        the others.
      </p>
      {created ? <NewKey created={created} onDismiss={() => setCreated(null)} /> : null}
      <CreateKeyForm keys={keys.data?.length} onCreated={setCreated} />
      <section className="card" aria-labelledby="your-keys">
        <h2 id="your-keys">Your keys</h2>
        {keys.isPending ? (
          <Loading>Loading your keys…</Loading>
        ) : keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => void keys.refetch()} title="Could not load your keys." />
        ) : items.length === 0 ? (
          <Empty>
            <p>No API keys. The dashboard needs none; create one above for the CLI or a script.</p>
          </Empty>
        ) : (
          <KeysTable keys={items} onRevoke={setRevoking} />
        )}
      </section>
      {revoking ? <ConfirmRevoke apiKey={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}
