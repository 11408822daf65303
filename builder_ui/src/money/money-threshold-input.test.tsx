import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { MoneyThresholdInput, perCurrencyValue } from "./money-threshold-input";

function Harness({ initial, onChange }: { initial: unknown; onChange: (value: unknown) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <label htmlFor="value">Value</label>
      <MoneyThresholdInput
        id="value"
        value={value}
        readOnly={false}
        onChange={(next) => {
          setValue(next);
          onChange(next);
        }}
      />
    </>
  );
}

describe("MoneyThresholdInput", () => {
  it("takes one amount in the shop's currency", () => {
    const onChange = vi.fn();
    render(<Harness initial={25} onChange={onChange} />);

    const amount = screen.getByLabelText("Value");
    expect(amount).toHaveValue(25);
    fireEvent.change(amount, { target: { value: "30" } });

    expect(onChange).toHaveBeenLastCalledWith(30);
  });

  it("turns the amount into one per currency, each row a currency", () => {
    const onChange = vi.fn();
    render(<Harness initial={25} onChange={onChange} />);

    fireEvent.click(screen.getByLabelText("One amount per currency"));
    fireEvent.change(screen.getByLabelText("Currency"), { target: { value: "eur" } });
    fireEvent.click(screen.getByRole("button", { name: "Add a currency" }));
    const [, krw] = screen.getAllByLabelText("Currency");
    fireEvent.change(krw!, { target: { value: "KRW" } });
    fireEvent.change(screen.getByLabelText("Amount in KRW"), { target: { value: "35000" } });

    expect(onChange).toHaveBeenLastCalledWith({ EUR: 25, KRW: 35000 });
    fireEvent.click(screen.getByRole("button", { name: "Remove EUR" }));
    expect(onChange).toHaveBeenLastCalledWith({ KRW: 35000 });
  });

  it("shows a saved per-currency threshold, and goes back to one amount", () => {
    const onChange = vi.fn();
    render(<Harness initial={{ USD: 25, KRW: 35000 }} onChange={onChange} />);

    expect(screen.getByLabelText("Amount in USD")).toHaveValue(25);
    expect(screen.getByLabelText("Amount in KRW")).toHaveValue(35000);
    fireEvent.click(screen.getByLabelText("One amount, in the shop's currency"));

    expect(onChange).toHaveBeenLastCalledWith(25);
  });

  it("says when a code is not a currency code", () => {
    render(<Harness initial={{ "": 1 }} onChange={() => {}} />);

    fireEvent.change(screen.getByLabelText("Currency"), { target: { value: "E1" } });

    expect(screen.getByRole("alert")).toHaveTextContent("E1 is not a currency code such as USD, EUR or KRW");
  });

  it("speaks Korean", () => {
    render(
      <LanguageProvider initial="ko">
        <Harness initial={25} onChange={() => {}} />
      </LanguageProvider>,
    );

    expect(screen.getByLabelText("Value")).toHaveValue(25);
    expect(screen.getByText("상점 통화로 금액 하나")).toBeInTheDocument();
    expect(screen.getByText("통화별 금액")).toBeInTheDocument();
  });

  it("keeps only rows with a code and an amount", () => {
    expect(
      perCurrencyValue([
        { code: "usd", amount: 25 },
        { code: "", amount: 3 },
        { code: "EUR", amount: null },
      ]),
    ).toEqual({ USD: 25 });
  });
});
