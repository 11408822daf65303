/**
 * `/presets`: ready-made automations grouped by what they are for, each installable in one
 * click (installed presets start inactive, as the API makes them).
 */
import { unwrap, type Schemas } from "../api/client";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { PresetCard } from "./preset-card";
import "./preset-gallery.css";

type Preset = Schemas["PresetPublic"];

const CATEGORIES: readonly { key: string; title: string; blurb: string }[] = [
  {
    key: "abandoned_cart",
    title: "Abandoned cart",
    blurb: "Bring shoppers back to the cart they left.",
  },
  {
    key: "post_purchase",
    title: "Post-purchase",
    blurb: "Confirm, update and follow up after an order.",
  },
];

/** Presets by category, the known categories first and in their order. */
export function groupByCategory(presets: readonly Preset[]) {
  const known = CATEGORIES.map((category) => ({
    ...category,
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
        <h1 id="presets-heading">Presets</h1>
        <p className="notice">Your role cannot install presets.</p>
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
      <h1 id="presets-heading">Presets</h1>
      <p className="presets__intro">
        Ready-made automations built on the default email templates. Installing one creates it
        inactive; activate it when you are ready, or open it to adjust it first.
      </p>
      {state.kind === "loading" ? (
        <Loading what="presets" />
      ) : state.kind === "error" ? (
        <ErrorNotice error={state.error} onRetry={presets.reload} />
      ) : state.data.length === 0 ? (
        <EmptyState title="No presets are available." />
      ) : (
        groupByCategory(state.data).map((group) => (
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
