import { screen, within } from "@testing-library/react";
import { Route } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { routedFetch } from "../test/fixtures";
import { renderRoutesSignedIn } from "../test/render-signed-in";
import { formatWhen } from "./journey-format";
import { JourneyPage } from "./journey-page";
import { JourneysPage } from "./journeys-page";

const ID = "journey:aut_1:cart_abc";
const API = "/api/v1/journeys/journey%3Aaut_1%3Acart_abc";
const NOW = new Date("2024-01-15T15:00:00Z");

const JOURNEY = {
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
  variants: {},
  recovered_via: null,
  steps: [
    { step_id: "wait-1", type: "wait", at: "2024-01-15T14:31:00Z", detail: {} },
    { step_id: "check", type: "condition", at: "2024-01-15T14:31:01Z", detail: { branch: "then" } },
  ],
};

function renderInKorean(path: string) {
  return renderRoutesSignedIn(
    <>
      <Route path="/journeys" element={<LanguageProvider initial="ko"><JourneysPage /></LanguageProvider>} />
      <Route path="/journeys/:journeyId" element={<LanguageProvider initial="ko"><JourneyPage /></LanguageProvider>} />
    </>,
    { role: "support", path },
  );
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("journeys in Korean", () => {
  it("shows a journey's facts, times and steps in Korean", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
    vi.stubGlobal("fetch", vi.fn(routedFetch({ [`GET ${API}`]: JOURNEY })));
    renderInKorean(`/journeys/${encodeURIComponent(ID)}`);

    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("cart_abc의 여정");
    const wakeUp = screen.getByText("다음 실행 예정", { selector: "dt" }).nextElementSibling;
    expect(wakeUp).toHaveTextContent(formatWhen("2024-01-15T16:59:00Z", "ko"));
    expect(wakeUp).toHaveTextContent("(1시간 59분 후)");
    expect(screen.getByText("상태", { selector: "dt" }).nextElementSibling).toHaveTextContent("진행 중");
    const steps = within(screen.getByRole("list", { name: "완료한 단계" })).getAllByRole("listitem");
    expect(steps.map((step) => step.textContent)).toEqual([
      expect.stringContaining("wait-1지정한 시각까지 대기함"),
      expect.stringContaining("check조건 참: “예” 분기로 진행"),
    ]);
    expect(screen.getByRole("button", { name: "여정 일시 정지" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "지금 새로고침" })).toBeInTheDocument();
    for (const english of ["Status", "Next wake-up", "Steps done", "Pause journey", "Refresh now", "Journey of"]) {
      expect(screen.queryByText(new RegExp(english))).toBeNull();
    }
  });

  it("searches and counts journeys in Korean", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(routedFetch({ "GET /api/v1/journeys": [{ ...JOURNEY, status: "completed", outcome: "lost" }] })),
    );
    renderInKorean("/journeys?q=cart_abc");

    expect(screen.getByRole("heading", { name: "여정" })).toBeInTheDocument();
    expect(screen.getByRole("searchbox", { name: "고객 이메일 또는 장바구니 ID" })).toHaveValue("cart_abc");
    expect(await screen.findByText("장바구니 cart_abc의 여정 1개")).toHaveAttribute("role", "status");
    const table = screen.getByRole("table", { name: "여정" });
    expect(within(table).getByRole("columnheader", { name: "결과" })).toBeInTheDocument();
    expect(within(table).getByText("회수 실패")).toBeInTheDocument();
    expect(screen.queryByText(/journeys? for/)).toBeNull();
    expect(screen.queryByRole("button", { name: "Search" })).toBeNull();
  });
});
