import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { routedFetch } from "../test/fixtures";
import { renderSignedIn } from "../test/render-signed-in";
import { AutomationsList } from "./automations-list";

const NOTE = /Only customers who accept marketing enter automations/;

function show(requireConsent: boolean, role: Schemas["Role"] = "marketer") {
  const routes = {
    "GET /api/v1/automations": [],
    "GET /api/v1/settings/enrolment": { require_marketing_consent: requireConsent },
  };
  vi.stubGlobal("fetch", vi.fn(routedFetch(routes)));
  return renderSignedIn(<AutomationsList />, { role, path: "/automations" });
}

afterEach(() => vi.unstubAllGlobals());

describe("The marketing consent note above the automations", () => {
  it("says only customers who accept marketing enter, when the shop requires it", async () => {
    show(true);

    expect(await screen.findByRole("note")).toHaveTextContent(NOTE);
    expect(screen.getByRole("note")).toHaveTextContent("a shop setting an admin changes");
  });

  it("links admins to the setting", async () => {
    show(true, "admin");

    const note = await screen.findByRole("note");
    expect(note).toHaveTextContent(NOTE);
    expect(screen.getByRole("link", { name: "Settings" })).toHaveAttribute("href", "/settings");
  });
});
