import { useCallback, useEffect, useMemo, useState } from "react";
// `RouterProvider` from "react-router", not "react-router/dom": the app uses no `flushSync`,
// and under vitest (Node 20) the two entries load different builds, two sets of router contexts.
import { createHashRouter, Navigate, NavLink, Outlet, RouterProvider, type RouteObject } from "react-router";
import { ApiError, createApi, whoAmI, type Schemas } from "../api/client";
import { clearToken, readToken, writeToken } from "../auth/token-storage";
import { AutomationsList } from "../automations-list/automations-list";
import { CartPage } from "../carts/cart-page";
import { CartsPage } from "../carts/carts-page";
import { CustomerPage } from "../customers/customer-page";
import { DashboardPage } from "../dashboard/dashboard-page";
import { FlowEditorPage } from "../flow-editor/flow-editor-page";
import { JourneyPage } from "../journeys/journey-page";
import { JourneysPage } from "../journeys/journeys-page";
import { PresetGallery } from "../preset-gallery/preset-gallery";
import { AutomationResultsPage } from "../results/automation-results-page";
import type { MessageKey } from "../i18n/catalogue";
import { LanguageProvider, useT } from "../i18n/i18n";
import { LanguagePicker } from "../i18n/language-picker";
import { mayUseBuilder, roleCan, SessionContext, useSession, type Capability, type Session } from "../session/session";
import { SettingsPage } from "../settings/settings-page";
import { SignIn } from "../sign-in/sign-in";
import { TemplateEditorPage } from "../templates/template-editor-page";
import { TemplatesPage } from "../templates/templates-page";
import { ErrorNotice, Loading } from "../ui/notices";

// Keys: the sign-in page says them in the reader's language.
export const TOKEN_REJECTED_MESSAGE = "app.token-rejected" satisfies MessageKey;
export const INGEST_REFUSED_MESSAGE = "app.ingest-refused" satisfies MessageKey;

type Caller = Schemas["Caller"];
type Checked = { kind: "checking" } | { kind: "failed"; error: Error } | { kind: "ready"; caller: Caller };

interface NavItem {
  to: string;
  label: MessageKey;
  needs: Capability;
}

// The first the role may use is where signing in lands: the dashboard for marketers and
// admins, the automations for support (as before), settings for developers.
const NAV: readonly NavItem[] = [
  { to: "/dashboard", label: "app.nav.dashboard", needs: "read_results" },
  { to: "/automations", label: "app.nav.automations", needs: "read_automations" },
  { to: "/presets", label: "app.nav.presets", needs: "use_presets" },
  { to: "/templates", label: "app.nav.templates", needs: "edit_templates" },
  { to: "/carts", label: "app.nav.carts", needs: "read_carts" },
  { to: "/journeys", label: "app.nav.journeys", needs: "operate_journeys" },
  { to: "/customers", label: "app.nav.customers", needs: "manage_customers" },
  { to: "/settings", label: "app.nav.settings", needs: "manage_tokens" },
];

/** The sections the signed-in role may open, in the order the navigation shows them. */
function navFor(session: Session): NavItem[] {
  return NAV.filter((item) => session.can(item.needs));
}

const ROUTES: RouteObject[] = [
  {
    element: <Shell />,
    children: [
      { path: "/", element: <Home /> },
      { path: "/automations", element: <AutomationsList /> },
      { path: "/dashboard", element: <DashboardPage /> },
      { path: "/automations/:automationId", element: <FlowEditorPage /> },
      { path: "/automations/:automationId/results", element: <AutomationResultsPage /> },
      { path: "/presets", element: <PresetGallery /> },
      { path: "/templates", element: <TemplatesPage /> },
      { path: "/templates/:templateName", element: <TemplateEditorPage /> },
      { path: "/carts", element: <CartsPage /> },
      { path: "/carts/:cartId", element: <CartPage /> },
      { path: "/journeys", element: <JourneysPage /> },
      { path: "/journeys/:journeyId", element: <JourneyPage /> },
      { path: "/customers", element: <CustomerPage /> },
      { path: "/settings", element: <SettingsPage /> },
      { path: "/settings/integrations", element: <SettingsPage tab="integrations" /> },
      { path: "*", element: <NoPage /> },
    ],
  },
];

/**
 * A data router (not `<HashRouter>`) so editors can hold a navigation that would lose their
 * edits (`useBlocker`). The URLs stay `/#/automations/...`. Made once, like the page it serves;
 * it is only rendered once signed in, and then opens whatever the address asked for.
 */
const router = createHashRouter(ROUTES);

export function App() {
  const [token, setToken] = useState<string | null>(() => readToken());
  const [signInMessage, setSignInMessage] = useState<MessageKey | null>(null);

  const signIn = useCallback((newToken: string) => {
    writeToken(newToken);
    setSignInMessage(null);
    setToken(newToken);
  }, []);

  const signOut = useCallback((message: MessageKey | null = null) => {
    clearToken();
    setSignInMessage(message);
    setToken(null);
  }, []);

  return (
    <LanguageProvider>
      {token === null ? (
        <SignIn onSignIn={signIn} message={signInMessage} />
      ) : (
        <SignedIn key={token} token={token} signOut={signOut} />
      )}
    </LanguageProvider>
  );
}

function SignedIn({ token, signOut }: { token: string; signOut: (message?: MessageKey | null) => void }) {
  const api = useMemo(() => createApi(token, () => signOut(TOKEN_REJECTED_MESSAGE)), [token, signOut]);
  const [checked, setChecked] = useState<Checked>({ kind: "checking" });
  const [attempt, setAttempt] = useState(0);
  const t = useT();

  useEffect(() => {
    const controller = new AbortController();
    setChecked({ kind: "checking" });
    whoAmI(api, controller.signal)
      .then((caller) => {
        if (controller.signal.aborted) return;
        if (!mayUseBuilder(caller.role)) signOut(INGEST_REFUSED_MESSAGE);
        else setChecked({ kind: "ready", caller });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) return; // signed out already
        setChecked({ kind: "failed", error: error instanceof Error ? error : new Error(String(error)) });
      });
    return () => controller.abort();
  }, [api, signOut, attempt]);

  if (checked.kind === "checking") return <Loading what={t("app.loading-account")} />;
  if (checked.kind === "failed") {
    return (
      <main className="app-main">
        <ErrorNotice error={checked.error} onRetry={() => setAttempt((n) => n + 1)} />
      </main>
    );
  }
  const { caller } = checked;
  const session: Session = {
    token,
    caller,
    api,
    can: (capability) => roleCan(caller.role, capability),
    signOut,
  };
  return (
    <SessionContext.Provider value={session}>
      <RouterProvider router={router} />
    </SessionContext.Provider>
  );
}

function Shell() {
  const session = useSession();
  const t = useT();
  return (
    <>
      <header className="app-header">
        <span className="app-header__brand">Boomerang</span>
        <nav aria-label={t("app.nav.label")} className="app-nav">
          {navFor(session).map((item) => (
            <NavLink key={item.to} to={item.to} className="app-nav__link">
              {t(item.label)}
            </NavLink>
          ))}
        </nav>
        <span className="app-header__who">
          {session.caller.name} <span className="badge">{t(`app.role.${session.caller.role}`)}</span>
        </span>
        <LanguagePicker />
        <button type="button" className="button--secondary" onClick={() => session.signOut()}>
          {t("app.sign-out")}
        </button>
      </header>
      <main className="app-main">
        <Outlet />
      </main>
    </>
  );
}

function NoPage() {
  return <p className="notice">{useT()("app.no-page")}</p>;
}

/** `/` opens the first section the role may use. */
function Home() {
  const home = navFor(useSession())[0]?.to ?? "/settings";
  return <Navigate to={home} replace />;
}
