import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { renderSignedIn } from "../test/render-signed-in";
import { automationOverview, jsonResponse, routedFetch } from "../test/fixtures";
import { LanguageProvider } from "../i18n/i18n";
import { PresetGallery } from "./preset-gallery";

type Preset = Schemas["PresetPublic"];

const THREE_STEP: Preset = {
  key: "three-step",
  name: "Abandoned cart — three-step sequence",
  category: "abandoned_cart",
  description: "A gentle reminder after 1 hour, then two discount codes.",
  what_it_does: ["1 hour after abandonment: a gentle reminder", "Then marks the cart lost"],
  trigger: "cart_abandoned",
  templates: ["cart-reminder", "cart-discount"],
  definition: {},
  installed: [],
};
const REVIEW: Preset = {
  key: "review-request",
  name: "Post-purchase — review request",
  category: "post_purchase",
  description: "Asks for a review 7 days after delivery.",
  what_it_does: ["Waits 7 days after the order was delivered"],
  trigger: "order_delivered",
  templates: ["review-request"],
  definition: {},
  installed: ["aut_review"],
};
const REVIEW_AUTOMATION = automationOverview({
  id: "aut_review",
  name: "My review request",
  status: "active",
  preset: "review-request",
});
const INSTALLED = { ...REVIEW_AUTOMATION, id: "aut_new", name: THREE_STEP.name, status: "inactive" };

function stubApi(routes: Parameters<typeof routedFetch>[0]) {
  const requests: Request[] = [];
  const answer = routedFetch(routes);
  vi.stubGlobal(
    "fetch",
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      requests.push(request);
      return answer(request);
    }),
  );
  return (method: string, path: string) =>
    requests.filter((r) => r.method === method && new URL(r.url).pathname === path);
}

function showGallery(role: Schemas["Role"] = "marketer") {
  return renderSignedIn(<PresetGallery />, { role, path: "/presets" });
}

describe("PresetGallery", () => {
  it("shows each preset as a card in its category, with what it does and where it is installed", async () => {
    stubApi({ "GET /api/v1/presets": [THREE_STEP, REVIEW], "GET /api/v1/automations": [REVIEW_AUTOMATION] });
    showGallery();

    const cartGroup = await screen.findByRole("region", { name: "Abandoned cart" });
    const card = within(cartGroup).getByRole("article", { name: THREE_STEP.name });
    expect(within(card).getByRole("heading", { name: THREE_STEP.name })).toBeInTheDocument();
    expect(card).toHaveTextContent("A gentle reminder after 1 hour, then two discount codes.");
    expect(within(card).getAllByRole("listitem").map((li) => li.textContent)).toEqual(THREE_STEP.what_it_does);
    expect(card).toHaveTextContent("Cart abandoned");
    expect(card).toHaveTextContent("cart-reminder, cart-discount");
    expect(card).not.toHaveTextContent("Installed");

    const orderGroup = screen.getByRole("region", { name: "Post-purchase" });
    const review = within(orderGroup).getByRole("article", { name: REVIEW.name });
    expect(review).toHaveTextContent("Installed");
    expect(await within(review).findByRole("link", { name: "My review request" })).toHaveAttribute(
      "href",
      "/automations/aut_review",
    );
  });

  it("installs in one click, then activates from the card", async () => {
    const sent = stubApi({
      "GET /api/v1/presets": [THREE_STEP],
      "GET /api/v1/automations": [],
      "POST /api/v1/presets/three-step/install": () => jsonResponse(INSTALLED, 201),
      "POST /api/v1/automations/aut_new/activate": {
        automation: { ...INSTALLED, status: "active" },
        journeys: null,
      },
    });
    showGallery();

    fireEvent.click(await screen.findByRole("button", { name: `Install ${THREE_STEP.name}` }));

    const card = screen.getByRole("article", { name: THREE_STEP.name });
    expect(await within(card).findByText(/It is inactive: nothing is sent until you activate it/)).toBeInTheDocument();
    expect(within(card).getByRole("link", { name: "Open" })).toHaveAttribute("href", "/automations/aut_new");
    // The gallery reloads, so the card learns it is installed.
    await waitFor(() => expect(sent("GET", "/api/v1/presets")).toHaveLength(2));

    fireEvent.click(within(card).getByRole("button", { name: "Activate now" }));

    expect(await within(card).findByText(/is active: new journeys start from now on/)).toBeInTheDocument();
    expect(sent("POST", "/api/v1/presets/three-step/install")).toHaveLength(1);
    expect(sent("POST", "/api/v1/automations/aut_new/activate")).toHaveLength(1);
  });

  it("shows why an install failed on the card", async () => {
    stubApi({
      "GET /api/v1/presets": [THREE_STEP],
      "GET /api/v1/automations": [],
      "POST /api/v1/presets/three-step/install": () =>
        jsonResponse({ code: "invalid", message: "no template named 'cart-reminder'" }, 422),
    });
    showGallery();

    fireEvent.click(await screen.findByRole("button", { name: `Install ${THREE_STEP.name}` }));

    const card = screen.getByRole("article", { name: THREE_STEP.name });
    expect(await within(card).findByRole("alert")).toHaveTextContent("no template named 'cart-reminder'");
    expect(within(card).getByRole("button", { name: `Install ${THREE_STEP.name}` })).toBeEnabled();
  });

  it("shows loading, then a failed load with a retry", async () => {
    let calls = 0;
    stubApi({
      "GET /api/v1/presets": () =>
        ++calls === 1 ? jsonResponse({ message: "Service unavailable" }, 503) : jsonResponse([THREE_STEP]),
      "GET /api/v1/automations": [],
    });
    showGallery();

    expect(screen.getByRole("status")).toHaveTextContent("Loading presets…");
    expect(await screen.findByRole("alert")).toHaveTextContent("Service unavailable");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));

    expect(await screen.findByRole("article", { name: THREE_STEP.name })).toBeInTheDocument();
  });

  it("tells a role without presets that it cannot install them, without asking the API", () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    showGallery("support");

    expect(screen.getByText("Your role cannot install presets.")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("PresetGallery in Korean", () => {
  it("speaks Korean around the server's own preset names and descriptions", async () => {
    stubApi({ "GET /api/v1/presets": [THREE_STEP, REVIEW], "GET /api/v1/automations": [REVIEW_AUTOMATION] });
    renderSignedIn(
      <LanguageProvider initial="ko">
        <PresetGallery />
      </LanguageProvider>,
      { role: "marketer", path: "/presets" },
    );

    expect(await screen.findByRole("heading", { level: 1, name: "프리셋" })).toBeInTheDocument();
    const cartGroup = await screen.findByRole("region", { name: "장바구니 이탈" });
    const card = within(cartGroup).getByRole("article", { name: THREE_STEP.name });
    expect(card).toHaveTextContent("A gentle reminder after 1 hour, then two discount codes.");
    expect(within(card).getByText("트리거")).toBeInTheDocument();
    expect(within(card).getByText("장바구니 이탈")).toBeInTheDocument();
    expect(within(card).getByLabelText("이름(선택)")).toBeInTheDocument();
    expect(within(card).getByRole("button", { name: `설치: ${THREE_STEP.name}` })).toHaveTextContent("설치");

    const review = within(screen.getByRole("region", { name: "구매 후" })).getByRole("article", { name: REVIEW.name });
    expect(review).toHaveTextContent("설치됨");
    expect(await within(review).findByText("활성")).toBeInTheDocument();
    expect(screen.queryByText(/^(Presets|Abandoned cart|Post-purchase|Trigger|Templates|Install|Cart abandoned)$/)).not.toBeInTheDocument();
  });
});
