import { fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LanguageProvider, preferredLanguage, useT } from "./i18n";
import { LanguagePicker } from "./language-picker";

function Label() {
  return <p>{useT()("i18n.language")}</p>;
}

describe("the UI's language", () => {
  afterEach(() => vi.restoreAllMocks());

  it("follows the browser's first language we have", () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["fr-FR", "ko-KR", "en"]);
    expect(preferredLanguage()).toBe("ko");
  });

  it("is English when the browser asks for none we have", () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["fr-FR"]);
    expect(preferredLanguage()).toBe("en");
  });

  it("switches when picked, says so to screen readers, and stays picked", () => {
    render(
      <LanguageProvider initial="en">
        <LanguagePicker />
        <Label />
      </LanguageProvider>,
    );
    expect(screen.getByText("Language", { selector: "p" })).toBeInTheDocument();

    fireEvent.change(screen.getByRole("combobox", { name: "Language" }), { target: { value: "ko" } });

    expect(screen.getByText("언어", { selector: "p" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("ko");
    expect(preferredLanguage()).toBe("ko");
  });

});
