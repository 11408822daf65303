/**
 * Renders routes signed in, inside a memory *data* router as the app uses (a hash one): hooks
 * such as `useBlocker` throw under a plain `<MemoryRouter>`. The router is returned so a test
 * can go Back (`router.navigate(-1)`) or read where a navigation went.
 */
import { render } from "@testing-library/react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { SessionContext, type Session } from "../session/session";

export function renderInRouter(routes: RouteObject[], { at, session }: { at: string; session: Session }) {
  const router = createMemoryRouter(routes, { initialEntries: [at] });
  const view = render(
    <SessionContext.Provider value={session}>
      <RouterProvider router={router} />
    </SessionContext.Provider>,
  );
  return { ...view, router };
}
