/** Test support for the flow editor: jsdom stand-ins React Flow needs, and a signed-in render. */
import type { ReactElement } from "react";
import { vi } from "vitest";
import type { Role } from "../api/client";
import { renderInRouter } from "./render-in-router";
import { testSession } from "./session";

/**
 * jsdom has no layout: React Flow measures nodes with ResizeObserver and offset sizes, reads
 * the zoom from a DOMMatrixReadOnly and asks SVG text for its box. Call in `beforeEach`
 * (vitest unstubs globals after each test).
 */
export function stubReactFlowDom(): void {
  class ResizeObserverStub {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback([{ target } as ResizeObserverEntry], this as unknown as ResizeObserver);
    }
    unobserve() {}
    disconnect() {}
  }
  class DOMMatrixReadOnlyStub {
    readonly m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
      this.m22 = scale === undefined ? 1 : Number(scale);
    }
  }
  vi.stubGlobal("ResizeObserver", ResizeObserverStub);
  vi.stubGlobal("DOMMatrixReadOnly", DOMMatrixReadOnlyStub);
  Object.defineProperties(HTMLElement.prototype, {
    offsetHeight: { configurable: true, get: () => 64 },
    offsetWidth: { configurable: true, get: () => 240 },
  });
  Object.defineProperty(SVGElement.prototype, "getBBox", {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 40, height: 16 }),
  });
}

export const sessionFor = testSession;

/** Renders `page` at `/automations/:automationId` for a token of `role`; `/automations` is "The list". */
export function renderEditorPage(page: ReactElement, { role = "marketer", automationId = "aut_1" }: { role?: Role; automationId?: string } = {}) {
  return renderInRouter(
    [
      { path: "/automations/:automationId", element: page },
      { path: "/automations", element: <p>The list</p> },
    ],
    { at: `/automations/${automationId}`, session: sessionFor(role) },
  );
}
