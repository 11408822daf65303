/**
 * The preview follows the editor: `delayMs` after the last change, the API renders the unsaved
 * content with the sample cart (`POST .../preview` with `content`), checked as a save would
 * check it (every locale), as a customer reading `locale` gets it. A failed check keeps the
 * last good preview on screen and reports the problems.
 */
import { useEffect, useState } from "react";
import type { Api, Schemas } from "../api/client";
import { unwrap } from "../api/client";
import { type SourceProblem, problemsFrom } from "./template-problems";

export const PREVIEW_DELAY_MS = 500;

export interface LivePreview {
  /** The last preview that rendered; null until one has. */
  preview: Schemas["TemplatePreview"] | null;
  /** Why the current content does not render (empty when it does). */
  problems: SourceProblem[];
  /** A preview is waiting or on its way. */
  updating: boolean;
}

export function useLivePreview(
  api: Api,
  templateName: string,
  content: Schemas["TemplateContent"],
  locale: string | null = null,
  delayMs = PREVIEW_DELAY_MS,
): LivePreview {
  const [preview, setPreview] = useState<Schemas["TemplatePreview"] | null>(null);
  const [problems, setProblems] = useState<SourceProblem[]>([]);
  const [updating, setUpdating] = useState(true);
  // By value: an edit makes a new object, a re-render with the same words does not re-render.
  const body = JSON.stringify(content);

  useEffect(() => {
    const controller = new AbortController();
    setUpdating(true);
    const timer = setTimeout(() => {
      unwrap(
        api.POST("/api/v1/templates/{template}/preview", {
          params: { path: { template: templateName } },
          body: {
            content: JSON.parse(body) as Schemas["TemplateContent"],
            currency: "USD",
            ...(locale === null ? {} : { locale }),
          },
          signal: controller.signal,
        }),
      )
        .then((rendered) => {
          if (controller.signal.aborted) return;
          setPreview(rendered);
          setProblems([]);
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setProblems(problemsFrom(error));
        })
        .finally(() => {
          if (!controller.signal.aborted) setUpdating(false);
        });
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, templateName, body, locale, delayMs]);

  return { preview, problems, updating };
}
