/**
 * The API's template problems (save-time checks, failed renders, refused requests) as the
 * editor shows them: "Line 12: ..." in a list, and a lint diagnostic on that line. A problem
 * in a translation names its locale (`translations.ko.mjml`): the editor marks it in that
 * locale's sources only.
 */
import { ApiError } from "../api/client";
import { type Translate, translate } from "../i18n/i18n";

export type TemplatePart = "subject" | "mjml" | "text";

export interface SourceProblem {
  /** Which source the problem is in; null when it is about the request as a whole. */
  part: TemplatePart | null;
  line: number | null;
  message: string;
  /** The translation it is in (`ko`); null for the main content or the request as a whole. */
  locale?: string | null;
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

function localeOf(field: string): string | null {
  // `translations.ko.mjml` (a save), `content.translations.ko.subject` (a request).
  const pieces = field.split(".");
  const at = pieces.indexOf("translations");
  return at >= 0 ? (pieces[at + 1] ?? null) : null;
}

/** The problems an error carries; an error without any becomes one problem of its own. */
export function problemsFrom(error: unknown): SourceProblem[] {
  if (error instanceof ApiError && error.problems.length > 0) {
    return error.problems.map((problem) => {
      const locale = localeOf(problem.field);
      return {
        part: partOf(problem.field),
        line: typeof problem.line === "number" ? problem.line : null,
        message: problem.message.replace(LINE_PREFIX, ""),
        ...(locale === null ? {} : { locale }),
      };
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return [{ part: null, line: null, message }];
}

const PART_KEYS = {
  subject: "templates.problems.subject",
  text: "templates.problems.text",
} as const;

/** How the list words a problem in the reader's language: "Text part, line 2: ...". */
export function problemDescriber(
  t: Translate,
  languageName: (locale: string) => string = (locale) => locale,
): (problem: SourceProblem) => string {
  return (problem) => {
    const part = problem.part === null || problem.part === "mjml" ? "" : t(PART_KEYS[problem.part]);
    const line = problem.line === null ? "" : t("templates.problems.line", { line: String(problem.line) });
    const where = [part, line].filter((piece) => piece !== "").join(", ");
    const described =
      where === "" ? problem.message : `${where.charAt(0).toUpperCase()}${where.slice(1)}: ${problem.message}`;
    if (!problem.locale) return described;
    return t("templates.problems.inLocale", { language: languageName(problem.locale), problem: described });
  };
}

/** "Line 12: ..." for the MJML source, "Text part, line 2: ...", "Subject: ...". */
export const describeProblem = problemDescriber((key, params) => translate("en", key, params));

/** The problems of one source of one locale's content that have a line, to mark in its editor. */
export function diagnosticsFor(
  problems: readonly SourceProblem[],
  part: TemplatePart,
  locale: string | null = null,
): LineDiagnostic[] {
  return problems.flatMap((problem) =>
    problem.part === part && (problem.locale ?? null) === locale && problem.line !== null
      ? [{ line: problem.line, message: problem.message }]
      : [],
  );
}
