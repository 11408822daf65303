/**
 * Editing operations on a definition, as pure functions: each returns a new definition and
 * leaves its input untouched, so the editor keeps every state for undo and redo.
 * Steps are addressed by id (unique in an automation) and lists by `ListRef`.
 */
import type { Schemas } from "../api/client";
import type { Catalog, Definition, Step, StepType } from "../definition/definition";
import { asSchema, namesTemplate } from "../step-forms/json-schema";
import { branchesOf, type InsertPoint, type ListRef } from "./to-definition";

type CatalogAction = Schemas["CatalogAction"];

/** Where a step sits: its list and its index in it. */
export interface StepLocation {
  step: Step;
  list: ListRef;
  index: number;
  /** How many steps its list holds. */
  count: number;
}

export function findStep(steps: readonly Step[], id: string, list: ListRef = { kind: "root" }): StepLocation | undefined {
  for (const [index, step] of steps.entries()) {
    if (step.id === id) return { step, list, index, count: steps.length };
    for (const branch of branchesOf(step)) {
      const found = findStep(branch.steps, id, branch.list);
      if (found) return found;
    }
  }
  return undefined;
}

/** The ids of the action steps of the tree (conditions may test what they returned). */
export function actionStepIds(steps: readonly Step[]): string[] {
  const ids: string[] = [];
  const visit = (items: readonly Step[]) => {
    for (const step of items) {
      if (step.type === "action") ids.push(step.id);
      for (const branch of branchesOf(step)) visit(branch.steps);
    }
  };
  visit(steps);
  return ids;
}

/** Every step id of the tree. */
export function stepIds(steps: readonly Step[]): Set<string> {
  const ids = new Set<string>();
  const visit = (items: readonly Step[]) => {
    for (const step of items) {
      ids.add(step.id);
      for (const branch of branchesOf(step)) visit(branch.steps);
    }
  };
  visit(steps);
  return ids;
}

function sameList(a: ListRef, b: ListRef): boolean {
  if (a.kind === "root" || b.kind === "root") return a.kind === b.kind;
  if (a.kind === "branch" && b.kind === "branch") return a.owner === b.owner && a.branch === b.branch;
  if (a.kind === "variant" && b.kind === "variant") return a.owner === b.owner && a.variant === b.variant;
  return false;
}

/** The step with each branch list passed through `change` (a list left as it was keeps its shape). */
function mapBranches(step: Step, change: (items: Step[], list: ListRef) => Step[]): Step {
  switch (step.type) {
    case "condition": {
      const then = step.then ?? [];
      const otherwise = step.else ?? [];
      const result = { ...step };
      const newThen = change(then, { kind: "branch", owner: step.id, branch: "then" });
      const newElse = change(otherwise, { kind: "branch", owner: step.id, branch: "else" });
      if (newThen !== then) result.then = newThen;
      if (newElse !== otherwise) result.else = newElse;
      return result;
    }
    case "wait_for_event": {
      const onEvent = step.on_event ?? [];
      const onTimeout = step.on_timeout ?? [];
      const result = { ...step };
      const newEvent = change(onEvent, { kind: "branch", owner: step.id, branch: "on_event" });
      const newTimeout = change(onTimeout, { kind: "branch", owner: step.id, branch: "on_timeout" });
      if (newEvent !== onEvent) result.on_event = newEvent;
      if (newTimeout !== onTimeout) result.on_timeout = newTimeout;
      return result;
    }
    case "ab_split":
      return {
        ...step,
        variants: step.variants.map((variant, index) => {
          const items = variant.steps ?? [];
          const changed = change(items, { kind: "variant", owner: step.id, variant: index });
          return changed === items ? variant : { ...variant, steps: changed };
        }),
      };
    default:
      return step;
  }
}

function mapList(steps: Step[], list: ListRef, change: (items: Step[]) => Step[]): Step[] {
  if (list.kind === "root") return change(steps);
  let touched = false;
  const result = steps.map((step) => {
    const updated = mapBranches(step, (items, at) =>
      sameList(at, list) ? change(items) : mapList(items, list, change),
    );
    if (updated !== step) touched = true;
    return updated;
  });
  return touched ? result : steps;
}

function editList(definition: Definition, list: ListRef, change: (items: Step[]) => Step[]): Definition {
  return { ...definition, steps: mapList(definition.steps, list, change) };
}

export function insertStep(definition: Definition, at: InsertPoint, step: Step): Definition {
  return editList(definition, at.list, (items) => [...items.slice(0, at.index), step, ...items.slice(at.index)]);
}

/** Removes the step and everything in its branches. */
export function deleteStep(definition: Definition, id: string): Definition {
  const found = findStep(definition.steps, id);
  if (!found) return definition;
  return editList(definition, found.list, (items) => items.filter((step) => step.id !== id));
}

/** Puts `step` in place of the step with its id. */
export function replaceStep(definition: Definition, step: Step): Definition {
  const found = findStep(definition.steps, step.id);
  if (!found) return definition;
  return editList(definition, found.list, (items) => items.map((item) => (item.id === step.id ? step : item)));
}

export function canMove(definition: Definition, id: string, by: -1 | 1): boolean {
  const found = findStep(definition.steps, id);
  if (!found) return false;
  const target = found.index + by;
  return target >= 0 && target < found.count;
}

/** Swaps the step with its neighbour in its list (up: -1, down: +1); no-op at either end. */
export function moveStep(definition: Definition, id: string, by: -1 | 1): Definition {
  if (!canMove(definition, id, by)) return definition;
  const found = findStep(definition.steps, id);
  if (!found) return definition;
  return editList(definition, found.list, (items) => {
    const moved = [...items];
    const [step] = moved.splice(found.index, 1);
    if (step) moved.splice(found.index + by, 0, step);
    return moved;
  });
}

const MAX_ID_LENGTH = 64;

/** `base-1`, `base-2`, … : the first one nobody uses yet (recorded in `taken`). */
export function numberedId(base: string, taken: Set<string>, from = 1): string {
  for (let n = from; ; n += 1) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, MAX_ID_LENGTH - suffix.length)}${suffix}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

function copyId(id: string, taken: Set<string>): string {
  const base = `${id.slice(0, MAX_ID_LENGTH - "-copy".length)}-copy`;
  if (!taken.has(base)) {
    taken.add(base);
    return base;
  }
  return numberedId(base, taken, 2);
}

/** A deep copy of the step whose every id (its own and its branches') is new. */
function withFreshIds(step: Step, taken: Set<string>): Step {
  const renamed = { ...step, id: copyId(step.id, taken) };
  return mapBranches(renamed, (items) => items.map((item) => withFreshIds(item, taken)));
}

/** Inserts a copy of the step right after it; the copy and its nested steps get new ids. */
export function duplicateStep(definition: Definition, id: string): { definition: Definition; id: string } | undefined {
  const found = findStep(definition.steps, id);
  if (!found) return undefined;
  const copy = withFreshIds(structuredClone(found.step), stepIds(definition.steps));
  return { definition: insertStep(definition, { list: found.list, index: found.index + 1 }, copy), id: copy.id };
}

// -- new steps ----------------------------------------------------------------------------

export type NewStepKind = { type: Exclude<StepType, "action"> } | { type: "action"; action: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Params an action starts with: its schema's suggested values (`x-suggested`) and defaults, a
 * template that exists (`x-widget: template`), and a value for each required field (an empty
 * text stays for the marketer to fill in; the API says so). */
export function defaultParams(action: CatalogAction, catalog: Catalog): Record<string, unknown> {
  const schema = asSchema(action.params_schema);
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  const params: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (!isRecord(property)) continue;
    if (property["x-suggested"] !== undefined) {
      params[name] = property["x-suggested"];
    } else if (namesTemplate(property) && catalog.templates.length > 0) {
      const fallback = catalog.templates[0];
      params[name] = catalog.templates.includes(String(property.default)) ? property.default : fallback;
    } else if (property.default !== undefined && property.default !== null) {
      params[name] = property.default;
    } else if (required.includes(name)) {
      if (property.type === "integer" || property.type === "number") {
        params[name] = typeof property.minimum === "number" ? property.minimum : 0;
      } else if (property.type === "boolean") {
        params[name] = false;
      } else {
        params[name] = "";
      }
    }
  }
  return params;
}

const ID_BASES: Record<Exclude<StepType, "action">, string> = {
  wait: "wait",
  wait_until: "wait-until",
  wait_for_event: "wait-for-event",
  condition: "condition",
  ab_split: "ab-test",
  exit: "exit",
};

/** What new steps' ids start with: the schema's `x-step-id`, else the name (`tag-customer`). */
function actionIdBase(name: string, action: CatalogAction | undefined): string {
  const base = action ? asSchema(action.params_schema)["x-step-id"] : undefined;
  return typeof base === "string" ? base : name.replace(/_/g, "-");
}

/** A new step of that kind with sensible defaults and an id unused in `existingIds`. */
export function newStep(kind: NewStepKind, catalog: Catalog, existingIds: Set<string>): Step {
  const taken = new Set(existingIds);
  switch (kind.type) {
    case "wait":
      return { id: numberedId(ID_BASES.wait, taken), type: "wait", duration: "1h" };
    case "wait_until":
      return { id: numberedId(ID_BASES.wait_until, taken), type: "wait_until", time: "09:00", days: [], timezone: "customer" };
    case "wait_for_event":
      return {
        id: numberedId(ID_BASES.wait_for_event, taken),
        type: "wait_for_event",
        event: "email_clicked",
        timeout: "48h",
        on_event: [],
        on_timeout: [],
      };
    case "condition":
      return {
        id: numberedId(ID_BASES.condition, taken),
        type: "condition",
        if: { field: "cart.total", op: "gte", value: 50 },
        then: [],
        else: [],
      };
    case "ab_split":
      return {
        id: numberedId(ID_BASES.ab_split, taken),
        type: "ab_split",
        variants: [
          { name: "a", weight: 50, steps: [] },
          { name: "b", weight: 50, steps: [] },
        ],
      };
    case "exit":
      return { id: numberedId(ID_BASES.exit, taken), type: "exit", outcome: "completed" };
    case "action": {
      const action = catalog.actions.find((item) => item.name === kind.action);
      return {
        id: numberedId(actionIdBase(kind.action, action), taken),
        type: "action",
        action: kind.action,
        params: action ? defaultParams(action, catalog) : {},
      };
    }
  }
}
