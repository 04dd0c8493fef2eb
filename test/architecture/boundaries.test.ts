/**
 * The import rules of style.md, held by a test rather than by review: Slack code never reaches the
 * database or an upstream client, the domain never reaches an entry point, product code never
 * reaches the tools (sandboxes, demo), tests or benches, and no import cycle exists.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { buildImportGraph, findCycles, type ImportGraph } from "./import-graph.js";

/** Which folders under src/ a folder must not import. */
const FORBIDDEN: Record<string, string[]> = {
  slack: ["db", "doorflow", "buzzin"],
  domain: ["slack", "jobs", "http", "cli"],
};

/**
 * Exceptions to the rules and cycles, each to be named here with its reason. None are left (issue 17
 * removed the 16 violations in 6 files and the 2 cycles): a new one fails, and so would a listed
 * one that no longer exists.
 */
const KNOWN_VIOLATIONS: string[] = [];
const KNOWN_CYCLES: string[][] = [];

/** `src/slack/views/home.ts` → `slack`; `src/app.ts` → `app`. */
function folderOf(path: string): string {
  const parts = path.split("/");
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.ts$/, "");
}

function ruleViolations(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      // Product code imports only product code and packages (not tools/, test/ or bench/).
      const leavesSrc = !to.startsWith("src/");
      const crossesLayer = FORBIDDEN[folderOf(from)]?.includes(folderOf(to)) ?? false;
      // The database maps its rows to the domain's vocabulary and knows nothing else of it.
      const dbBeyondModel =
        folderOf(from) === "db" && folderOf(to) === "domain" && to !== "src/domain/model.ts";
      if (leavesSrc || crossesLayer || dbBeyondModel) found.push(`${from} -> ${to}`);
    }
  }
  return found.sort();
}

/** What differs from the known list, as a message that says what to do. */
function drift(actual: string[], known: string[], name: string): string[] {
  return [
    ...actual.filter((v) => !known.includes(v)).map((v) => `new: ${v}`),
    ...known.filter((v) => !actual.includes(v)).map((v) => `gone (delete it from ${name}): ${v}`),
  ];
}

const graph = buildImportGraph("src");

describe("import boundaries of src/", () => {
  it("reads every file of src/", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/main.ts")?.size).toBeGreaterThan(0);
  });

  it("has no import a rule forbids beyond the known ones", () => {
    expect(drift(ruleViolations(graph), KNOWN_VIOLATIONS, "KNOWN_VIOLATIONS")).toEqual([]);
  });

  it("has no import cycle beyond the known ones", () => {
    const cycles = findCycles(graph).map((files) => files.join(" ↔ "));
    const known = KNOWN_CYCLES.map((files) => files.join(" ↔ "));
    expect(drift(cycles, known, "KNOWN_CYCLES")).toEqual([]);
  });
});

describe("the rule checker itself", () => {
  it("sees every form of import, resolved to files, and no package", () => {
    const root = mkdtempSync(join(tmpdir(), "gatehouse-graph-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const files: Record<string, string> = {
      "src/a.ts": [
        'import type { B } from "./b.js";',
        'export { c } from "./c.js";',
        'export * from "./d/index.js";',
        'const e = () => import("./e.js");',
        'type F = typeof import("./f.js");',
        'import { join } from "node:path";',
        'import { z } from "zod";',
      ].join("\n"),
      "src/b.ts": "export type B = 1;",
      "src/c.ts": "export const c = 1;",
      "src/d/index.ts": "export const d = 1;",
      "src/e.ts": "export const e = 1;",
      "src/f.ts": "export const f = 1;",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const found = buildImportGraph("src", root);
    expect([...found.keys()].sort()).toEqual(Object.keys(files).sort());
    expect([...found.get("src/a.ts")!].sort()).toEqual([
      "src/b.ts",
      "src/c.ts",
      "src/d/index.ts",
      "src/e.ts",
      "src/f.ts",
    ]);
  });

  const fake = (edges: Record<string, string[]>): ImportGraph =>
    new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

  it("flags each forbidden direction and leaving src/", () => {
    const found = ruleViolations(
      fake({
        "src/slack/views/a.ts": ["src/db/schema.ts", "src/domain/model.ts"],
        "src/slack/b.ts": ["src/doorflow/client.ts", "src/buzzin/client.ts"],
        "src/domain/c.ts": ["src/slack/ids.ts", "src/jobs/daily.ts", "src/http/server.ts", "src/cli/run.ts"],
        "src/cli.ts": ["tools/sandbox/story.ts", "src/db/database.ts"],
        "src/db/repositories/d.ts": ["src/domain/model.ts", "src/domain/deps.ts"],
        "src/main.ts": ["src/app.ts"],
      }),
    );
    expect(found).toEqual([
      "src/cli.ts -> tools/sandbox/story.ts",
      "src/db/repositories/d.ts -> src/domain/deps.ts",
      "src/domain/c.ts -> src/cli/run.ts",
      "src/domain/c.ts -> src/http/server.ts",
      "src/domain/c.ts -> src/jobs/daily.ts",
      "src/domain/c.ts -> src/slack/ids.ts",
      "src/slack/b.ts -> src/buzzin/client.ts",
      "src/slack/b.ts -> src/doorflow/client.ts",
      "src/slack/views/a.ts -> src/db/schema.ts",
    ]);
  });

  it("finds every cycle with all of its files, and no acyclic chain", () => {
    const cycles = findCycles(
      fake({
        "a.ts": ["b.ts"],
        "b.ts": ["c.ts"],
        "c.ts": ["a.ts", "d.ts"],
        "d.ts": ["e.ts"],
        "e.ts": [],
        "f.ts": ["f.ts"],
      }),
    );
    expect(cycles).toEqual([["a.ts", "b.ts", "c.ts"], ["f.ts"]]);
  });

  it("reports a listed violation that is gone as well as a new one", () => {
    expect(drift(["x -> y"], ["z -> w"], "KNOWN_VIOLATIONS")).toEqual([
      "new: x -> y",
      "gone (delete it from KNOWN_VIOLATIONS): z -> w",
    ]);
  });
});
