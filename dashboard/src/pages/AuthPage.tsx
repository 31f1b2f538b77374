import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, describeError } from '../api/client';
import { useLogin, useRegister } from '../api/queries';
import { session } from '../auth/session';
import { Field, formText } from '../components/Field';
import { useTitle } from '../useTitle';

interface FormErrors {
  fields: Partial<Record<'email' | 'password', string>>;
  form?: string;
}

function errorsOf(error: unknown, mode: 'login' | 'register'): FormErrors {
  if (!error) return { fields: {} };
  if (error instanceof ApiError) {
    if (error.kind === 'invalid-credentials') return { fields: {}, form: 'Wrong email or password.' };
    if (error.kind === 'email-taken') {
      return { fields: { email: 'An account with this email exists: log in instead.' } };
    }
    const fields = error.fieldErrors;
    if (Object.keys(fields).length > 0) return { fields };
    if (error.kind === 'unauthorized' && mode === 'register') {
      return { fields: {}, form: 'Your account was created, but logging in failed: log in below.' };
    }
  }
  return { fields: {}, form: describeError(error) };
}

/** Log in, or register (then log in): one form, two modes. */
export function AuthPage({ mode, onRegistered }: { mode: 'login' | 'register'; onRegistered?: (apiKey: string) => void }) {
  useTitle(mode === 'login' ? 'Log in' : 'Create an account');
  const login = useLogin();
  const register = useRegister();
  const mutation = mode === 'login' ? login : register;
  const [, navigate] = useLocation();
  const [ended] = useState(() => session.takeEndedReason());
  const errors = errorsOf(mutation.error, mode);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const credentials = { email: formText(form, 'email').trim(), password: formText(form, 'password') };
    try {
      if (mode === 'login') {
        const signedIn = await login.mutateAsync(credentials);
        session.signIn(signedIn.email ?? credentials.email);
      } else {
        const registered = await register.mutateAsync(credentials);
        if (registered.apiKey) onRegistered?.(registered.apiKey);
        session.signIn(registered.email ?? credentials.email);
      }
      navigate('/');
    } catch {
      // shown from mutation.error
    }
  }

  return (
    <div className="auth">
      <h1>{mode === 'login' ? 'Log in to TinyScale' : 'Create your TinyScale account'}</h1>
      {ended && !mutation.error ? (
        <p className="notice" role="status">
          {ended}
        </p>
      ) : null}
      <form className="card" onSubmit={(event) => void submit(event)} noValidate>
        <Field label="Email" name="email" type="email" autoComplete="email" required error={errors.fields.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          required
          hint={mode === 'register' ? 'At least 10 characters' : undefined}
          error={errors.fields.password}
        />
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" className="button button-primary button-block" disabled={mutation.isPending}>
          {mode === 'login' ? (login.isPending ? 'Logging in…' : 'Log in') : register.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="auth-switch">
        {mode === 'login' ? (
          <>
            New here? <Link href="/register">Create an account</Link>
          </>
        ) : (
          <>
            Have an account? <Link href="/login">Log in</Link>
          </>
        )}
      </p>
    </div>
  );
}
