import { useId, useState, type FormEvent } from "react";
import type { MessageKey } from "../i18n/catalogue";
import { useT } from "../i18n/i18n";
import { LanguagePicker } from "../i18n/language-picker";

export interface SignInProps {
  onSignIn: (token: string) => void;
  /** Shown above the form, e.g. after the API refused the token (a key, said in the reader's language). */
  message?: MessageKey | null | undefined;
}

export function SignIn({ onSignIn, message = null }: SignInProps) {
  const inputId = useId();
  const hintId = useId();
  const [token, setToken] = useState("");
  const t = useT();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed === "") return;
    onSignIn(trimmed);
  }

  return (
    <main className="sign-in">
      <div className="sign-in__language">
        <LanguagePicker />
      </div>
      <h1>{t("sign-in.title")}</h1>
      <form className="sign-in__form" onSubmit={handleSubmit} noValidate>
        {message ? (
          <p className="notice notice--error" role="alert">
            {t(message)}
          </p>
        ) : null}
        <label htmlFor={inputId}>{t("sign-in.token")}</label>
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
          {t("sign-in.hint")}
        </p>
        <button type="submit" disabled={token.trim() === ""}>
          {t("sign-in.submit")}
        </button>
      </form>
    </main>
  );
}
