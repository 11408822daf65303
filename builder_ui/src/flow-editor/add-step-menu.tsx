/**
 * The "+" on an edge: a menu of step types and the catalog's actions (grouped by category).
 * It is a real menu for the keyboard: arrows move, Enter picks, Escape closes and gives the
 * focus back to the "+". It opens in a portal so the canvas's clipping and zoom never hide it.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";
import type { Catalog } from "../definition/definition";
import type { MessageKey } from "../i18n/catalogue";
import { useT, type Translate } from "../i18n/i18n";
import type { NewStepKind } from "./edit-definition";

interface MenuItem {
  label: string;
  kind: NewStepKind;
}

interface MenuGroup {
  name: string;
  items: MenuItem[];
}

const BUILT_IN: readonly { name: MessageKey; types: Exclude<NewStepKind["type"], "action">[] }[] = [
  { name: "flow-editor.menu.timing", types: ["wait", "wait_until", "wait_for_event"] },
  { name: "flow-editor.menu.flow", types: ["condition", "ab_split", "exit"] },
];

/** The step types (in `t`'s language), then the catalog's actions by category (as the server names them). */
export function menuGroups(catalog: Catalog, t: Translate): MenuGroup[] {
  const builtIn = BUILT_IN.map((group) => ({
    name: t(group.name),
    items: group.types.map((type) => ({ label: t(`flow-editor.step.${type}`), kind: { type } })),
  }));
  const byCategory = new Map<string, MenuItem[]>();
  for (const action of catalog.actions) {
    const items = byCategory.get(action.category) ?? [];
    items.push({ label: action.label, kind: { type: "action", action: action.name } });
    byCategory.set(action.category, items);
  }
  return [...builtIn, ...[...byCategory].map(([name, items]) => ({ name, items }))];
}

const MENU_WIDTH = 224;

export interface AddStepMenuProps {
  /** The accessible name of the "+": "Add a step after wait-1". */
  label: string;
  catalog: Catalog;
  onPick: (kind: NewStepKind) => void;
}

export function AddStepMenu({ label, catalog, onPick }: AddStepMenuProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState({ top: 0, left: 0 });
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const items = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? [])];
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useLayoutEffect(() => {
    if (!open || !button.current) return;
    const box = button.current.getBoundingClientRect();
    const left = Math.max(8, Math.min(box.left, window.innerWidth - MENU_WIDTH - 8));
    // Below the "+" if it fits there, else above it: the whole menu stays on screen.
    const height = menu.current?.offsetHeight ?? 0;
    const fitsBelow = box.bottom + 4 + height <= window.innerHeight - 8;
    setPlace({ top: fitsBelow ? box.bottom + 4 : Math.max(8, box.top - 4 - height), left });
    items()[0]?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return undefined;
    const outside = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("mousedown", outside);
    return () => document.removeEventListener("mousedown", outside);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (index: number) => all[(index + all.length) % all.length]?.focus();
    if (event.key === "ArrowDown") focus(at + 1);
    else if (event.key === "ArrowUp") focus(at - 1);
    else if (event.key === "Home") focus(0);
    else if (event.key === "End") focus(all.length - 1);
    else if (event.key === "Escape") close(true);
    else if (event.key === "Tab") close(false);
    else return;
    if (event.key !== "Tab") event.preventDefault();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="add-step nodrag nopan"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((was) => !was)}
      >
        +
      </button>
      {open
        ? createPortal(
            <div
              ref={menu}
              role="menu"
              aria-label={label}
              className="add-step-menu"
              style={{ top: place.top, left: place.left, width: MENU_WIDTH }}
              onKeyDown={onKeyDown}
            >
              {menuGroups(catalog, t).map((group) => (
                <div key={group.name} role="group" aria-label={group.name}>
                  <div className="add-step-menu__heading" aria-hidden="true">
                    {group.name}
                  </div>
                  {group.items.map((item) => (
                    <button
                      key={item.label}
                      type="button"
                      role="menuitem"
                      tabIndex={-1}
                      className="add-step-menu__item"
                      onClick={() => {
                        close(false);
                        onPick(item.kind);
                      }}
                    >
                      {item.label}
                    </button>
                  ))}
                </div>
              ))}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
