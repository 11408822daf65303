import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { StepPanelProps } from "../step-forms/step-panel";
import type { TriggerPanelProps } from "../step-forms/trigger-panel";
import { LanguageProvider, translate, type Translate } from "../i18n/i18n";
import { routedFetch } from "../test/fixtures";
import { renderEditorPage, stubReactFlowDom } from "../test/flow-editor-helpers";
import { catalog, everyStepType, everyStepTypeOverview } from "../test/sample-definitions";
import { FlowEditorPage } from "./flow-editor-page";
import { statsBadges } from "./canvas-context";
import { stepSummary, triggerSummary } from "./step-summary";

// The panels belong to another module.
vi.mock("../step-forms/step-panel", () => ({
  StepPanel: ({ step }: StepPanelProps) => <h2>Panel of {step.id}</h2>,
}));
vi.mock("../step-forms/trigger-panel", () => ({
  TriggerPanel: ({ definition }: TriggerPanelProps) => <h2>Trigger panel for {definition.trigger.event}</h2>,
}));

const korean: Translate = (key, params) => translate("ko", key, params);

const DIFF = {
  added: [],
  removed: [],
  changed: [{ step_id: "wait-1", type: "wait", fields: [{ field: "duration", before: null, after: "2h" }] }],
  moved: [],
  trigger: [],
  settings: [],
  exit_on: null,
  name: null,
  summary: [],
};

function showInKorean(automation: object = everyStepTypeOverview) {
  vi.stubGlobal(
    "fetch",
    vi.fn(
      routedFetch({
        "GET /api/v1/automations/aut_1": automation,
        "GET /api/v1/catalog": catalog,
        "POST /api/v1/automations/aut_1/validate": { valid: true, problems: [], diff: DIFF },
      }),
    ),
  );
  return renderEditorPage(
    <LanguageProvider initial="ko">
      <FlowEditorPage />
    </LanguageProvider>,
  );
}

describe("the flow editor in Korean", () => {
  beforeEach(stubReactFlowDom);

  it("says its header, toolbar, canvas and panel in Korean; names and ids stay as they are", async () => {
    showInKorean();
    expect(screen.getByRole("status")).toHaveTextContent("자동화 불러오는 중…");
    expect(await screen.findByRole("heading", { level: 1, name: everyStepType.name })).toBeInTheDocument();
    expect(screen.getByText("비활성")).toBeInTheDocument();
    expect(screen.getByText("버전 1")).toBeInTheDocument();
    expect(screen.getByText("초안 없음")).toBeInTheDocument();
    expect(await screen.findByText("✓ 게시 가능", {}, { timeout: 3000 })).toBeInTheDocument();

    const toolbar = screen.getByRole("group", { name: "자동화" });
    for (const name of ["실행 취소", "다시 실행", "초안 저장", "초안 폐기", "게시", "버전 기록", "지난 장바구니로 시험"]) {
      expect(within(toolbar).getByRole("button", { name })).toBeInTheDocument();
    }
    expect(screen.getByRole("link", { name: "← 자동화" })).toHaveAttribute("href", "/automations");

    expect(await screen.findByRole("button", { name: "트리거: cart_abandoned cart.total ≥ 25일 때" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "단계 wait-1: 1h 대기" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "단계 morning: mon, tue 09:00까지 대기" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "단계 vip?: 조건: customer.segment = vip" })).toBeInTheDocument();
    expect(screen.getByText("참")).toBeInTheDocument();
    expect(screen.getByText("거짓")).toBeInTheDocument();
    expect(screen.getByText("시간 초과")).toBeInTheDocument();

    expect(screen.getByRole("button", { name: "화면에 맞추기" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "확대" })).toBeInTheDocument();

    const aside = screen.getByRole("complementary", { name: "사이드 패널" });
    expect(within(aside).getByRole("heading", { name: "흐름 편집" })).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "wait-1 다음에 단계 추가" }));
    const menu = screen.getByRole("menu", { name: "wait-1 다음에 단계 추가" });
    expect(within(menu).getByRole("group", { name: "타이밍" })).toBeInTheDocument();
    expect(within(menu).getByRole("menuitem", { name: "지정 시각까지 대기" })).toBeInTheDocument();
    expect(within(menu).getByRole("menuitem", { name: "A/B 분할" })).toBeInTheDocument();

    expect(screen.queryByText(/^(Undo|Publish|Save draft|Version history|Edit the flow|then|else|End)$/)).not.toBeInTheDocument();
  }, 20_000); // many role queries over the whole canvas: slow on a busy machine

  it("asks before publishing in Korean, with the diff", async () => {
    showInKorean({ ...everyStepTypeOverview, draft: everyStepType });
    await screen.findByText("✓ 게시 가능", {}, { timeout: 3000 });
    expect(screen.getByText("초안 저장됨")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "게시" }));
    const dialog = await screen.findByRole("dialog", { name: "버전 2을(를) 게시할까요?" });
    expect(dialog).toHaveTextContent("변경된 단계");
    expect(dialog).toHaveTextContent("(설정 안 됨)");
    expect(within(dialog).getByRole("button", { name: "취소" })).toBeInTheDocument();
  }, 20_000);
});

describe("how a step reads in Korean", () => {
  it("summarises steps, triggers and figures", () => {
    expect(stepSummary({ id: "w", type: "wait_for_event", event: "email_clicked", timeout: "48h" }, null, korean)).toBe(
      "email_clicked 대기, 최대 48h",
    );
    expect(stepSummary({ id: "x", type: "exit", outcome: "lost" }, null, korean)).toBe("종료 · lost");
    expect(triggerSummary({ event: "cart_abandoned", filters: null }, korean)).toBe("매번");
    expect(
      triggerSummary({ event: "cart_abandoned", filters: { not: { field: "customer.tags", op: "contains", value: "b2b" } } }, korean),
    ).toBe("(customer.tags 포함: b2b) 아님일 때");
    expect(statsBadges({ sent: 1200, clicked: 30, recovered: 5 }, korean).map((badge) => badge.text)).toEqual([
      "1,200건 발송",
      "30건 클릭",
      "5건 복구",
    ]);
    // English stays the default for callers that pass no language.
    expect(stepSummary({ id: "w", type: "wait", duration: "1h" }, null)).toBe("Wait 1h");
  });
});

