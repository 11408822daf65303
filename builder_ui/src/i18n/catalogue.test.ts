import { describe, expect, it } from "vitest";
import { AREAS } from "./catalogue";
import type { Message, Messages } from "./messages-types";

function texts(message: Message): string[] {
  return typeof message === "string" ? [message] : Object.values(message).filter((t): t is string => t !== undefined);
}

function placeholders(message: Message): string[] {
  return [...new Set(texts(message).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "")))].sort();
}

describe("the message catalogue", () => {
  it("has each key once, under its area's name", () => {
    const seen = new Set<string>();
    for (const [name, area] of Object.entries(AREAS)) {
      for (const key of Object.keys(area.en as Messages)) {
        expect(key.startsWith(`${name}.`), `${key} is not under ${name}.`).toBe(true);
        expect(seen.has(key), `${key} is defined twice`).toBe(false);
        seen.add(key);
      }
    }
  });

  it("has Korean for every English message, with the same placeholders", () => {
    for (const area of Object.values(AREAS)) {
      const english = area.en as Messages;
      const korean = area.ko as Messages;
      expect(Object.keys(korean).sort()).toEqual(Object.keys(english).sort());
      for (const [key, message] of Object.entries(english)) {
        const translated = korean[key];
        expect(translated, key).toBeDefined();
        if (translated === undefined) continue;
        expect(placeholders(translated), key).toEqual(placeholders(message));
        expect(texts(translated).every((text) => text.trim() !== ""), `${key} is empty in Korean`).toBe(true);
      }
    }
  });
});
