import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { ConvertedTotal } from "./converted-total";

const TOTAL = { currency: "USD", amount: "174.00", rates_set_on: "2026-12-03" };

describe("ConvertedTotal", () => {
  it("shows the converted total with the day of the rates", () => {
    render(<ConvertedTotal total={TOTAL} />);

    expect(screen.getByText("≈ $174.00 in all")).toBeInTheDocument();
    expect(screen.getByText("converted into USD at the rates set on 2026-12-03")).toBeInTheDocument();
  });

  it("shows nothing without rates", () => {
    const { container } = render(<ConvertedTotal total={null} />);

    expect(container).toBeEmptyDOMElement();
  });

  it("speaks Korean", () => {
    render(
      <LanguageProvider initial="ko">
        <ConvertedTotal total={TOTAL} />
      </LanguageProvider>,
    );

    expect(screen.getByText("합계 약 US$174.00")).toBeInTheDocument();
    expect(screen.getByText("2026-12-03에 설정한 환율로 USD로 환산")).toBeInTheDocument();
  });
});
