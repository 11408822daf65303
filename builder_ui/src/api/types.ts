/** Shapes returned by the Boomerang builder API (`/api/v1`). */

export type AutomationStatus = "active" | "inactive";

export interface Trigger {
  event: string;
}

/**
 * One step of an automation definition. Only `id` and `type` are common to
 * every step; the rest depends on the step type, so it stays loosely typed
 * until the visual builder needs it.
 */
export interface Step {
  id: string;
  type: string;
  [key: string]: unknown;
}

export interface AutomationDefinition {
  name: string;
  trigger: Trigger;
  steps: Step[];
}

export interface Automation {
  id: string;
  name: string;
  status: AutomationStatus;
  version: number;
  definition: AutomationDefinition;
  created_at: string;
}
