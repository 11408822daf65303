import { act, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, routedFetch } from "../test/fixtures";
import { formatWhen } from "./journey-format";
import { REFRESH_EVERY_MS } from "./journey-page";
import { renderJourneys, requestsOf } from "../test/render-journeys";

const ID = "journey:aut_1:cart_abc";
const PAGE = `/journeys/${encodeURIComponent(ID)}`;
const API = "/api/v1/journeys/journey%3Aaut_1%3Acart_abc";
const NOW = new Date("2024-01-15T15:00:00Z");

function journey(overrides: Record<string, unknown> = {}) {
  return {
    id: ID,
    automation_id: "aut_1",
    automation_name: "Three reminders",
    automation_version: 3,
    cart_id: "cart_abc",
    status: "running",
    outcome: null,
    current_step: "wait-2",
    started_at: "2024-01-15T14:30:00Z",
    closed_at: null,
    paused: false,
    next_wake_up: "2024-01-15T16:59:00Z",
    waiting_for: null,
    variants: { "subject-test": "urgency" },
    recovered_via: null,
    steps: [
      { step_id: "wait-1", type: "wait", at: "2024-01-15T14:31:00Z", detail: {} },
      {
        step_id: "email-1",
        type: "action",
        at: "2024-01-15T14:31:01Z",
        detail: { status: "sent", message_id: "msg_42" },
      },
      { step_id: "subject-test", type: "ab_split", at: "2024-01-15T14:31:02Z", detail: { variant: "urgency" } },
    ],
    ...overrides,
  };
}

function fact(term: string): HTMLElement {
  const dt = screen.getByText(term, { selector: "dt" });
  return dt.nextElementSibling as HTMLElement;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("JourneyPage", () => {
  it("shows where the journey stands and what it did", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    vi.stubGlobal("fetch", vi.fn(routedFetch({ [`GET ${API}`]: journey() })));
    renderJourneys(PAGE);

    expect(await screen.findByRole("link", { name: "Three reminders" })).toHaveAttribute("href", "/automations/aut_1");
    expect(fact("Automation")).toHaveTextContent("version 3");
    expect(fact("Status")).toHaveTextContent("running");
    expect(fact("Current step")).toHaveTextContent("wait-2");
    expect(fact("Next wake-up")).toHaveTextContent(formatWhen("2024-01-15T16:59:00Z"));
    expect(fact("Next wake-up")).toHaveTextContent("(in 1 h 59 min)");
    expect(fact("A/B variant")).toHaveTextContent("subject-test: urgency");
    const steps = within(screen.getByRole("list", { name: "Steps done" })).getAllByRole("listitem");
    expect(steps.map((step) => step.textContent)).toEqual([
      expect.stringContaining("wait-1Waited until the set time"),
      expect.stringContaining("email-1Action sent (message id: msg_42)"),
      expect.stringContaining("subject-testChose variant urgency"),
    ]);
    expect(screen.getByText(/Last refreshed at/)).toBeInTheDocument();
  });

  it("pauses the journey after confirmation, then shows it paused", async () => {
    const answers = [journey(), journey({ paused: true })];
    const fetchMock = vi.fn(
      routedFetch({
        [`GET ${API}`]: () => jsonResponse(answers.shift()),
        [`POST ${API}/pause`]: { status: "paused", changed: true, outcome: null },
      }),
    );
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys(PAGE);

    fireEvent.click(await screen.findByRole("button", { name: "Pause journey" }));
    const dialog = screen.getByRole("dialog", { name: "Pause this journey?" });
    expect(requestsOf(fetchMock)).not.toContain(`POST ${API}/pause`);
    fireEvent.click(within(dialog).getByRole("button", { name: "Pause" }));

    expect(await screen.findByText("Journey paused.")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(await screen.findByText("paused", { selector: ".badge" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Pause journey" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Resume journey" })).toBeEnabled();
    expect(requestsOf(fetchMock)).toEqual([`GET ${API}`, `POST ${API}/pause`, `GET ${API}`]);
  });

  it("does nothing when the confirmation is dismissed", async () => {
    const fetchMock = vi.fn(routedFetch({ [`GET ${API}`]: journey() }));
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys(PAGE);

    fireEvent.click(await screen.findByRole("button", { name: "Pause journey" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Cancel" }));

    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(requestsOf(fetchMock)).toEqual([`GET ${API}`]);
  });

  it("cancels with the reason typed in the dialog", async () => {
    let sent: unknown = null;
    const fetchMock = vi.fn(
      routedFetch({
        [`GET ${API}`]: journey(),
        [`POST ${API}/cancel`]: (request: Request) => {
          sent = request.json();
          return jsonResponse({ status: "finished", changed: true, outcome: "cancelled" });
        },
      }),
    );
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys(PAGE);

    fireEvent.click(await screen.findByRole("button", { name: "Cancel journey" }));
    const dialog = screen.getByRole("dialog", { name: "Cancel this journey for good?" });
    fireEvent.change(within(dialog).getByLabelText("Reason (optional)"), { target: { value: "asked by phone" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel journey" }));

    expect(await screen.findByText("Journey cancelled.")).toBeInTheDocument();
    expect(await sent).toEqual({ reason: "asked by phone" });
  });

  it("keeps the dialog open with the API's message when a command is refused", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        routedFetch({
          [`GET ${API}`]: journey(),
          [`POST ${API}/pause`]: () =>
            jsonResponse({ code: "conflict", message: "journey has already ended (purchased)" }, 409),
        }),
      ),
    );
    renderJourneys(PAGE);

    fireEvent.click(await screen.findByRole("button", { name: "Pause journey" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Pause" }));

    const dialog = screen.getByRole("dialog");
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("journey has already ended (purchased)");
  });

  it.each([
    ["running", journey(), { pause: true, resume: false, cancel: true }],
    ["paused", journey({ paused: true }), { pause: false, resume: true, cancel: true }],
    [
      "finished",
      journey({ status: "completed", outcome: "purchased", current_step: null, next_wake_up: null }),
      { pause: false, resume: false, cancel: false },
    ],
  ])("enables only the controls that apply to a %s journey", async (_state, answer, enabled) => {
    vi.stubGlobal("fetch", vi.fn(routedFetch({ [`GET ${API}`]: answer })));
    renderJourneys(PAGE);

    const pause = await screen.findByRole("button", { name: "Pause journey" });
    expect(pause.hasAttribute("disabled")).toBe(!enabled.pause);
    expect(screen.getByRole("button", { name: "Resume journey" }).hasAttribute("disabled")).toBe(!enabled.resume);
    expect(screen.getByRole("button", { name: "Cancel journey" }).hasAttribute("disabled")).toBe(!enabled.cancel);
  });

  it("refreshes while the journey runs and stops once it ended", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const answers = [journey(), journey({ status: "completed", outcome: "purchased", current_step: null })];
    const fetchMock = vi.fn(routedFetch({ [`GET ${API}`]: () => jsonResponse(answers.shift() ?? journey()) }));
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys(PAGE);
    expect(await screen.findByText(/refreshes every few seconds/)).toBeInTheDocument();

    await act(() => vi.advanceTimersByTimeAsync(REFRESH_EVERY_MS));

    expect(await screen.findByText("Outcome: purchased")).toBeInTheDocument();
    expect(screen.queryByText(/refreshes every few seconds/)).not.toBeInTheDocument();
    await act(() => vi.advanceTimersByTimeAsync(REFRESH_EVERY_MS * 3));
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("says when the journey does not exist", async () => {
    vi.stubGlobal("fetch", vi.fn(routedFetch({})));
    renderJourneys(PAGE);

    expect(await screen.findByRole("alert")).toHaveTextContent("no such stub");
  });

  it("shows nothing of a journey to a role that cannot operate journeys", () => {
    const fetchMock = vi.fn(routedFetch({}));
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys(PAGE, "marketer");

    expect(screen.getByRole("alert")).toHaveTextContent("support and admin");
    expect(screen.queryByRole("button", { name: "Pause journey" })).not.toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
