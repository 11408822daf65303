import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { automationOverview, jsonResponse, routedFetch } from "../test/fixtures";
import { LanguageProvider } from "../i18n/i18n";
import { AutomationsList } from "./automations-list";
import { renderSignedIn } from "../test/render-signed-in";

const THREE = automationOverview({
  id: "aut_three",
  name: "Abandoned cart — three reminders",
  status: "active",
  version: 3,
  draft: { name: "wip" },
  running_journeys: 7,
  emails_sent_30d: 120,
  recoveries_30d: 9,
});
const REVIEW = automationOverview({
  id: "aut_review",
  name: "Review request",
  definition: { trigger: { event: "order_delivered" } },
});

/** Routes the stubbed fetch answers, and every request it got (bodies still unread). */
function stubApi(routes: Parameters<typeof routedFetch>[0]) {
  const requests: Request[] = [];
  const answer = routedFetch(routes);
  vi.stubGlobal(
    "fetch",
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      requests.push(request.clone());
      return answer(request);
    }),
  );
  const sent = (method: string, path: string) =>
    requests.filter((r) => r.method === method && new URL(r.url).pathname === path);
  return { requests, sent };
}

function showList(role: Schemas["Role"] = "marketer") {
  return renderSignedIn(<AutomationsList />, { role, path: "/automations" });
}

async function rowOf(name: string) {
  const table = await screen.findByRole("table", { name: "Automations" });
  const cell = within(table).getByRole("rowheader", { name });
  return cell.closest("tr") as HTMLTableRowElement;
}

describe("AutomationsList", () => {
  it("lists each automation with its status, version, trigger and numbers", async () => {
    stubApi({ "GET /api/v1/automations": [THREE, REVIEW] });
    showList();

    const row = within(await rowOf(THREE.name));
    expect(row.getByRole("link", { name: THREE.name })).toHaveAttribute("href", "/automations/aut_three");
    expect(row.getByText("Active")).toBeInTheDocument();
    expect(row.getByText("v3")).toBeInTheDocument();
    expect(row.getByText("draft")).toBeInTheDocument();
    expect(row.getByText("Cart abandoned")).toBeInTheDocument();
    expect(row.getByText("7")).toBeInTheDocument();
    expect(row.getByText("120")).toBeInTheDocument();
    expect(row.getByText("9")).toBeInTheDocument();

    const review = within(await rowOf(REVIEW.name));
    expect(review.getByText("Inactive")).toBeInTheDocument();
    expect(review.getByText("Order delivered")).toBeInTheDocument();
    expect(review.queryByText("draft")).not.toBeInTheDocument();
  });

  it("says the running count is unknown when Temporal cannot be reached", async () => {
    stubApi({ "GET /api/v1/automations": [automationOverview({ id: "a", name: "Down", running_journeys: null })] });
    showList();

    expect(within(await rowOf("Down")).getByText("unknown")).toBeInTheDocument();
  });

  it("offers a marketer every action that fits each automation's status", async () => {
    stubApi({ "GET /api/v1/automations": [THREE, REVIEW] });
    showList();

    const active = within(await rowOf(THREE.name));
    expect(active.getByRole("button", { name: `Deactivate ${THREE.name}` })).toBeInTheDocument();
    expect(active.getByRole("button", { name: `Duplicate ${THREE.name}` })).toBeInTheDocument();
    expect(active.queryByRole("button", { name: `Activate ${THREE.name}` })).not.toBeInTheDocument();
    expect(active.queryByRole("button", { name: `Archive ${THREE.name}` })).not.toBeInTheDocument();

    const inactive = within(await rowOf(REVIEW.name));
    expect(inactive.getByRole("button", { name: `Activate ${REVIEW.name}` })).toBeInTheDocument();
    expect(inactive.getByRole("button", { name: `Archive ${REVIEW.name}` })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "New automation" })).toBeInTheDocument();
  });

  it("shows support the list with Deactivate only", async () => {
    stubApi({ "GET /api/v1/automations": [THREE, REVIEW] });
    showList("support");

    await rowOf(THREE.name);
    const buttons = within(screen.getByRole("table", { name: "Automations" })).getAllByRole("button");
    expect(buttons.map((b) => b.getAttribute("aria-label"))).toEqual([`Deactivate ${THREE.name}`]);
    expect(screen.queryByRole("button", { name: "New automation" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Browse presets" })).not.toBeInTheDocument();
  });

  it("deactivates with the chosen fate for running journeys and reports what happened", async () => {
    const { sent } = stubApi({
      "GET /api/v1/automations": [THREE],
      "POST /api/v1/automations/aut_three/deactivate": {
        automation: { ...THREE, status: "inactive" },
        journeys: {
          command: "pause",
          changed: 6,
          unchanged: 0,
          failed: [{ journey_id: "j1", reason: "it has ended" }],
        },
      },
    });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: `Deactivate ${THREE.name}` }));
    const dialog = screen.getByRole("dialog", { name: `Deactivate “${THREE.name}”?` });
    expect(dialog).toHaveTextContent("7 journeys are running.");
    expect(within(dialog).getByLabelText(/Let them finish/)).toBeChecked();
    fireEvent.click(within(dialog).getByLabelText(/Pause them/));
    fireEvent.click(within(dialog).getByRole("button", { name: "Deactivate" }));

    expect(await screen.findByRole("status")).toHaveTextContent(
      "is inactive. 6 journeys paused; 1 journey could not be paused (it has ended).",
    );
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    const [request] = sent("POST", "/api/v1/automations/aut_three/deactivate");
    expect(await request?.json()).toEqual({ running: "pause" });
    await waitFor(() => expect(sent("GET", "/api/v1/automations")).toHaveLength(2));
  });

  it("keeps the deactivate dialog open with the API's message when it fails", async () => {
    const { sent } = stubApi({
      "GET /api/v1/automations": [THREE],
      "POST /api/v1/automations/aut_three/deactivate": () =>
        jsonResponse({ code: "unavailable", message: "Temporal cannot be reached" }, 503),
    });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: `Deactivate ${THREE.name}` }));
    const dialog = screen.getByRole("dialog");
    fireEvent.click(within(dialog).getByLabelText(/Cancel them/));
    fireEvent.click(within(dialog).getByRole("button", { name: "Deactivate" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Temporal cannot be reached");
    // The API stops enrolments before it reaches Temporal: the list shows the new status.
    await waitFor(() => expect(sent("GET", "/api/v1/automations")).toHaveLength(2));
  });

  it("activates at once when nothing is running", async () => {
    const { sent } = stubApi({
      "GET /api/v1/automations": [REVIEW],
      "POST /api/v1/automations/aut_review/activate": {
        automation: { ...REVIEW, status: "active" },
        journeys: null,
      },
    });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: `Activate ${REVIEW.name}` }));

    expect(await screen.findByRole("status")).toHaveTextContent("“Review request” is active.");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(await sent("POST", "/api/v1/automations/aut_review/activate")[0]?.json()).toEqual({
      resume_journeys: false,
    });
  });

  it("offers to resume paused journeys when activating one that still has journeys", async () => {
    const paused = { ...REVIEW, running_journeys: 4 };
    const { sent } = stubApi({
      "GET /api/v1/automations": [paused],
      "POST /api/v1/automations/aut_review/activate": {
        automation: { ...REVIEW, status: "active" },
        journeys: { command: "resume", changed: 3, unchanged: 1, failed: [] },
      },
    });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: `Activate ${REVIEW.name}` }));
    const dialog = screen.getByRole("dialog", { name: `Activate “${REVIEW.name}”?` });
    fireEvent.click(within(dialog).getByLabelText("Also resume its paused journeys"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Activate" }));

    expect(await screen.findByRole("status")).toHaveTextContent("3 journeys resumed, 1 already was.");
    expect(await sent("POST", "/api/v1/automations/aut_review/activate")[0]?.json()).toEqual({
      resume_journeys: true,
    });
  });

  it("duplicates and links to the copy", async () => {
    stubApi({
      "GET /api/v1/automations": [THREE],
      "POST /api/v1/automations/aut_three/duplicate": () =>
        jsonResponse({ ...THREE, id: "aut_copy", name: "Copy of three", status: "inactive" }, 201),
    });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: `Duplicate ${THREE.name}` }));

    expect(await screen.findByRole("status")).toHaveTextContent("Copied as “Copy of three” (inactive).");
    expect(screen.getByRole("link", { name: "Open Copy of three" })).toHaveAttribute(
      "href",
      "/automations/aut_copy",
    );
  });

  it("archives after confirming, and shows a refusal in the dialog", async () => {
    stubApi({
      "GET /api/v1/automations": [REVIEW],
      "POST /api/v1/automations/aut_review/archive": () =>
        jsonResponse({ code: "active", message: "automation 'Review request' is active" }, 409),
    });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: `Archive ${REVIEW.name}` }));
    const dialog = screen.getByRole("dialog", { name: `Archive “${REVIEW.name}”?` });
    fireEvent.click(within(dialog).getByRole("button", { name: "Archive" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("is active");
  });

  it("asks for archived ones too when Show archived is ticked", async () => {
    const { sent } = stubApi({ "GET /api/v1/automations": [THREE] });
    showList();
    await rowOf(THREE.name);

    fireEvent.click(screen.getByLabelText("Show archived"));

    await waitFor(() => expect(sent("GET", "/api/v1/automations")).toHaveLength(2));
    const last = sent("GET", "/api/v1/automations")[1];
    expect(new URL(last?.url ?? "").searchParams.get("include_archived")).toBe("true");
  });

  it("points an empty list to the preset gallery", async () => {
    stubApi({ "GET /api/v1/automations": [] });
    showList();

    expect(await screen.findByText("No automations yet.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Start from a preset" })).toHaveAttribute("href", "/presets");
  });

  it("shows a failed load with a retry that loads again", async () => {
    let calls = 0;
    stubApi({
      "GET /api/v1/automations": () =>
        ++calls === 1
          ? jsonResponse({ code: "internal", message: "The database is not answering" }, 500)
          : jsonResponse([THREE]),
    });
    showList();

    expect(await screen.findByRole("alert")).toHaveTextContent("The database is not answering");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));

    expect(await rowOf(THREE.name)).toBeInTheDocument();
  });

  it("creates a new automation from a name and a trigger, then opens its editor", async () => {
    const { sent } = stubApi({
      "GET /api/v1/automations": [],
      "GET /api/v1/catalog": {
        triggers: ["cart_abandoned", "order_paid"],
        templates: ["cart-reminder", "order-confirmation"],
      },
      "POST /api/v1/automations": () => jsonResponse({ ...REVIEW, id: "aut_new" }, 201),
    });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: "New automation" }));
    const dialog = screen.getByRole("dialog", { name: "New automation" });
    const trigger = within(dialog).getByLabelText("Trigger");
    await waitFor(() => expect(within(trigger).getAllByRole("option")).toHaveLength(2));
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: " Thank you " } });
    fireEvent.change(trigger, { target: { value: "order_paid" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create and open" }));

    expect(await screen.findByText("Location: /automations/aut_new")).toBeInTheDocument();
    const body = await sent("POST", "/api/v1/automations")[0]?.json();
    expect(body).toMatchObject({
      name: "Thank you",
      active: false,
      definition: {
        name: "Thank you",
        trigger: { event: "order_paid" },
        steps: [
          { id: "wait-1", type: "wait", duration: "1h" },
          { id: "email-1", type: "action", action: "send_email", params: { template: "order-confirmation" } },
        ],
      },
    });
  });

  it("asks for a name before creating", async () => {
    const { sent } = stubApi({ "GET /api/v1/automations": [], "GET /api/v1/catalog": { triggers: [], templates: [] } });
    showList();

    fireEvent.click(await screen.findByRole("button", { name: "New automation" }));
    const dialog = screen.getByRole("dialog");
    const create = within(dialog).getByRole("button", { name: "Create and open" });
    await waitFor(() => expect(create).toBeEnabled());
    fireEvent.click(create);

    expect(within(dialog).getByRole("alert")).toHaveTextContent("Give the automation a name.");
    expect(sent("POST", "/api/v1/automations")).toHaveLength(0);
  });
});

describe("AutomationsList in Korean", () => {
  it("speaks Korean: heading, columns, statuses, triggers, actions and their dialogs", async () => {
    stubApi({ "GET /api/v1/automations": [{ ...THREE, emails_sent_30d: 1200 }, REVIEW] });
    renderSignedIn(
      <LanguageProvider initial="ko">
        <AutomationsList />
      </LanguageProvider>,
      { role: "marketer", path: "/automations" },
    );

    expect(await screen.findByRole("heading", { name: "자동화" })).toBeInTheDocument();
    const table = await screen.findByRole("table", { name: "자동화" });
    for (const column of ["이름", "상태", "버전", "트리거", "진행 중인 여정", "발송한 이메일(30일)", "복구(30일)"]) {
      expect(within(table).getByRole("columnheader", { name: column })).toBeInTheDocument();
    }
    const row = within(within(table).getByRole("rowheader", { name: THREE.name }).closest("tr") as HTMLElement);
    expect(row.getByText("활성")).toBeInTheDocument();
    expect(row.getByText("초안")).toBeInTheDocument();
    expect(row.getByText("장바구니 이탈")).toBeInTheDocument();
    expect(row.getByText("1,200")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "새 자동화" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "프리셋 둘러보기" })).toBeInTheDocument();
    expect(screen.getByText("배송 완료")).toBeInTheDocument();
    expect(screen.queryByText(/Show archived|New automation|Active|Cart abandoned|Running journeys/)).not.toBeInTheDocument();

    fireEvent.click(row.getByRole("button", { name: `${THREE.name} 비활성화` }));
    const dialog = await screen.findByRole("dialog", { name: `“${THREE.name}” 자동화를 비활성화할까요?` });
    expect(dialog).toHaveTextContent("진행 중인 여정이 7개 있습니다.");
    expect(within(dialog).getByRole("radio", { name: /끝까지 진행/ })).toBeChecked();
    expect(within(dialog).getByRole("button", { name: "취소" })).toBeInTheDocument();
  });

  it("says there are none, in Korean", async () => {
    stubApi({ "GET /api/v1/automations": [] });
    renderSignedIn(
      <LanguageProvider initial="ko">
        <AutomationsList />
      </LanguageProvider>,
      { role: "support", path: "/automations" },
    );
    expect(await screen.findByText("아직 자동화가 없습니다.")).toBeInTheDocument();
    expect(screen.getByText("자동화는 마케터가 만듭니다. 만들어지면 여기에 표시됩니다.")).toBeInTheDocument();
  });
});
