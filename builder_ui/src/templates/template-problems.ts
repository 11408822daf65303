/**
 * The API's template problems (save-time checks, failed renders, refused requests) as the
 * editor shows them: "Line 12: ..." in a list, and a lint diagnostic on that line.
 */
import { ApiError } from "../api/client";

export type TemplatePart = "subject" | "mjml" | "text";

export interface SourceProblem {
  /** Which source the problem is in; null when it is about the request as a whole. */
  part: TemplatePart | null;
  line: number | null;
  message: string;
}

export interface LineDiagnostic {
  line: number;
  message: string;
}

const PARTS: readonly TemplatePart[] = ["subject", "mjml", "text"];
// The checks already start their messages with "line 12: "; the list adds its own prefix.
const LINE_PREFIX = /^line \d+:\s*/i;

function partOf(field: string): TemplatePart | null {
  // A refused request names `content.mjml`, a refused save `mjml`.
  const last = field.split(".").pop() ?? "";
  return PARTS.find((part) => part === last) ?? null;
}

/** The problems an error carries; an error without any becomes one problem of its own. */
export function problemsFrom(error: unknown): SourceProblem[] {
  if (error instanceof ApiError && error.problems.length > 0) {
    return error.problems.map((problem) => ({
      part: partOf(problem.field),
      line: typeof problem.line === "number" ? problem.line : null,
      message: problem.message.replace(LINE_PREFIX, ""),
    }));
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ part: null, line: null, message }];
}

const PART_LABELS: Record<TemplatePart, string> = {
  subject: "Subject",
  mjml: "",
  text: "Text part",
};

/** "Line 12: ..." for the MJML source, "Text part, line 2: ...", "Subject: ...". */
export function describeProblem(problem: SourceProblem): string {
  const part = problem.part === null ? "" : PART_LABELS[problem.part];
  const line = problem.line === null ? "" : `line ${problem.line}`;
  const where = [part, line].filter((piece) => piece !== "").join(", ");
  if (where === "") return problem.message;
  return `${where.charAt(0).toUpperCase()}${where.slice(1)}: ${problem.message}`;
}

/** The problems of one source that have a line, to mark in its editor. */
export function diagnosticsFor(problems: readonly SourceProblem[], part: TemplatePart): LineDiagnostic[] {
  return problems.flatMap((problem) =>
    problem.part === part && problem.line !== null ? [{ line: problem.line, message: problem.message }] : [],
  );
}
