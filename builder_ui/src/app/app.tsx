import { useCallback, useState } from "react";
import { AutomationsList } from "../automations-list/automations-list";
import { clearToken, readToken, writeToken } from "../auth/token-storage";
import { SignIn } from "../sign-in/sign-in";

export const TOKEN_REJECTED_MESSAGE = "That token was not accepted.";

export function App() {
  const [token, setToken] = useState<string | null>(() => readToken());
  const [signInMessage, setSignInMessage] = useState<string | null>(null);

  const signIn = useCallback((newToken: string) => {
    writeToken(newToken);
    setSignInMessage(null);
    setToken(newToken);
  }, []);

  const signOut = useCallback((message: string | null = null) => {
    clearToken();
    setSignInMessage(message);
    setToken(null);
  }, []);

  const handleUnauthorized = useCallback(() => signOut(TOKEN_REJECTED_MESSAGE), [signOut]);

  if (token === null) {
    return <SignIn onSignIn={signIn} message={signInMessage} />;
  }

  return (
    <>
      <header className="app-header">
        <span className="app-header__brand">Boomerang</span>
        <button type="button" className="button--secondary" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main className="app-main">
        <AutomationsList token={token} onUnauthorized={handleUnauthorized} />
      </main>
    </>
  );
}
