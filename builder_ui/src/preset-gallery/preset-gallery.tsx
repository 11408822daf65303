/**
 * `/presets`: ready-made automations grouped by what they are for, each installable in one
 * click (installed presets start inactive, as the API makes them).
 */
import { unwrap, type Schemas } from "../api/client";
import type { MessageKey } from "../i18n/catalogue";
import { useT, type Translate } from "../i18n/i18n";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { PresetCard } from "./preset-card";
import "./preset-gallery.css";

type Preset = Schemas["PresetPublic"];

const CATEGORIES: readonly { key: string; title: MessageKey; blurb: MessageKey }[] = [
  {
    key: "abandoned_cart",
    title: "preset-gallery.category.abandoned_cart",
    blurb: "preset-gallery.category.abandoned_cart.blurb",
  },
  {
    key: "post_purchase",
    title: "preset-gallery.category.post_purchase",
    blurb: "preset-gallery.category.post_purchase.blurb",
  },
];

/** Presets by category, the known categories first and in their order (an unknown one's title is its key, in words). */
export function groupByCategory(presets: readonly Preset[], t: Translate) {
  const known = CATEGORIES.map((category) => ({
    key: category.key,
    title: t(category.title),
    blurb: t(category.blurb),
    presets: presets.filter((preset) => preset.category === category.key),
  }));
  const otherKeys = [...new Set(presets.map((p) => p.category))].filter(
    (key) => !CATEGORIES.some((category) => category.key === key),
  );
  const others = otherKeys.map((key) => ({
    key,
    title: key.replaceAll("_", " "),
    blurb: "",
    presets: presets.filter((preset) => preset.category === key),
  }));
  return [...known, ...others].filter((group) => group.presets.length > 0);
}

export function PresetGallery() {
  const { api, can } = useSession();
  const t = useT();
  const mayInstall = can("use_presets");
  const presets = useApiData(
    (signal) =>
      mayInstall ? unwrap(api.GET("/api/v1/presets", { signal })) : Promise.resolve([]),
    [api, mayInstall],
  );
  // Only for the names of installed automations; the cards fall back to ids without it.
  const automations = useApiData(
    (signal) =>
      mayInstall ? unwrap(api.GET("/api/v1/automations", { signal })) : Promise.resolve([]),
    [api, mayInstall],
  );

  if (!mayInstall) {
    return (
      <section aria-labelledby="presets-heading">
        <h1 id="presets-heading">{t("preset-gallery.title")}</h1>
        <p className="notice">{t("preset-gallery.cannot-install")}</p>
      </section>
    );
  }

  const known =
    automations.state.kind === "loaded"
      ? new Map(automations.state.data.map((a) => [a.id, a]))
      : new Map<string, Schemas["AutomationOverview"]>();
  const installedAs = (preset: Preset) =>
    preset.installed.map((id) => {
      const found = known.get(id);
      return { id, name: found?.name ?? id, status: found?.status ?? "inactive" };
    });
  const changed = () => {
    presets.reload();
    automations.reload();
  };

  const { state } = presets;
  return (
    <section aria-labelledby="presets-heading" className="presets">
      <h1 id="presets-heading">{t("preset-gallery.title")}</h1>
      <p className="presets__intro">{t("preset-gallery.intro")}</p>
      {state.kind === "loading" ? (
        <Loading what={t("preset-gallery.loading")} />
      ) : state.kind === "error" ? (
        <ErrorNotice error={state.error} onRetry={presets.reload} />
      ) : state.data.length === 0 ? (
        <EmptyState title={t("preset-gallery.empty")} />
      ) : (
        groupByCategory(state.data, t).map((group) => (
          <section
            key={group.key}
            className="presets__group"
            aria-labelledby={`presets-${group.key}`}
          >
            <h2 id={`presets-${group.key}`}>{group.title}</h2>
            {group.blurb ? <p className="presets__blurb">{group.blurb}</p> : null}
            <div className="presets__grid">
              {group.presets.map((preset) => (
                <PresetCard
                  key={preset.key}
                  preset={preset}
                  installedAs={installedAs(preset)}
                  onChanged={changed}
                />
              ))}
            </div>
          </section>
        ))
      )}
    </section>
  );
}
