import { describe, expect, it } from "vitest";
import { errorMessageFrom } from "./client";

describe("errorMessageFrom", () => {
  it("prefers `message`", () => {
    expect(errorMessageFrom({ code: "x", message: "Boom", detail: "Other" }, 500)).toBe("Boom");
  });

  it("uses a string `detail`", () => {
    expect(errorMessageFrom({ detail: "Not found" }, 404)).toBe("Not found");
  });

  it("ignores non-string details and falls back to the status", () => {
    expect(errorMessageFrom({ detail: [{ loc: ["body"], msg: "bad" }] }, 422)).toBe("HTTP 422");
    expect(errorMessageFrom(undefined, 500, "Internal Server Error")).toBe(
      "HTTP 500 Internal Server Error",
    );
  });
});
