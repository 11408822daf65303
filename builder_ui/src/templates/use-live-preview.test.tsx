import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApi } from "../api/client";
import { jsonResponse, routedFetch } from "../test/fixtures";
import { MJML, preview } from "../test/template-fixtures";
import { PREVIEW_DELAY_MS, useLivePreview } from "./use-live-preview";

function content(subject: string) {
  return { subject, mjml: MJML, text: "" };
}

describe("useLivePreview", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("renders once the source has been still for the delay, not on every keystroke", async () => {
    const fetchMock = vi.fn(
      routedFetch({ "POST /api/v1/templates/cart-reminder/preview": () => jsonResponse(preview("<p>ok</p>")) }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const api = createApi("tok_test"); // after the stub: the client keeps the fetch it finds
    const { result, rerender } = renderHook(({ subject }) => useLivePreview(api, "cart-reminder", content(subject)), {
      initialProps: { subject: "H" },
    });

    rerender({ subject: "Hi" });
    rerender({ subject: "Hi J" });
    await act(() => vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS - 1));
    expect(fetchMock).not.toHaveBeenCalled();
    expect(result.current.updating).toBe(true);

    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(await request.json()).toMatchObject({ content: { subject: "Hi J" } });
    await act(() => vi.runAllTimersAsync());
    expect(result.current.preview?.html).toBe("<p>ok</p>");
    expect(result.current.updating).toBe(false);
  });

  it("keeps the last good preview and reports the problems when the source breaks", async () => {
    let broken = false;
    vi.stubGlobal(
      "fetch",
      vi.fn(
        routedFetch({
          "POST /api/v1/templates/cart-reminder/preview": () =>
            broken
              ? jsonResponse(
                  { code: "invalid_template", message: "x", problems: [{ field: "content.mjml", message: "line 3: oops", line: 3 }] },
                  422,
                )
              : jsonResponse(preview("<p>good</p>")),
        }),
      ),
    );
    const api = createApi("tok_test");
    const { result, rerender } = renderHook(({ subject }) => useLivePreview(api, "cart-reminder", content(subject)), {
      initialProps: { subject: "Hi" },
    });
    await act(() => vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS + 10));

    broken = true;
    rerender({ subject: "Hi again" });
    await act(() => vi.advanceTimersByTimeAsync(PREVIEW_DELAY_MS + 10));

    expect(result.current.preview?.html).toBe("<p>good</p>");
    expect(result.current.problems).toEqual([{ part: "mjml", line: 3, message: "oops" }]);
  });
});
