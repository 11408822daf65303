import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { describeProblem, diagnosticsFor, problemsFrom } from "./template-problems";

const refusedSave = new ApiError(422, "mjml: line 12: Unexpected end of template", "invalid_template", [
  { field: "mjml", message: "line 12: Unexpected end of template", line: 12 },
  { field: "content.subject", message: "String should have at least 1 character" },
  { field: "text", message: "line 2: `|safe` is not allowed", line: 2 },
]);

describe("template problems", () => {
  it("reads each problem's part and line, without the checks' own line prefix", () => {
    expect(problemsFrom(refusedSave)).toEqual([
      { part: "mjml", line: 12, message: "Unexpected end of template" },
      { part: "subject", line: null, message: "String should have at least 1 character" },
      { part: "text", line: 2, message: "`|safe` is not allowed" },
    ]);
  });

  it("turns an error without problems into one problem with its message", () => {
    expect(problemsFrom(new ApiError(409, "saved by someone else meanwhile", "conflict"))).toEqual([
      { part: null, line: null, message: "saved by someone else meanwhile" },
    ]);
    expect(problemsFrom(new TypeError("Failed to fetch"))[0]?.message).toBe("Failed to fetch");
  });

  it("describes problems the way the editor lists them", () => {
    expect(problemsFrom(refusedSave).map(describeProblem)).toEqual([
      "Line 12: Unexpected end of template",
      "Subject: String should have at least 1 character",
      "Text part, line 2: `|safe` is not allowed",
    ]);
    expect(describeProblem({ part: null, line: null, message: "Network down" })).toBe("Network down");
  });

  it("gives each editor the problems on its own lines", () => {
    const problems = problemsFrom(refusedSave);
    expect(diagnosticsFor(problems, "mjml")).toEqual([{ line: 12, message: "Unexpected end of template" }]);
    expect(diagnosticsFor(problems, "text")).toEqual([{ line: 2, message: "`|safe` is not allowed" }]);
    expect(diagnosticsFor(problems, "subject")).toEqual([]);
  });
});
