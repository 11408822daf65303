import { fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApi } from "../api/client";
import { LanguageProvider } from "../i18n/i18n";
import { routedFetch } from "../test/fixtures";
import { everyStepType } from "../test/sample-definitions";
import { cartTimeline, simulatedStatus } from "../test/simulation-fixtures";
import { SimulationPanel } from "./simulation-panel";
import type { SimulationControl } from "./use-simulation";

afterEach(() => vi.unstubAllGlobals());

function renderDone() {
  vi.stubGlobal(
    "fetch",
    vi.fn(routedFetch({ "GET /api/v1/simulations/sim_1/carts": { items: [cartTimeline()], next_cursor: null } })),
  );
  const simulation: SimulationControl = { run: { kind: "done", status: simulatedStatus(), ranOn: "" }, start: () => {} };
  render(
    <LanguageProvider initial="ko">
      <SimulationPanel api={createApi("tok_test")} liveVersion={1} definition={everyStepType} unsaved={false} simulation={simulation} />
    </LanguageProvider>,
  );
}

describe("the simulation in Korean", () => {
  it("asks and answers in Korean, with Korean counters and numbers", async () => {
    renderDone();

    const panel = screen.getByRole("region", { name: "지난 장바구니로 시뮬레이션" });
    expect(within(panel).getByLabelText("시뮬레이션 대상")).toHaveDisplayValue("편집기에 표시된 초안");
    expect(within(panel).getByText("가장 최근에 이탈한 장바구니 1~100,000개입니다. 2,000개를 넘으면 백그라운드에서 실행됩니다.")).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "시뮬레이션 실행" })).toBeInTheDocument();

    const results = within(panel).getByRole("region", { name: "결과" });
    expect(results).toHaveTextContent("초안 · 장바구니 5개 대상으로 시뮬레이션했습니다(비교 대상: 버전 1).");
    expect(within(results).getByRole("alert")).toHaveTextContent("이메일 1통이 고객이 구매하거나 수신을 거부한 뒤에 도착합니다.");
    const figure = (name: string) => within(results).getByText(name, { selector: "dt" }).nextElementSibling?.textContent;
    expect(figure("진입한 장바구니")).toBe("5개 중 3개");
    expect(figure("진입하지 않음")).toBe("필터에서 제외 1수신 동의 없음 1");
    expect(figure("결과")).toBe("회수 실패 2구매함 1");
    expect(within(results).getByText(/액션 1개가 실패합니다/)).toBeInTheDocument();
    expect(within(results).getByRole("heading", { name: "비교 대상: 버전 1 (라이브)" })).toBeInTheDocument();

    const cart = await within(results).findByRole("button", { name: /cart-bought/ });
    expect(cart).toHaveTextContent("cart-bought 완료, 이메일 2통, 늦은 발송 1건");
    fireEvent.click(cart);
    const moments = within(results).getByRole("list", { name: "장바구니 cart-bought에 일어날 일" });
    expect(moments).toHaveTextContent("고객: 주문 접수");
    expect(within(results).getByText("라이브 버전 기준: 구매함, 이메일 1통, 코드 0개.")).toBeInTheDocument();

    // The difference's summary lines are the API's own words and stay as sent.
    expect(within(results).getByText("2 fewer codes")).toBeInTheDocument();
    for (const english of [/Try on past carts/, /Carts entering/, /would reach customers/, /would fail/, /Customer:/, /late send/]) {
      expect(within(panel).queryByText(english)).toBeNull();
    }
  });
});
