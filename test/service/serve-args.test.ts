// `stepwright serve` settings: flags over environment variables over defaults.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseServeArgs } from "../../src/cli/serve.ts";

// --functions must name an existing folder.
const root = mkdtempSync(join(tmpdir(), "stepwright-serve-args-"));
const fnsF = join(root, "f");
const fnsG = join(root, "g");
mkdirSync(fnsF);
mkdirSync(fnsG);

describe("serve arguments", () => {
  const cases: [string, string[], NodeJS.ProcessEnv, Partial<ReturnType<typeof parseServeArgs>>][] = [
    ["defaults", [], {}, { host: "127.0.0.1", port: 8083, dataDir: resolve(".stepwright"), accountId: "123456789012", region: "us-east-1" }],
    ["flags", ["--host", "0.0.0.0", "--port=9000", "--data", "/tmp/d", "--functions", fnsF, "--account-id", "111122223333", "--region", "eu-west-1"], {},
      { host: "0.0.0.0", port: 9000, dataDir: "/tmp/d", functionsDir: fnsF, accountId: "111122223333", region: "eu-west-1" }],
    ["environment", [], { STEPWRIGHT_HOST: "::1", STEPWRIGHT_PORT: "7000", STEPWRIGHT_DATA: "/tmp/e", STEPWRIGHT_FUNCTIONS: fnsG },
      { host: "::1", port: 7000, dataDir: "/tmp/e", functionsDir: fnsG }],
    ["flags over environment", ["--port", "7001"], { STEPWRIGHT_PORT: "7000" }, { port: 7001 }],
    ["--auth", ["--auth", "/tmp/auth.json"], {}, { authPath: "/tmp/auth.json" }],
    ["STEPWRIGHT_AUTH", [], { STEPWRIGHT_AUTH: "/tmp/env-auth.json" }, { authPath: "/tmp/env-auth.json" }],
    ["the web console is on by default", [], {}, { console: true }],
    ["--no-console turns the web console off", ["--port", "7002", "--no-console"], {}, { port: 7002, console: false }],
    ["--decision-time-limit", ["--decision-time-limit", "2.5"], {}, { decisionTimeLimitSeconds: 2.5 }],
    ["STEPWRIGHT_DECISION_TIME_LIMIT", [], { STEPWRIGHT_DECISION_TIME_LIMIT: "30" }, { decisionTimeLimitSeconds: 30 }],
    ["--map-run-children-per-node", ["--map-run-children-per-node", "50"], {}, { mapRunChildrenPerNode: 50 }],
    ["STEPWRIGHT_MAP_RUN_CHILDREN_PER_NODE", [], { STEPWRIGHT_MAP_RUN_CHILDREN_PER_NODE: "8" }, { mapRunChildrenPerNode: 8 }],
    ["--events-url", ["--events-url", "http://127.0.0.1:9999/hook"], {}, { eventsUrl: "http://127.0.0.1:9999/hook" }],
    ["STEPWRIGHT_EVENTS_URL", [], { STEPWRIGHT_EVENTS_URL: "https://hooks.example/sfn" }, { eventsUrl: "https://hooks.example/sfn" }],
  ];
  for (const [what, argv, env, expected] of cases) {
    it(what, () => {
      const settings = parseServeArgs(argv, env);
      for (const [key, value] of Object.entries(expected)) assert.equal(settings[key as keyof typeof settings], value, key);
    });
  }
  for (const argv of [["--nope"], ["--port"], ["--port", "99999"], ["--port", "abc"], ["--decision-time-limit", "0"], ["--decision-time-limit", "x"],
    ["--map-run-children-per-node", "0"], ["--map-run-children-per-node", "2.5"], ["--map-run-children-per-node", "x"],
    ["--events-url", "ftp://x/y"], ["--events-url", "not a url"]]) {
    it(`refuses ${argv.join(" ")}`, () => assert.throws(() => parseServeArgs(argv, {})));
  }
});
