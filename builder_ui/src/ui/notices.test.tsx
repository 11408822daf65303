import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { ConfirmDialog } from "./confirm-dialog";
import { EmptyState, ErrorNotice, Loading } from "./notices";

describe("the shared notices and dialog", () => {
  it("read as before in English", () => {
    render(
      <>
        <Loading what="the results" />
        <ErrorNotice error="" onRetry={vi.fn()} />
        <ConfirmDialog title="Sure?" confirmLabel="Yes" onConfirm={vi.fn()} onCancel={vi.fn()} />
      </>,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading the results…");
    expect(screen.getByRole("alert")).toHaveTextContent("Something went wrong.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Cancel" })).toBeInTheDocument();
  });

  it("speak Korean, and leave the server's message as it came", () => {
    const onCancel = vi.fn();
    render(
      <LanguageProvider initial="ko">
        <Loading what="결과" />
        <ErrorNotice error="" onRetry={vi.fn()} />
        <ErrorNotice error="cart not found" />
        <EmptyState title="아직 없습니다." />
        <ConfirmDialog title="계속할까요?" confirmLabel="예" onConfirm={vi.fn()} onCancel={onCancel} />
      </LanguageProvider>,
    );
    expect(screen.getByRole("status")).toHaveTextContent("결과 불러오는 중…");
    expect(screen.getAllByRole("alert")[0]).toHaveTextContent("문제가 발생했습니다.");
    expect(screen.getAllByRole("alert")[1]).toHaveTextContent("cart not found");
    expect(screen.getByRole("button", { name: "다시 시도" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "취소" }));
    expect(onCancel).toHaveBeenCalled();
    expect(screen.queryByText(/Loading|Something went wrong|Try again|Cancel/)).not.toBeInTheDocument();
  });
});
