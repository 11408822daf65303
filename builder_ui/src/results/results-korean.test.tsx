import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { automationResults } from "../test/analytics-fixtures";
import { routedFetch } from "../test/fixtures";
import { stubReactFlowDom } from "../test/flow-editor-helpers";
import { renderInRouter } from "../test/render-in-router";
import { catalog, everyStepTypeOverview } from "../test/sample-definitions";
import { testSession } from "../test/session";
import { AutomationResultsPage } from "./automation-results-page";

describe("an automation's results in Korean", () => {
  beforeEach(stubReactFlowDom);

  it("writes the figures, tables and verdicts' frame in Korean, numbers and money the Korean way", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        routedFetch({
          "GET /api/v1/automations/aut_1": everyStepTypeOverview,
          "GET /api/v1/catalog": catalog,
          "GET /api/v1/analytics/automations/aut_1": automationResults(),
        }),
      ),
    );
    renderInRouter(
      [
        {
          path: "/automations/:automationId/results",
          element: (
            <LanguageProvider initial="ko">
              <AutomationResultsPage />
            </LanguageProvider>
          ),
        },
      ],
      { at: "/automations/aut_1/results", session: testSession("marketer") },
    );

    expect(await screen.findByRole("heading", { name: "단계" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("2026-11-03 ~ 2026-12-02 (최근 30일).");
    expect(screen.getByRole("navigation", { name: "자동화 보기" })).toHaveTextContent("편집기결과");
    expect(screen.getByRole("combobox", { name: "기간" })).toHaveDisplayValue("최근 30일");

    const figure = (name: string) => screen.getByText(name, { selector: "dt" }).nextElementSibling;
    expect(figure("회수한 매출")).toHaveTextContent("€1,280.50");
    expect(figure("회수율")).toHaveTextContent("15.0%");
    expect(figure("회수율")).toHaveTextContent("이탈 장바구니 120개 중 18개 회수");

    const versions = screen.getByRole("table", { name: "게시된 버전별 여정" });
    expect(within(versions).getByRole("rowheader", { name: "버전 2" })).toBeInTheDocument();
    expect(within(versions).getByText("26.0%")).toBeInTheDocument();

    const holdout = screen.getByRole("region", { name: "홀드아웃: 자동화의 효과" });
    expect(holdout).toHaveTextContent("상승폭: +8.0%p (95% 구간 +0.9 ~ +14.2%p)");
    // The verdict is the API's sentence and stays as it was sent.
    expect(holdout).toHaveTextContent("The automation recovers about 8 more carts in every 100.");
    expect(screen.getByRole("region", { name: "A/B 분할 split" })).toHaveTextContent("최고 성과 확률");
    expect(screen.getByRole("region", { name: "이메일 퍼널" })).toHaveTextContent("프록시 열람: 35");

    for (const english of ["Recovered revenue", "Recovery rate", "By version", "Email funnel", "Lift:", "Probability best"]) {
      expect(screen.queryByText(english)).toBeNull();
    }
  });
});
