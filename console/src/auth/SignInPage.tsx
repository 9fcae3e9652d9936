import { FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from './AuthContext';

export function SignInPage() {
  const { signIn } = useAuth();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await signIn(token);
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.status === 401
          ? 'That token was not accepted. Use the supervisor or admin token your administrator gave you.'
          : `Could not reach the service: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title" className="card">
        <h1 id="sign-in-title">Voice agents console</h1>
        <p className="muted">Sign in with your supervisor or admin token. It stays in this tab only.</p>
        <label htmlFor="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          required
          autoFocus
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'sign-in-problem' : undefined}
        />
        {problem && (
          <p id="sign-in-problem" role="alert" className="field-error">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
