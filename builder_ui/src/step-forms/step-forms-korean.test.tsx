import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Definition, Step } from "../definition/definition";
import { LanguageProvider } from "../i18n/i18n";
import { testCatalog } from "../test/step-form-helpers";
import { StepPanel } from "./step-panel";
import { TriggerPanel } from "./trigger-panel";

const catalog = testCatalog();

function renderStep(step: Step) {
  return render(
    <LanguageProvider initial="ko">
      <StepPanel step={step} catalog={catalog} problems={[]} readOnly={false} onChange={() => {}} triggerEvent="cart_abandoned" />
    </LanguageProvider>,
  );
}

describe("the step forms in Korean", () => {
  it("writes the trigger panel in Korean: events, filters, quiet hours, durations", () => {
    const definition: Definition = {
      name: "Cart reminders",
      trigger: { event: "cart_abandoned", filters: null },
      steps: [],
      settings: { quiet_hours: { start: "21:00", end: "08:00", timezone: "customer" }, holdout_percent: 10, reentry_cooldown: "7d" },
    };
    render(
      <LanguageProvider initial="ko">
        <TriggerPanel definition={definition} catalog={catalog} problems={[]} readOnly={false} onChange={() => {}} />
      </LanguageProvider>,
    );

    const panel = screen.getByRole("region", { name: "트리거 및 설정" });
    expect(within(panel).getByRole("heading", { name: "트리거" })).toBeInTheDocument();
    const starts = within(panel).getByRole("combobox", { name: "시작 이벤트" });
    expect(within(starts).getByRole("option", { selected: true })).toHaveTextContent("장바구니 이탈");
    expect(within(panel).getByText("조건 없음: 모든 여정이 통과합니다.")).toBeInTheDocument();
    expect(within(panel).getByRole("checkbox", { name: "주문 접수" })).toBeChecked();
    expect(within(panel).getByLabelText("방해 금지 시작")).toHaveValue("21:00");
    expect(within(panel).getByRole("combobox", { name: "시간대" })).toHaveDisplayValue("고객의 시간대");
    expect(within(panel).getByRole("spinbutton", { name: "재진입 대기 기간" })).toHaveValue(7);
    expect(within(panel).getByRole("combobox", { name: "단위" })).toHaveDisplayValue("일");
    for (const english of ["Trigger", "Starts when", "Cart abandoned", "Quiet from", "days", "Add rule"]) {
      expect(within(panel).queryByText(english)).toBeNull();
    }
  });

  it("writes a condition's rules with Korean operators", () => {
    renderStep({ id: "check", type: "condition", if: { field: "cart.total", op: "gte", value: 50 }, then: [], else: [] });

    expect(screen.getByRole("heading", { name: "조건" })).toBeInTheDocument();
    const rule = screen.getByRole("group", { name: "규칙" });
    expect(within(rule).getByRole("combobox", { name: "연산자" })).toHaveDisplayValue("이상");
    expect(within(rule).getByRole("spinbutton", { name: "값" })).toHaveValue(50);
    expect(screen.getByRole("button", { name: "규칙 추가" })).toBeInTheDocument();
    expect(screen.getByRole("group", { name: "다음 조건일 때 “then” 분기로 진행" })).toBeInTheDocument();
    expect(screen.queryByText("is at least")).toBeNull();
  });

  it("counts an A/B split's steps in Korean before removing a variant", () => {
    renderStep({
      id: "split",
      type: "ab_split",
      variants: [
        { name: "A", weight: 1, steps: [{ id: "w", type: "wait", duration: "1h" }] },
        { name: "B", weight: 1, steps: [] },
        { name: "C", weight: 2, steps: [] },
      ],
    });

    expect(screen.getByRole("spinbutton", { name: "변형 3 가중치" })).toHaveAccessibleDescription("여정의 50%");
    expect(screen.getByText("가중치 합계: 4")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "변형 1 삭제" }));
    const dialog = screen.getByRole("dialog", { name: "변형 “A”을(를) 삭제할까요?" });
    expect(dialog).toHaveTextContent("하위 단계 1개도 함께 삭제됩니다.");
    expect(screen.queryByText(/will be deleted/)).toBeNull();
  });
});
