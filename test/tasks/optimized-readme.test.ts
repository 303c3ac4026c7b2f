// The README's table of resources ("Resources that work") stays true to the catalog of optimized integrations
// (src/tasks/awsSdk/optimized/catalog.ts, from AWS's list, integrate-optimized.html): every `service:action`
// Stepwright runs has a row, with every pattern it offers in that row's Patterns column, and a row claims no
// pattern that none of its actions offers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { optimizedApis } from "../../src/tasks/awsSdk/optimized/catalog.ts";

const PATTERN_NAMES: Record<string, string> = { "request-response": "", "`.sync`": "sync", "`.waitForTaskToken`": "waitForTaskToken" };

interface Row {
  apis: string[];
  patterns: Set<string>;
}

// The rows of the table under "### Resources that work" whose resources are `arn:aws:states:::SERVICE:ACTION`.
function tableRows(): Row[] {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const start = readme.indexOf("### Resources that work");
  const section = readme.slice(start, readme.indexOf("\n### ", start + 1));
  const rows: Row[] = [];
  for (const line of section.split("\n")) {
    const cells = line.split(" | ");
    const resources = cells[0] ?? "";
    if (!resources.startsWith("| `arn:aws:states:::") || resources.includes("aws-sdk:")) continue;
    let service = "";
    const apis: string[] = [];
    for (const [, token] of resources.matchAll(/`([^`]+)`/g)) {
      const named = /^(?:arn:aws:states:::)?([a-z-]+):([a-zA-Z]+)$/.exec(token ?? "");
      if (named) service = named[1] ?? "";
      apis.push(named ? `${service}:${named[2] ?? ""}` : `${service}:${token ?? ""}`);
    }
    const patterns = new Set((cells[1] ?? "").split(", ").map((name) => PATTERN_NAMES[name.trim()] ?? `unknown ${name}`));
    rows.push({ apis, patterns });
  }
  return rows;
}

describe("README: the table of resources lists every optimized integration and pattern", () => {
  const rows = tableRows();
  const catalog = new Map(optimizedApis().map(([api, spec]) => [api, spec.patterns]));

  it("every integration has a row with each of its patterns", () => {
    assert.ok(rows.length >= 20 && catalog.size >= 60, `${rows.length} rows, ${catalog.size} integrations`);
    const missing: string[] = [];
    for (const [api, patterns] of catalog) {
      const row = rows.find((candidate) => candidate.apis.includes(api));
      if (!row) missing.push(`${api}: no row`);
      else for (const pattern of patterns) if (!row.patterns.has(pattern)) missing.push(`${api}: pattern '${pattern || "request-response"}' not in its row`);
    }
    assert.deepEqual(missing, []);
  });

  it("every row names integrations Stepwright runs, and only patterns one of them offers", () => {
    const wrong: string[] = [];
    for (const row of rows) {
      for (const api of row.apis) if (!catalog.has(api) && api !== "lambda:invoke" && api !== "http:invoke" && api !== "states:startExecution") wrong.push(`${api}: not in the catalog`);
      const offered = new Set<string>(row.apis.flatMap((api) => catalog.get(api) ?? []));
      if (offered.size === 0) continue;
      for (const pattern of row.patterns) if (!offered.has(pattern)) wrong.push(`${row.apis.join(", ")}: '${pattern}' offered by none`);
    }
    assert.deepEqual(wrong, []);
  });
});
