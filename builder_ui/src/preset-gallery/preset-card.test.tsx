import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { renderSignedIn } from "../test/render-signed-in";
import { jsonResponse } from "../test/fixtures";
import { PresetCard } from "./preset-card";

const PRESET: Schemas["PresetPublic"] = {
  key: "three-step",
  name: "Abandoned cart — three-step sequence",
  category: "abandoned_cart",
  description: "A gentle reminder after 1 hour, then two discount codes.",
  what_it_does: ["1 hour after abandonment: a gentle reminder"],
  trigger: "cart_abandoned",
  templates: ["cart-reminder"],
  definition: {},
  installed: [],
};
const INSTALL_PATH = "/api/v1/presets/three-step/install";

function installedNamed(name: string): Schemas["AutomationPublic"] {
  return {
    id: "aut_new",
    name,
    status: "inactive",
    version: 1,
    definition: {},
    draft: null,
    preset: PRESET.key,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
  };
}

/** Answers the install with `answer`; returns the name each install request sent (if any). */
function stubInstall(answer: (sentName: string | undefined) => Response) {
  const sentNames: (string | undefined)[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      if (request.method !== "POST" || new URL(request.url).pathname !== INSTALL_PATH) {
        return jsonResponse({ code: "not_found", message: "no such stub" }, 404);
      }
      const text = await request.text();
      const sent = text === "" ? undefined : (JSON.parse(text) as Schemas["PresetInstall"] | null);
      const name = sent?.name ?? undefined;
      sentNames.push(name);
      return answer(name);
    }),
  );
  return sentNames;
}

function showCard() {
  const onChanged = vi.fn();
  renderSignedIn(<PresetCard preset={PRESET} installedAs={[]} onChanged={onChanged} />, { path: "/presets" });
  return { onChanged, nameField: screen.getByLabelText("Name (optional)") };
}

describe("PresetCard", () => {
  it("offers an empty name field with the preset's name as its placeholder", () => {
    stubInstall(() => jsonResponse(installedNamed(PRESET.name), 201));
    const { nameField } = showCard();

    expect(nameField).toHaveValue("");
    expect(nameField).toHaveAttribute("placeholder", PRESET.name);
  });

  // Submitting from the field is what Enter does in a browser (tests/ui presses the real key).
  it("installs under the typed name, trimmed, when submitted from the field", async () => {
    const sentNames = stubInstall((name) => jsonResponse(installedNamed(name ?? PRESET.name), 201));
    const { nameField, onChanged } = showCard();

    fireEvent.change(nameField, { target: { value: "  Three reminders (EU shop)  " } });
    fireEvent.submit(nameField);

    expect(await screen.findByText(/Installed “Three reminders \(EU shop\)”/)).toBeInTheDocument();
    expect(sentNames).toEqual(["Three reminders (EU shop)"]);
    expect(onChanged).toHaveBeenCalledOnce();
    // The next install starts from the preset's default again.
    expect(nameField).toHaveValue("");
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
  ])("sends no name when the field is %s, so the API names it after the preset", async (_, typed) => {
    const sentNames = stubInstall((name) => jsonResponse(installedNamed(name ?? PRESET.name), 201));
    const { nameField } = showCard();

    fireEvent.change(nameField, { target: { value: typed } });
    fireEvent.click(screen.getByRole("button", { name: `Install ${PRESET.name}` }));

    expect(await screen.findByText(`Installed “${PRESET.name}”.`, { exact: false })).toBeInTheDocument();
    expect(sentNames).toEqual([undefined]);
  });

  it("shows the API's refusal of a name on the card and keeps the name to correct it", async () => {
    const tooLong = "x".repeat(201);
    stubInstall(() =>
      jsonResponse(
        {
          code: "invalid_request",
          message: "name: String should have at most 200 characters",
          problems: [{ field: "name", message: "String should have at most 200 characters" }],
        },
        422,
      ),
    );
    const { nameField, onChanged } = showCard();

    fireEvent.change(nameField, { target: { value: tooLong } });
    fireEvent.submit(nameField);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("name: String should have at most 200 characters");
    expect(nameField).toHaveValue(tooLong);
    expect(nameField).toHaveAttribute("aria-invalid", "true");
    expect(nameField).toHaveAccessibleDescription("name: String should have at most 200 characters");
    expect(screen.getByRole("button", { name: `Install ${PRESET.name}` })).toBeEnabled();
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("shows any other install problem on the card without blaming the name", async () => {
    stubInstall(() => jsonResponse({ code: "unavailable", message: "Temporal cannot be reached" }, 503));
    const { nameField } = showCard();

    fireEvent.change(nameField, { target: { value: "Spring sale" } });
    fireEvent.submit(nameField);

    expect(await screen.findByRole("alert")).toHaveTextContent("Temporal cannot be reached");
    expect(nameField).not.toHaveAttribute("aria-invalid");
  });
});
