import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { translate } from "../i18n/i18n";
import { describeProblem, diagnosticsFor, problemDescriber, problemsFrom } from "./template-problems";

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

  it("reads the translation a problem is in, and marks it in that language's editor only", () => {
    const refused = new ApiError(422, "translations.ko.text: line 2: no", "invalid_template", [
      { field: "translations.ko.text", message: "line 2: `|safe` is not allowed", line: 2 },
      { field: "content.translations.pt-BR.subject", message: "the subject is empty" },
      { field: "translations", message: "41 translations: at most 40" },
    ]);
    const problems = problemsFrom(refused);

    expect(problems).toEqual([
      { part: "text", line: 2, message: "`|safe` is not allowed", locale: "ko" },
      { part: "subject", line: null, message: "the subject is empty", locale: "pt-BR" },
      { part: null, line: null, message: "41 translations: at most 40" },
    ]);
    expect(problems.map(describeProblem)).toEqual([
      "ko: Text part, line 2: `|safe` is not allowed",
      "pt-BR: Subject: the subject is empty",
      "41 translations: at most 40",
    ]);
    const inKorean = problemDescriber((key, params) => translate("ko", key, params), () => "한국어");
    expect(inKorean(problems[0] as (typeof problems)[number])).toBe("한국어: 텍스트 본문, 2번째 줄: `|safe` is not allowed");
    expect(diagnosticsFor(problems, "text", "ko")).toEqual([{ line: 2, message: "`|safe` is not allowed" }]);
    expect(diagnosticsFor(problems, "text")).toEqual([]);
  });
});
