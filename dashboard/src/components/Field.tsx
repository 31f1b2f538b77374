import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import type { RedirectType } from '../api/client';

interface Props extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
}

/** What a form's text field holds ('' when the form has no such field). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** A labelled input with its hint and its error, both tied to it for screen readers. */
export function Field({ label, hint, error, className, ...input }: Props) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
        {...input}
      />
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const REDIRECT_TYPES: { value: RedirectType; label: string }[] = [
  { value: 302, label: '302 Found (temporary)' },
  { value: 301, label: '301 Moved permanently' },
  { value: 307, label: '307 Temporary, keeps the method' },
  { value: 308, label: '308 Permanent, keeps the method' },
];

/** The redirect type's select (named redirectType), with its error. */
export function RedirectTypeField({ defaultValue, error }: { defaultValue: number; error?: string | undefined }) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>Redirect</label>
      <select id={id} name="redirectType" defaultValue={String(defaultValue)} aria-invalid={error ? true : undefined} aria-describedby={errorId}>
        {REDIRECT_TYPES.map((type) => (
          <option key={type.value} value={type.value}>
            {type.label}
          </option>
        ))}
      </select>
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
