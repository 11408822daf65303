/**
 * Durations as the definition language writes them (`90s`, `30m`, `2h`, `7d`, `1h30m` or ISO
 * 8601 `PT2H`, see engine/language/definition.py) ⇄ what a form shows: one whole number and one unit.
 */

import type { MessageKey } from "../i18n/catalogue";

export type DurationUnit = "s" | "m" | "h" | "d";

/** Each unit; a form shows `t(key)`, `label` is its English word. */
export const DURATION_UNITS: readonly { unit: DurationUnit; label: string; key: MessageKey; seconds: number }[] = [
  { unit: "s", label: "seconds", key: "step-forms.duration.s", seconds: 1 },
  { unit: "m", label: "minutes", key: "step-forms.duration.m", seconds: 60 },
  { unit: "h", label: "hours", key: "step-forms.duration.h", seconds: 3600 },
  { unit: "d", label: "days", key: "step-forms.duration.d", seconds: 86400 },
];

export interface DurationParts {
  amount: number;
  unit: DurationUnit;
}

const COMPACT = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;

/** The total seconds of a duration text, or null when the engine would refuse it. */
export function durationSeconds(text: string): number | null {
  const trimmed = text.trim();
  const compact = COMPACT.exec(trimmed.toLowerCase());
  if (compact && compact.slice(1).some((group) => group !== undefined)) {
    const [days, hours, minutes, seconds] = compact.slice(1).map((group) => Number(group ?? 0));
    return (days ?? 0) * 86400 + (hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0);
  }
  const iso = ISO.exec(trimmed);
  if (iso && iso.slice(1).some((group) => group !== undefined)) {
    const [weeks, days, hours, minutes, seconds] = iso.slice(1).map((group) => Number(group ?? 0));
    return (
      (weeks ?? 0) * 604800 +
      (days ?? 0) * 86400 +
      (hours ?? 0) * 3600 +
      (minutes ?? 0) * 60 +
      (seconds ?? 0)
    );
  }
  return null;
}

/**
 * One number and the largest unit that holds it whole: `1h30m` → 90 minutes, `PT2H` → 2 hours.
 * Every whole-second duration fits, so nothing a definition holds is lost.
 */
export function parseDuration(text: string): DurationParts | null {
  const total = durationSeconds(text);
  if (total === null) return null;
  if (total === 0) return { amount: 0, unit: "s" };
  for (const { unit, seconds } of [...DURATION_UNITS].reverse()) {
    if (total % seconds === 0) return { amount: total / seconds, unit };
  }
  return { amount: total, unit: "s" };
}

export function formatDuration({ amount, unit }: DurationParts): string {
  return `${amount}${unit}`;
}
