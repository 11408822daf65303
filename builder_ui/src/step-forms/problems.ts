/**
 * Which of the API's problems belong beside which input. A problem's `field` is a dotted path
 * the API built from where validation failed: the whole path for structural errors
 * (`steps.0.wait.duration`, `settings.quiet_hours.start`), the path inside the step for the
 * rest (`params.percent`, `if.field`).
 */
import type { Problem } from "../api/client";

/** Whether `path` (e.g. `params.percent`) appears as whole segments inside the problem's field. */
export function concerns(problem: Problem, path: string): boolean {
  const field = problem.field.split(".");
  const wanted = path.split(".");
  for (let start = 0; start + wanted.length <= field.length; start += 1) {
    if (wanted.every((part, offset) => field[start + offset] === part)) return true;
  }
  return false;
}

/** The messages of the problems that concern `path`. */
export function messagesAt(problems: readonly Problem[], path: string): string[] {
  return problems.filter((problem) => concerns(problem, path)).map((problem) => problem.message);
}
