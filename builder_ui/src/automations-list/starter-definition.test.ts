import { describe, expect, it } from "vitest";
import { translate, type Translate } from "../i18n/i18n";
import { starterDefinition, starterTemplate, triggerLabel } from "./starter-definition";

describe("starterDefinition", () => {
  it("waits an hour, then sends the template that fits the trigger", () => {
    expect(starterDefinition("Win back", "cart_abandoned", ["cart-reminder", "cart-discount"])).toEqual({
      name: "Win back",
      trigger: { event: "cart_abandoned", filters: null },
      exit_on: ["order_placed", "cart_recovered", "unsubscribed"],
      steps: [
        { id: "wait-1", type: "wait", duration: "1h" },
        { id: "email-1", type: "action", action: "send_email", params: { template: "cart-reminder" } },
      ],
    });
  });

  it("does not end an order's journey when the customer orders again", () => {
    const definition = starterDefinition("Ship", "order_fulfilled", ["shipping-update"]);
    expect(definition.exit_on).toEqual(["order_cancelled", "unsubscribed"]);
    expect(definition.steps[1]).toMatchObject({ params: { template: "shipping-update" } });
  });

  it("only waits when no template is published, so it still validates", () => {
    expect(starterDefinition("Empty", "order_paid", []).steps).toEqual([
      { id: "wait-1", type: "wait", duration: "1h" },
    ]);
  });
});

describe("starterTemplate", () => {
  it("falls back to the first published template, or the natural one when unknown", () => {
    expect(starterTemplate("order_delivered", ["my-own", "other"])).toBe("my-own");
    expect(starterTemplate("order_delivered", null)).toBe("review-request");
  });
});

describe("triggerLabel", () => {
  const english: Translate = (key, params) => translate("en", key, params);
  const korean: Translate = (key, params) => translate("ko", key, params);

  it("reads as words, in the reader's language", () => {
    expect(triggerLabel("cart_abandoned", english)).toBe("Cart abandoned");
    expect(triggerLabel("cart_abandoned", korean)).toBe("장바구니 이탈");
  });

  it("humanises a trigger it does not know", () => {
    expect(triggerLabel("cart_updated", korean)).toBe("Cart updated");
  });
});
