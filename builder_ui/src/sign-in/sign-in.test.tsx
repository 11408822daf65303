import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { SignIn } from "./sign-in";

describe("SignIn", () => {
  it("submits the trimmed token", () => {
    const onSignIn = vi.fn();
    render(<SignIn onSignIn={onSignIn} />);

    const button = screen.getByRole("button", { name: "Sign in" });
    expect(button).toBeDisabled();

    fireEvent.change(screen.getByLabelText("API token"), { target: { value: " tok_abc " } });
    expect(button).toBeEnabled();
    fireEvent.click(button);

    expect(onSignIn).toHaveBeenCalledWith("tok_abc");
  });

  it("shows a message when given one", () => {
    render(<SignIn onSignIn={vi.fn()} message="app.token-rejected" />);
    expect(screen.getByRole("alert")).toHaveTextContent("That token was not accepted.");
  });

  it("speaks Korean, message included, and offers the language picker before signing in", () => {
    render(
      <LanguageProvider initial="ko">
        <SignIn onSignIn={vi.fn()} message="app.token-rejected" />
      </LanguageProvider>,
    );
    expect(screen.getByRole("heading", { name: "Boomerang에 로그인" })).toBeInTheDocument();
    expect(screen.getByLabelText("API 토큰")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "로그인" })).toBeDisabled();
    expect(screen.getByRole("alert")).toHaveTextContent("유효하지 않은 토큰입니다.");
    expect(screen.getByRole("combobox", { name: "언어" })).toHaveValue("ko");
    expect(screen.queryByText(/Sign in|API token|Paste/)).not.toBeInTheDocument();
  });

  it("switches to English with the picker", () => {
    render(
      <LanguageProvider initial="ko">
        <SignIn onSignIn={vi.fn()} />
      </LanguageProvider>,
    );
    fireEvent.change(screen.getByRole("combobox", { name: "언어" }), { target: { value: "en" } });
    expect(screen.getByRole("heading", { name: "Sign in to Boomerang" })).toBeInTheDocument();
  });
});
