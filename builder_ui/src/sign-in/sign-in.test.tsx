import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
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
    render(<SignIn onSignIn={vi.fn()} message="That token was not accepted." />);
    expect(screen.getByRole("alert")).toHaveTextContent("That token was not accepted.");
  });
});
