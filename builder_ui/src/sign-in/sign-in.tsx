import { useId, useState, type FormEvent } from "react";

export interface SignInProps {
  onSignIn: (token: string) => void;
  /** Shown above the form, e.g. after the API refused the token. */
  message?: string | null | undefined;
}

export function SignIn({ onSignIn, message = null }: SignInProps) {
  const inputId = useId();
  const hintId = useId();
  const [token, setToken] = useState("");

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed === "") return;
    onSignIn(trimmed);
  }

  return (
    <main className="sign-in">
      <h1>Sign in to Boomerang</h1>
      <form className="sign-in__form" onSubmit={handleSubmit} noValidate>
        {message ? (
          <p className="notice notice--error" role="alert">
            {message}
          </p>
        ) : null}
        <label htmlFor={inputId}>API token</label>
        <input
          id={inputId}
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          aria-describedby={hintId}
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <p id={hintId} className="hint">
          Paste the API token you were given. It is kept in this browser only.
        </p>
        <button type="submit" disabled={token.trim() === ""}>
          Sign in
        </button>
      </form>
    </main>
  );
}
