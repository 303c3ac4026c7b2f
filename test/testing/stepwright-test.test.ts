// `stepwright test` (issue 11): test files with passing and failing cases, the reporters (default diff, JUnit
// parsed back, JSON), coverage numbers on a machine with known branches, --explore, and the library runner.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explore, runTestFile, OTHER_ERROR } from "../../src/testing/index.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin", "stepwright");
const dir = mkdtempSync(join(tmpdir(), "stepwright-test-"));

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function cli(args: string[], cwd = dir): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A machine with known branches: a Choice of three rules and a Default, a Task with one Retry and two Catchers.
const machine = {
  StartAt: "Route",
  States: {
    Route: {
      Type: "Choice",
      Choices: [
        { Variable: "$.kind", StringEquals: "a", Next: "A" },
        { Variable: "$.kind", StringEquals: "b", Next: "B" },
        { Variable: "$.kind", StringEquals: "c", Next: "C" },
      ],
      Default: "Other",
    },
    A: { Type: "Pass", Result: { route: "a" }, Next: "Work" },
    B: { Type: "Pass", Result: { route: "b" }, Next: "Work" },
    C: { Type: "Pass", Result: { route: "c" }, Next: "Work" },
    Other: { Type: "Fail", Error: "Unknown", Cause: "no such kind" },
    Work: {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:work",
      Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 60, MaxAttempts: 1 }],
      Catch: [
        { ErrorEquals: ["Known"], Next: "Handled" },
        { ErrorEquals: ["States.ALL"], Next: "Handled" },
      ],
      End: true,
    },
    Handled: { Type: "Pass", End: true },
  },
};
write("project/machine.asl.json", JSON.stringify(machine, null, 2));
write("project/functions/work.mjs", "export const handler = async (event) => ({ worked: event.route });\n");
write(
  "project/machine.sfn-test.yaml",
  `definition: ./machine.asl.json
functions: ./functions
cases:
  - name: route a works
    input: { kind: a }
    expect:
      status: SUCCEEDED
      output: { worked: a }
      path: [Route, A, Work]
      states:
        Work: { calls: 1, input: { route: a } }
  - name: route b is retried once after Flaky
    input: { kind: b }
    mocks:
      Work: { "0": { Throw: { Error: Flaky } }, "1": { Return: { worked: b } } }
    expect:
      status: SUCCEEDED
      states: { Work: { calls: 2 } }
  - name: a wrong expectation shows its diff
    input: { kind: a }
    expect:
      output: { worked: z, extra: 1 }
      path: [Route, B, Work]
`,
);

describe("stepwright test", () => {
  it("runs passing and failing cases; the default report shows what differed as a diff; exit 1", () => {
    const r = cli(["test"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^✔ project\/machine\.sfn-test\.yaml › route a works \(\d+ ms\)$/m);
    assert.match(r.stdout, /^✔ project\/machine\.sfn-test\.yaml › route b is retried once after Flaky/m);
    assert.match(r.stdout, /^✘ project\/machine\.sfn-test\.yaml › a wrong expectation shows its diff/m);
    assert.match(r.stdout, /output at \$\.worked:\n {8}- expected "z"\n {8}\+ actual {3}"a"\n/);
    assert.match(r.stdout, /output at \$\.extra:\n {8}- expected 1\n {8}\+ actual {3}\(absent\)\n/);
    assert.match(r.stdout, /path:\n {8}- expected \["Route","B","Work"\]\n {8}\+ actual {3}\["Route","A","Work"\]\n/);
    assert.match(r.stdout, /\n2 passed, 1 failed\n$/);
  });

  it("exit 0 when every case passes (a file named alone)", () => {
    const only = write("project/pass.sfn-test.json", JSON.stringify({ definition: "./machine.asl.json", functions: "./functions", cases: [{ name: "c", input: { kind: "c" }, expect: { output: { worked: "c" } } }] }));
    const r = cli(["test", only]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 passed, 0 failed/);
  });

  it("--reporter junit --output FILE: JUnit XML that parses back to the cases and the failure", () => {
    const out = join(dir, "junit.xml");
    const r = cli(["test", "project/machine.sfn-test.yaml", "--reporter", "junit", "--output", out]);
    assert.equal(r.code, 1);
    const text = readFileSync(out, "utf8");
    assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
    const attrs = (tag: string): Record<string, string | undefined> => Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const suites = [...text.matchAll(/<testsuite (.*?)>/g)].map((m) => attrs(m[1]!));
    assert.equal(suites.length, 1);
    assert.equal(suites[0]!["tests"], "3");
    assert.equal(suites[0]!["failures"], "1");
    const cases = [...text.matchAll(/<testcase (.*?)\/?>(?:\s*<failure message="([^"]*)">([\s\S]*?)<\/failure>)?/g)].map((m): Record<string, string | undefined> => ({ ...attrs(m[1]!), failure: m[2], body: m[3] }));
    assert.deepEqual(cases.map((c) => c["name"]), ["route a works", "route b is retried once after Flaky", "a wrong expectation shows its diff"]);
    assert.equal(cases[0]!["failure"], undefined);
    assert.equal(cases[2]!["failure"], "3 differences: output, output, path");
    assert.match(cases[2]!["body"]!, /- expected &quot;z&quot;/);
  });

  it("--reporter json", () => {
    const r = cli(["test", "project/machine.sfn-test.yaml", "--reporter", "json"]);
    const report = JSON.parse(r.stdout) as { passed: number; failed: number; files: Array<{ cases: Array<{ passed: boolean; differences: Array<{ field: string; at: string }> }> }> };
    assert.equal(report.passed, 2);
    assert.equal(report.failed, 1);
    assert.deepEqual(report.files[0]!.cases[2]!.differences.map((d) => `${d.field} ${d.at}`), ["output $.worked", "output $.extra", "path $"]);
  });

  it("--coverage: states, Choice rules and Default, Catchers and Retriers, as a table and JSON; a threshold fails below it", () => {
    const json = join(dir, "coverage.json");
    const r = cli(["test", "project/machine.sfn-test.yaml", "--coverage-json", json, "--coverage-threshold", "90"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /DEFINITION\s+STATES\s+CHOICES\s+CATCHERS\s+RETRIERS\s+TOTAL\nproject\/machine\.asl\.json\s+4\/7\s+2\/4\s+0\/2\s+1\/1\s+50%/);
    assert.match(r.stdout, /not covered: state C, state Other, state Handled, Route#2, Route#Default, Work#catch0, Work#catch1/);
    assert.match(r.stderr, /coverage of project\/machine\.asl\.json is 50%, below the threshold of 90%/);
    const coverage = JSON.parse(readFileSync(json, "utf8")) as { definitions: Array<{ percent: number; states: { covered: number; total: number }; choices: { missed: string[] } }> };
    assert.equal(coverage.definitions[0]!.percent, 50);
    assert.deepEqual(coverage.definitions[0]!.states, { total: 7, covered: 4, missed: ["C", "Other", "Handled"] });
    assert.deepEqual(coverage.definitions[0]!.choices.missed, ["Route#2", "Route#Default"]);
  });

  it("a mocked state the definition does not have is an error naming the likely one", async () => {
    const file = write("project/typo.sfn-test.yaml", "definition: ./machine.asl.json\ncases:\n  - name: typo\n    input: { kind: a }\n    mocks: { Wrok: { '0': { Return: {} } } }\n");
    const result = await runTestFile(file);
    assert.equal(result.cases[0]!.passed, false);
    assert.equal(result.cases[0]!.error, "the mocked state 'Wrok' is not in the definition (did you mean 'Work'?)");
  });

  it("a test file with an unknown field is an input error (exit 2)", () => {
    const file = write("bad/bad.sfn-test.yaml", "definition: ./x.json\ncases:\n  - name: x\n    expect: { sttus: SUCCEEDED }\n");
    const r = cli(["test", file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cases\[0\]\.expect: unknown field 'sttus'/);
  });
});

describe("stepwright test --explore", () => {
  // A planted unreachable state (the Choice reads a value a Pass state fixes) and an error no Catch handles.
  const planted = {
    StartAt: "Fix",
    States: {
      Fix: { Type: "Pass", Result: { mode: "fast" }, Next: "Mode" },
      Mode: { Type: "Choice", Choices: [{ Variable: "$.mode", StringEquals: "slow", Next: "Slow" }], Default: "Work" },
      Slow: { Type: "Pass", Next: "Work" },
      Work: {
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:123456789012:function:work",
        Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ["Known"], Next: "Recover" }],
        End: true,
      },
      Recover: { Type: "Pass", End: true },
    },
  };

  it("finds the unreachable state and the uncaught errors (library)", async () => {
    const report = await explore(JSON.stringify(planted), planted);
    assert.equal(report.partial, false);
    assert.deepEqual(report.unreachable, ["Slow"]);
    assert.deepEqual(report.coverage.choices.missed, ["Mode#0"]);
    assert.deepEqual(report.uncaught.map((f) => `${f.state} ${f.error}`).sort(), ["Work Flaky", `Work ${OTHER_ERROR}`]);
    assert.deepEqual(report.runtime, []);
    // {} and the input Mode's rule accepts ({"mode":"slow"}, which the Pass state overwrites) and refuses.
    assert.equal(report.inputs, 3);
  });

  it("derives inputs that take a Choice both ways where the input reaches it", async () => {
    const routed = {
      StartAt: "Check",
      States: {
        Check: {
          Type: "Choice",
          Choices: [{ And: [{ Variable: "$.order.id", IsPresent: true }, { Variable: "$.order.total", NumericGreaterThan: 100 }], Next: "Big" }],
          Default: "Small",
        },
        Big: { Type: "Pass", End: true },
        Small: { Type: "Pass", End: true },
      },
    };
    const report = await explore(JSON.stringify(routed), routed);
    assert.deepEqual(report.unreachable, []);
    assert.deepEqual(report.coverage.choices.missed, []);
  });

  it("through the CLI: the report and exit 1", () => {
    const path = write("planted.asl.json", JSON.stringify(planted));
    const r = cli(["test", "--explore", path]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /states no run reaches: Slow\n/);
    assert.match(r.stdout, /uncaught: Work fails the execution with Flaky\n {4}input: \{\}\n {4}path: Fix > Mode > Work\n {4}answers: Work: Flaky, Work: Flaky\n/);
  });
});
