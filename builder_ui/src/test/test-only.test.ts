/**
 * Test support lives in src/test/ and stays out of the built app: the bundle holds what
 * main.tsx reaches, so it is enough that no product module imports from here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const TEST_DIR = dirname(fileURLToPath(import.meta.url));
const SRC = dirname(TEST_DIR);

function productModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === TEST_DIR ? [] : productModules(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe("src/test/", () => {
  it("is imported by tests only", () => {
    const offenders = productModules(SRC).flatMap((path) =>
      [...readFileSync(path, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]*)"/g)]
        .filter((match) => resolve(dirname(path), match[1] ?? "").startsWith(`${TEST_DIR}/`))
        .map((match) => `${relative(SRC, path)} imports ${match[1]}`),
    );
    expect(offenders).toEqual([]);
  });
});
