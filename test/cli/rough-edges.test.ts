// The CLI's rough edges (issue 11): one argument parser for every command, help per command, messages that say
// what to do, and the package's files.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine, UsageError } from "../../src/cli/args.ts";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { formatHistoryTable } from "../../src/cli/history-table.ts";
import { closestName } from "../../src/util/did-you-mean.ts";
import type { HistoryEvent } from "../../src/sfn/events.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin", "stepwright");
const dir = mkdtempSync(join(tmpdir(), "stepwright-edges-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pass = file("pass.asl.json", JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }));
const typo = file(
  "typo.json",
  '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "Next": "Chrage" },\n    "Charge": { "Type": "Pass", "End": true }\n  }\n}\n',
);

describe("one parser for every command", () => {
  const rows: Array<{ argv: string[]; message: RegExp }> = [
    { argv: ["run", "m.json", "--nope"], message: /^unknown option '--nope' for 'stepwright run'$/ },
    { argv: ["run", "m.json", "--inptu", "{}"], message: /unknown option '--inptu' for 'stepwright run' \(did you mean '--input'\?\)/ },
    { argv: ["validate", "m.json", "--history"], message: /unknown option '--history' for 'stepwright validate'/ },
    { argv: ["serve", "--prot", "9000"], message: /unknown option '--prot' for 'stepwright serve' \(did you mean '--port'\?\)/ },
    { argv: ["test", "--reporter", "tap"], message: /--reporter is default, junit or json, got 'tap'/ },
    { argv: ["run", "m.json", "--input"], message: /option '--input' needs a value/ },
    { argv: ["run", "m.json", "--json=yes"], message: /option '--json' takes no value/ },
    { argv: ["rn", "m.json"], message: /unknown command 'rn' \(did you mean 'run'\?\)/ },
    { argv: ["run", "m.json", "--time-scale=-1"], message: /--time-scale must be a number >= 0/ },
    { argv: ["run", "m.json", "--clock", "fast"], message: /--clock is real or virtual/ },
    { argv: ["run", "m.json", "--substitute", "NOEQUALS"], message: /--substitute takes KEY=VALUE/ },
  ];
  for (const row of rows) {
    it(`refuses ${row.argv.join(" ")}, naming the option`, () => {
      assert.throws(() => parseCommandLine(row.argv), (error: unknown) => error instanceof UsageError && row.message.test(error.message));
    });
  }

  it("parses serve's flags with the same parser as run's (and Step Functions Local's spellings)", () => {
    const command = parseCommandLine(["serve", "--port", "9000", "--no-console", "--aws-account", "111122223333"]);
    assert.deepEqual(command, { kind: "serve", values: { port: "9000", "aws-account": "111122223333" }, console: false });
    assert.equal(parseServeArgs(["--aws-region", "eu-west-1"], {}).region, "eu-west-1");
  });

  it("--help after any command is that command's help", () => {
    for (const name of ["run", "validate", "test", "serve"] as const) assert.deepEqual(parseCommandLine([name, "--help"]), { kind: "help", command: name });
    assert.deepEqual(parseCommandLine(["help", "validate"]), { kind: "help", command: "validate" });
    assert.deepEqual(parseCommandLine(["help"]), { kind: "help" });
  });

  it("run: --substitute, --time-scale and --clock", () => {
    assert.deepEqual(parseCommandLine(["run", "m.json", "--substitute", "A=1", "--substitute=B=x=y", "--time-scale", "0", "--clock", "virtual"]), {
      kind: "run",
      definitionPath: "m.json",
      input: undefined,
      functionsDir: undefined,
      substitutions: { pairs: [["A", "1"], ["B", "x=y"]] },
      timeScale: 0,
      clock: "virtual",
      history: false,
      json: false,
    });
  });
});

describe("help", () => {
  it("`stepwright help` and `stepwright --help` list every command", () => {
    for (const args of [["help"], ["--help"]]) {
      const r = cli(args);
      assert.equal(r.code, 0);
      for (const name of ["run", "validate", "test", "serve"]) assert.match(r.stdout, new RegExp(`^ {2}stepwright ${name} `, "m"));
    }
  });

  it("run --help and validate --help describe their own options", () => {
    const run = cli(["run", "--help"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: stepwright run /);
    assert.match(run.stdout, /--input, -i JSON\|@FILE\|-/);
    assert.match(run.stdout, /--time-scale N/);
    const validate = cli(["help", "validate"]);
    assert.equal(validate.code, 0);
    assert.match(validate.stdout, /^Usage: stepwright validate /);
    assert.match(validate.stdout, /--substitute KEY=VALUE/);
    assert.doesNotMatch(validate.stdout, /--input/);
  });

  it("a usage error points at the command's help", () => {
    const r = cli(["validate", pass, "--input", "{}"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "stepwright: unknown option '--input' for 'stepwright validate'\n(see 'stepwright validate --help')\n");
  });
});

describe("messages that say what to do", () => {
  it("--input file.json without @ suggests @file.json", () => {
    const input = file("order.json", "{}");
    const r = cli(["run", pass, "--input", input]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`InvalidExecutionInput: .*\\(to read the file, write --input @${input.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\)`));
  });

  it("run --json prints JSON for an invalid definition too", () => {
    const r = cli(["run", typo, "--json"]);
    assert.equal(r.code, 2);
    const report = JSON.parse(r.stdout) as { status: null; error: string; cause: string; diagnostics: Array<{ code: string; hint?: string; line?: number }> };
    assert.equal(report.status, null);
    assert.equal(report.error, "InvalidDefinition");
    assert.match(report.cause, /^Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Chrage/);
    assert.equal(report.diagnostics[0]!.code, "MISSING_TRANSITION_TARGET");
    assert.equal(report.diagnostics[0]!.line, 4);
  });

  it("run --json prints JSON for bad input too", () => {
    const r = cli(["run", pass, "--json", "--input", "{bad"]);
    assert.equal(r.code, 2);
    assert.match((JSON.parse(r.stdout) as { cause: string }).cause, /^InvalidExecutionInput/);
  });

  it("a misspelled Next target gets 'did you mean' (AWS's message unchanged)", () => {
    const r = cli(["validate", typo]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /typo\.json:4:28 MISSING_TRANSITION_TARGET Missing 'Next' target: Chrage \(at \/States\/A\/Next\) -- did you mean 'Charge'\?\n/);
    const json = JSON.parse(cli(["validate", typo, "--json"]).stdout) as { diagnostics: Array<{ message: string; hint?: string }> };
    assert.equal(json.diagnostics[0]!.message, "Missing 'Next' target: Chrage");
    assert.equal(json.diagnostics[0]!.hint, "did you mean 'Charge'?");
  });

  it("closestName: close names only", () => {
    assert.equal(closestName("Chrage", ["Charge", "Ship"]), "Charge");
    assert.equal(closestName("chargE", ["Charge"]), "Charge");
    assert.equal(closestName("Totally", ["Charge", "Ship"]), undefined);
  });

  it("a .json definition with a syntax error gets JSON's message, with line and column", () => {
    const bad = file("syntax.json", '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "End": true, }\n  }\n}\n');
    for (const command of ["validate", "run"]) {
      const r = cli([command, bad]);
      assert.match(r.stderr, /syntax\.json:4:41 INVALID_JSON_DESCRIPTION Expected double-quoted property name in JSON at position \d+ \(line 4 column 41\)/);
      assert.doesNotMatch(r.stderr, /YAML|Flow|Implicit/i);
    }
  });

  it("serve --functions with a missing folder is refused (as run refuses it)", () => {
    assert.throws(() => parseServeArgs(["--functions", join(dir, "no-such-folder")], {}), /--functions '.*no-such-folder' is not a folder/);
    assert.throws(() => parseServeArgs([], { STEPWRIGHT_FUNCTIONS: join(dir, "nope") }), /is not a folder \(from STEPWRIGHT_FUNCTIONS\)/);
    const r = cli(["serve", "--port", "0", "--functions", join(dir, "no-such-folder")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a folder/);
  });

  it("a Lambda not in the functions folder: AWS's error, and a line saying where it looked and what to set", () => {
    mkdirSync(join(dir, "fns"), { recursive: true });
    const machine = file(
      "lambda.json",
      JSON.stringify({ StartAt: "L", States: { L: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:missing", End: true } } }),
    );
    const r = cli(["run", machine, "--functions", join(dir, "fns")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error: Lambda\.ResourceNotFoundException\nCause: Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing:\$LATEST/);
    assert.match(r.stderr, /Lambda function 'missing' not found \(looked for missing\.mjs\|\.js\|\.cjs\|\.ts\|\.mts and missing\/index\.\* in .*fns\); give the handlers' folder with --functions DIR, or run functions elsewhere with LAMBDA_ENDPOINT/);
  });
});

describe("a mock configuration naming a state the definition lacks", () => {
  it("run --test-case refuses it (exit 2), naming the closest state", () => {
    const machine = file("mocked.asl.json", JSON.stringify({ StartAt: "Charge", States: { Charge: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:charge", End: true } } }));
    const mocks = file(
      "typo-mocks.json",
      JSON.stringify({ StateMachines: { mocked: { TestCases: { Happy: { Chrage: "Ok" } } } }, MockedResponses: { Ok: { "0": { Return: { ok: true } } } } }),
    );
    const r = cli(["run", machine, "--mock-config", mocks, "--test-case", "Happy"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /test case 'Happy' of 'mocked' mocks the state 'Chrage', which the definition does not have \(did you mean 'Charge'\?\)/);
  });
});

describe("definition substitutions", () => {
  const templated = file(
    "templated.asl.json",
    JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Result: { table: "${TableName}", stage: "${Stage}" }, End: true } } }),
  );
  const task = file("task.asl.json", JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "${FnArn}", End: true } } }));

  it("--substitute and --substitutions fill ${KEY} placeholders (the flag wins)", () => {
    const values = file("subs.yaml", "TableName: Orders\nStage: prod\n");
    const r = cli(["run", templated, "--substitutions", values, "--substitute", "Stage=dev"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { table: "Orders", stage: "dev" });
  });

  it("validate names the placeholders left without a value", () => {
    const r = cli(["validate", task]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /placeholders without a value: \$\{FnArn\}; give them with --substitute KEY=VALUE or --substitutions FILE/);
    assert.equal(cli(["validate", task, "--substitute", "FnArn=arn:aws:lambda:us-east-1:123456789012:function:f"]).code, 0);
  });

  it("a substitutions file that is not an object is an input error", () => {
    const r = cli(["validate", task, "--substitutions", file("list.json", "[1,2]")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /must be an object \{KEY: VALUE\}/);
  });
});

describe("history table", () => {
  it("MapIteration rows show their Map state's name", () => {
    const events = [
      { id: 1, previousEventId: 0, timestamp: 0, type: "MapStateStarted", mapStateStartedEventDetails: { length: 2 } },
      { id: 2, previousEventId: 1, timestamp: 0, type: "MapIterationStarted", mapIterationStartedEventDetails: { name: "Each", index: 0 } },
      { id: 3, previousEventId: 2, timestamp: 0, type: "PassStateExited", stateExitedEventDetails: { name: "Inner", output: "{}" } },
      { id: 4, previousEventId: 3, timestamp: 0, type: "MapIterationSucceeded", mapIterationSucceededEventDetails: { name: "Each", index: 0 } },
    ] as unknown as HistoryEvent[];
    const lines = formatHistoryTable(events).split("\n");
    assert.match(lines[2]!, /MapIterationStarted\s+Each\s+index 0$/);
    assert.match(lines[4]!, /MapIterationSucceeded\s+Each\s+index 0$/);
  });
});

describe("the package", () => {
  it("has the LICENSE package.json declares (Apache-2.0)", () => {
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { license: string };
    assert.equal(manifest.license, "Apache-2.0");
    assert.match(readFileSync(join(repo, "LICENSE"), "utf8"), /^\s+Apache License\n\s+Version 2\.0, January 2004/);
  });

  it("packs without `prepare` (a checkout's npm ci still builds), and puts package.json back", () => {
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { scripts: Record<string, string> };
    assert.match(manifest.scripts["prepare"]!, /tsc -p tsconfig.build.json/);
    assert.match(manifest.scripts["prepack"]!, /npm run build && node scripts\/pack-manifest\.ts strip$/);
    assert.equal(manifest.scripts["postpack"], "node scripts/pack-manifest.ts restore");
    // The scripts as npm runs them, in a copy: prepack's strip, then postpack's restore.
    const work = mkdtempSync(join(tmpdir(), "stepwright-pack-"));
    copyFileSync(join(repo, "package.json"), join(work, "package.json"));
    const original = readFileSync(join(work, "package.json"), "utf8");
    const script = join(repo, "scripts", "pack-manifest.ts");
    assert.equal(spawnSync(process.execPath, [script, "strip"], { cwd: work }).status, 0);
    const packed = JSON.parse(readFileSync(join(work, "package.json"), "utf8")) as { scripts: Record<string, string>; bin: unknown };
    assert.equal(packed.scripts["prepare"], undefined);
    assert.deepEqual(packed.bin, { stepwright: "bin/stepwright" });
    assert.equal(spawnSync(process.execPath, [script, "restore"], { cwd: work }).status, 0);
    assert.equal(readFileSync(join(work, "package.json"), "utf8"), original);
    assert.equal(existsSync(join(work, "package.json.unpacked")), false);
  });
});
