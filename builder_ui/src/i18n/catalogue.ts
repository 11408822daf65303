/**
 * Every area's messages, gathered: English (the reference) and Korean. An area keeps its
 * own `messages.ts` (keys start with its folder's name), so the words sit beside the code.
 */
import * as app from "../app/messages";
import * as auth from "../auth/messages";
import * as automationsList from "../automations-list/messages";
import * as carts from "../carts/messages";
import * as customers from "../customers/messages";
import * as dashboard from "../dashboard/messages";
import * as definition from "../definition/messages";
import * as flowEditor from "../flow-editor/messages";
import * as journeys from "../journeys/messages";
import * as money from "../money/messages";
import * as presetGallery from "../preset-gallery/messages";
import * as results from "../results/messages";
import * as session from "../session/messages";
import * as settings from "../settings/messages";
import * as signIn from "../sign-in/messages";
import * as simulation from "../simulation/messages";
import * as stepForms from "../step-forms/messages";
import * as templates from "../templates/messages";
import * as ui from "../ui/messages";
import * as i18n from "./messages";
import type { Messages, Translation } from "./messages-types";

/** Each area by its folder's name, which starts its keys. */
export const AREAS = {
  i18n,
  app,
  auth,
  "automations-list": automationsList,
  carts,
  customers,
  dashboard,
  definition,
  "flow-editor": flowEditor,
  journeys,
  money,
  "preset-gallery": presetGallery,
  results,
  session,
  settings,
  "sign-in": signIn,
  simulation,
  "step-forms": stepForms,
  templates,
  ui,
} as const;

export type EnglishMessages = typeof i18n.en &
  typeof app.en &
  typeof auth.en &
  typeof automationsList.en &
  typeof carts.en &
  typeof customers.en &
  typeof dashboard.en &
  typeof definition.en &
  typeof flowEditor.en &
  typeof journeys.en &
  typeof money.en &
  typeof presetGallery.en &
  typeof results.en &
  typeof session.en &
  typeof settings.en &
  typeof signIn.en &
  typeof simulation.en &
  typeof stepForms.en &
  typeof templates.en &
  typeof ui.en;
export type MessageKey = keyof EnglishMessages & string;

function gather(language: "en" | "ko"): Translation<EnglishMessages> {
  const all: Record<string, Messages[string]> = {};
  for (const area of Object.values(AREAS)) Object.assign(all, area[language]);
  return all as Translation<EnglishMessages>;
}

export const CATALOGUES = { en: gather("en"), ko: gather("ko") } as const;
