/**
 * The automation definition's types, generated from engine/language/definition.py through the
 * OpenAPI document (DESIGN.md: "The automation definition (version 1)").
 */
import type { Schemas } from "../api/client";

export type Definition = Schemas["Automation"];
export type Step = Definition["steps"][number];
export type StepType = Step["type"];
export type Condition = Schemas["ConditionStep"]["if"];
export type Catalog = Schemas["CatalogPublic"];
export type Trigger = Schemas["Trigger"];
export type AutomationSettings = Schemas["AutomationSettings"];
