// One row per validation rule: the definition, and the code and JSON pointer AWS-style validation reports.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { validateDefinition } from "../../src/asl/validate.ts";
import { InvalidDefinitionError, loadDefinition } from "../../src/asl/load.ts";

type Obj = Record<string, unknown>;
/** A one-state machine whose state A has the given fields. */
const one = (a: Obj, top: Obj = {}): Obj => ({ StartAt: "A", States: { A: a }, ...top });
const pass = { Type: "Pass", End: true };
const task = (extra: Obj = {}): Obj => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true, ...extra });
const jsonata = { QueryLanguage: "JSONata" };
const map = (extra: Obj = {}): Obj => ({
  Type: "Map",
  ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
  End: true,
  ...extra,
});

interface Row {
  rule: string;
  definition: unknown;
  code: string;
  path: string;
  type?: "STANDARD" | "EXPRESS";
}

const rows: Row[] = [
  { rule: "definition must be an object", definition: [1], code: "SCHEMA_VALIDATION_FAILED", path: "" },
  { rule: "StartAt is required", definition: { States: { A: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "" },
  { rule: "States is required", definition: { StartAt: "A" }, code: "SCHEMA_VALIDATION_FAILED", path: "" },
  { rule: "unknown top-level field", definition: one(pass, { Coment: "x" }), code: "SCHEMA_VALIDATION_FAILED", path: "" },
  { rule: "Comment is a string", definition: one(pass, { Comment: 1 }), code: "SCHEMA_VALIDATION_FAILED", path: "/Comment" },
  { rule: "Version is a string", definition: one(pass, { Version: 1 }), code: "SCHEMA_VALIDATION_FAILED", path: "/Version" },
  { rule: "TimeoutSeconds is positive", definition: one(pass, { TimeoutSeconds: 0 }), code: "SCHEMA_VALIDATION_FAILED", path: "/TimeoutSeconds" },
  { rule: "StartAt names a state", definition: { StartAt: "B", States: { A: pass } }, code: "MISSING_TRANSITION_TARGET", path: "/StartAt" },
  { rule: "Type is required", definition: one({ End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Type is known", definition: one({ Type: "Sleep", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Type" },
  { rule: "a state is an object", definition: one(pass, { States: { A: pass, B: "x" } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/B" },
  { rule: "state name at most 80 characters", definition: { StartAt: "x".repeat(81), States: { ["x".repeat(81)]: pass } }, code: "INVALID_STATE_NAME", path: `/States/${"x".repeat(81)}` },
  { rule: "unknown state field", definition: one({ ...pass, Foo: 1 }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "TimeoutSeconds not on Parallel", definition: one({ Type: "Parallel", Branches: [one(pass)], End: true, TimeoutSeconds: 5 }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Next or End is required", definition: one({ Type: "Pass" }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "not both Next and End", definition: { StartAt: "A", States: { A: { Type: "Pass", Next: "B", End: true }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "End is a boolean", definition: one({ Type: "Pass", End: "true" }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/End" },
  { rule: "Next on a Succeed state", definition: { StartAt: "A", States: { A: { Type: "Succeed", Next: "B" }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Next names a state", definition: one({ Type: "Pass", Next: "Nope" }), code: "MISSING_TRANSITION_TARGET", path: "/States/A/Next" },
  { rule: "no terminal state", definition: { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "A" } } }, code: "MISSING_END_STATE", path: "" },
  { rule: "unreachable state", definition: { StartAt: "A", States: { A: pass, B: pass } }, code: "MISSING_TRANSITION_TARGET", path: "/States/B" },
  { rule: "duplicate state name across scopes", definition: { StartAt: "A", States: { A: map({ Next: "P", End: undefined }), P: pass } }, code: "DUPLICATE_STATE_NAME", path: "/States/P" },
  // Query languages
  { rule: "QueryLanguage is known", definition: one({ ...pass, QueryLanguage: "XPath" }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/QueryLanguage" },
  { rule: "no JSONPath state in a JSONata machine", definition: one({ ...pass, QueryLanguage: "JSONPath" }, jsonata), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "JSONata state has no InputPath", definition: one({ ...pass, InputPath: "$" }, jsonata), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "JSONata state has no Parameters", definition: one(task({ Parameters: {} }), jsonata), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "JSONata state has no ResultPath", definition: one({ ...pass, ResultPath: "$.x" }, jsonata), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "JSONPath state has no Arguments", definition: one(task({ Arguments: {} })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "JSONPath state has no Output", definition: one({ ...pass, Output: {} }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  // Expressions
  { rule: "InputPath is a JSONPath", definition: one({ ...pass, InputPath: "bug$.x" }), code: "INVALID_JSON_PATH", path: "/States/A/InputPath" },
  { rule: "ResultPath is a reference path", definition: one({ ...pass, ResultPath: "$.a[*]" }), code: "INVALID_JSON_PATH", path: "/States/A/ResultPath" },
  { rule: "ResultPath has no variable", definition: one({ ...pass, ResultPath: "$foo" }), code: "INVALID_JSON_PATH", path: "/States/A/ResultPath" },
  { rule: "template .$ value is a path", definition: one({ ...pass, Parameters: { "a.$": "nope" } }), code: "INVALID_JSON_PATH", path: "/States/A/Parameters/a.$" },
  { rule: "template has a and a.$", definition: one({ ...pass, Parameters: { a: 1, "a.$": "$.a" } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Parameters/a.$" },
  { rule: "intrinsic syntax", definition: one({ ...pass, Parameters: { "a.$": "States.Format('x'" } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Parameters/a.$" },
  // Only \' \{ \} \\ are escapes inside '...' (intrinsic-functions.html, "Reserved characters"; issue 14).
  { rule: "intrinsic string with an illegal escape", definition: one({ ...pass, Parameters: { "a.$": "States.Format('a\\.b')" } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Parameters/a.$" },
  // AWS-validated (2025-02-02) as illegal: LocalStack's test_base_scenarios.py::test_illegal_escapes with the
  // templates escape_sequences_illegal_intrinsic_function(_2).json5: `\"` inside '...'.
  { rule: "intrinsic string with an escaped double quote (StringToJson)", definition: one({ ...pass, Parameters: { "parsed.$": `States.StringToJson('{"text":"An \\"escaped double quote\\" here"}')` } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Parameters/parsed.$" },
  { rule: "intrinsic string with an escaped double quote (Format)", definition: one({ ...pass, Parameters: { "parsed.$": `States.Format('He said, \\"Hello, {}!\\"', 'Test \\"Name\\" Here')` } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Parameters/parsed.$" },
  { rule: "intrinsic argument count", definition: one({ ...pass, Parameters: { "a.$": "States.UUID(1)" } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Parameters/a.$" },
  { rule: "intrinsic literal type", definition: one({ ...pass, Parameters: { "a.$": "States.MathAdd(1, '2')" } }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Parameters/a.$" },
  { rule: "JSONata syntax", definition: one({ ...pass, Output: "{% 1 + %}" }, jsonata), code: "INVALID_JSONATA_EXPRESSION", path: "/States/A/Output" },
  { rule: "JSONata unclosed", definition: one({ ...pass, Output: { x: "{% 1" } }, jsonata), code: "INVALID_JSONATA_EXPRESSION", path: "/States/A/Output/x" },
  { rule: "JSONata top-level field reference", definition: one({ ...pass, Output: { v: "{% phone %}" } }, jsonata), code: "UNSUPPORTED_JSONATA_EXPRESSION", path: "/States/A/Output/v" },
  { rule: "JSONata in Assign", definition: one({ ...pass, Assign: { a: ["{% 420. %}"] } }, jsonata), code: "INVALID_JSONATA_EXPRESSION", path: "/States/A/Assign/a/0" },
  // Task
  { rule: "Task needs Resource", definition: one({ Type: "Task", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Resource is an ARN", definition: one(task({ Resource: "${fn" })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Resource" },
  { rule: "optimized integration action exists", definition: one(task({ Resource: "arn:aws:states:::dynamodb:query" })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Resource" },
  { rule: "Express has no .sync", definition: one(task({ Resource: "arn:aws:states:::states:startExecution.sync" })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Resource", type: "EXPRESS" },
  { rule: "TimeoutSeconds xor TimeoutSecondsPath", definition: one(task({ TimeoutSeconds: 5, TimeoutSecondsPath: "$.t" })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "TimeoutSeconds is positive", definition: one(task({ TimeoutSeconds: 0 })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/TimeoutSeconds" },
  { rule: "HeartbeatSeconds below TimeoutSeconds", definition: one(task({ TimeoutSeconds: 5, HeartbeatSeconds: 5 })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/HeartbeatSeconds" },
  { rule: "Credentials need RoleArn", definition: one(task({ Credentials: {} })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Credentials" },
  { rule: "Credentials is an object", definition: one(task({ Credentials: null })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Credentials" },
  // Retry / Catch
  { rule: "ErrorEquals is required", definition: one(task({ Retry: [{}] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0" },
  { rule: "ErrorEquals is non-empty", definition: one(task({ Retry: [{ ErrorEquals: [] }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0/ErrorEquals" },
  { rule: "ErrorEquals holds strings", definition: one(task({ Retry: [{ ErrorEquals: [true] }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0/ErrorEquals/0" },
  { rule: "States.ALL alone", definition: one(task({ Retry: [{ ErrorEquals: ["States.ALL", "X"] }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0/ErrorEquals" },
  { rule: "States.ALL last", definition: one(task({ Retry: [{ ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["X"] }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0/ErrorEquals" },
  { rule: "BackoffRate at least 1", definition: one(task({ Retry: [{ ErrorEquals: ["X"], BackoffRate: 0.5 }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0/BackoffRate" },
  { rule: "MaxAttempts not negative", definition: one(task({ Retry: [{ ErrorEquals: ["X"], MaxAttempts: -1 }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0/MaxAttempts" },
  { rule: "JitterStrategy is known", definition: one(task({ Retry: [{ ErrorEquals: ["X"], JitterStrategy: "SOME" }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Retry/0/JitterStrategy" },
  { rule: "Catch needs Next", definition: one(task({ Catch: [{ ErrorEquals: ["X"] }] })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Catch/0" },
  { rule: "Catch Next names a state", definition: one(task({ Catch: [{ ErrorEquals: ["X"], Next: "Nope" }] })), code: "MISSING_TRANSITION_TARGET", path: "/States/A/Catch/0/Next" },
  // Choice
  { rule: "Choice needs Choices", definition: one({ Type: "Choice", Default: "A" }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Choices is non-empty", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [], Default: "B" }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Choices" },
  { rule: "choice rule needs Next", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true }], Default: "B" }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Choices/0" },
  { rule: "choice rule has one operator", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", Next: "B" }] }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Choices/0" },
  { rule: "unknown choice operator", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", StringEqualz: "a", Next: "B" }] }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Choices/0" },
  { rule: "operator operand type", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", NumericEquals: "1", Next: "B" }] }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Choices/0/NumericEquals" },
  { rule: "nested rule has no Next", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Not: { Variable: "$.x", IsNull: true, Next: "B" }, Next: "B" }] }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Choices/0/Not" },
  { rule: "Default names a state", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ Variable: "$.x", IsNull: true, Next: "B" }], Default: "Nope" }, B: pass } }, code: "MISSING_TRANSITION_TARGET", path: "/States/A/Default" },
  { rule: "JSONata rule needs Condition", definition: { StartAt: "A", QueryLanguage: "JSONata", States: { A: { Type: "Choice", Choices: [{ Next: "B" }] }, B: pass } }, code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Choices/0" },
  // Wait
  { rule: "Wait needs one timing field", definition: one({ Type: "Wait", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Wait has only one timing field", definition: one({ Type: "Wait", Seconds: 1, SecondsPath: "$.s", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Seconds not negative", definition: one({ Type: "Wait", Seconds: -1, End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Seconds" },
  { rule: "Timestamp is RFC 3339", definition: one({ Type: "Wait", Timestamp: "2016-12-05 21:29:29Z", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Timestamp" },
  { rule: "Timestamp time in range", definition: one({ Type: "Wait", Timestamp: "2016-12-05T25:29:29Z", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Timestamp" },
  { rule: "JSONPath Timestamp is not JSONata", definition: one({ Type: "Wait", Timestamp: "{% '2016-03-14T01:59:00Z' %}", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Timestamp" },
  // Fail
  { rule: "Fail Error xor ErrorPath", definition: one({ Type: "Fail", Error: "E", ErrorPath: "$.e" }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Fail CausePath is a path or intrinsic", definition: one({ Type: "Fail", CausePath: "cause" }), code: "INVALID_JSON_PATH", path: "/States/A/CausePath" },
  { rule: "JSONata Fail has no ErrorPath", definition: one({ Type: "Fail", ErrorPath: "$.e" }, jsonata), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  // Parallel
  { rule: "Parallel needs Branches", definition: one({ Type: "Parallel", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "branch is an object", definition: one({ Type: "Parallel", Branches: [[]], End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Branches/0" },
  { rule: "branch targets stay in the branch", definition: { StartAt: "A", States: { A: { Type: "Parallel", Branches: [{ StartAt: "X", States: { X: { Type: "Pass", Next: "B" } } }], Next: "B" }, B: pass } }, code: "MISSING_TRANSITION_TARGET", path: "/States/A/Branches/0/States/X/Next" },
  { rule: "branch needs a terminal state", definition: one({ Type: "Parallel", Branches: [{ StartAt: "X", States: { X: { Type: "Pass", Next: "X" } } }], End: true }), code: "MISSING_END_STATE", path: "" },
  // Map
  { rule: "Map needs ItemProcessor", definition: one({ Type: "Map", End: true }), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Map has ItemProcessor or Iterator", definition: one(map({ Iterator: { StartAt: "Q", States: { Q: pass } } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "ProcessorConfig Mode is known", definition: one(map({ ItemProcessor: { ProcessorConfig: { Mode: "FAST" }, StartAt: "P", States: { P: pass } } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemProcessor/ProcessorConfig/Mode" },
  { rule: "MaxConcurrency not negative", definition: one(map({ MaxConcurrency: -1 })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/MaxConcurrency" },
  { rule: "ToleratedFailurePercentage at most 100", definition: one(map({ ToleratedFailurePercentage: 105 })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ToleratedFailurePercentage" },
  { rule: "ToleratedFailureCount xor its Path", definition: one(map({ ToleratedFailureCount: 1, ToleratedFailureCountPath: "$.c" })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "ItemSelector xor Parameters", definition: one(map({ ItemSelector: {}, Parameters: {} })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A" },
  { rule: "Label at most 40 characters", definition: one(map({ Label: "x".repeat(41) })), code: "INVALID_LABEL_NAME", path: "/States/A/Label" },
  { rule: "Label characters", definition: one(map({ Label: "a b" })), code: "INVALID_LABEL_NAME", path: "/States/A/Label" },
  // An empty Label is InvalidDefinition on AWS (LocalStack's AWS-recorded test_map_state_label_empty_fail).
  { rule: "Label not empty", definition: one(map({ Label: "" })), code: "INVALID_LABEL_NAME", path: "/States/A/Label" },
  { rule: "ItemReader needs Resource", definition: one(map({ ItemReader: {} })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemReader" },
  { rule: "ItemBatcher fields", definition: one(map({ ItemBatcher: { MaxItems: 1 } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemBatcher" },
  // "ItemReader (Map)", "ItemBatcher (Map)", "ResultWriter (Map)" (input-output-itemreader/itembatcher/resultwriter.html).
  { rule: "ItemReader Resource is s3:getObject or s3:listObjectsV2", definition: one(map({ ItemReader: { Resource: "arn:aws:states:::s3:putObject", Parameters: {} } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemReader/Resource" },
  { rule: "ReaderConfig InputType is known", definition: one(map({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "XML" }, Parameters: {} } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemReader/ReaderConfig/InputType" },
  { rule: "ReaderConfig CSVDelimiter is known", definition: one(map({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV", CSVDelimiter: "COLON" }, Parameters: {} } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemReader/ReaderConfig/CSVDelimiter" },
  { rule: "CSVHeaderLocation GIVEN needs CSVHeaders", definition: one(map({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "GIVEN" }, Parameters: {} } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemReader/ReaderConfig" },
  { rule: "ReaderConfig MaxItems at most 100,000,000", definition: one(map({ ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSON", MaxItems: 100_000_001 }, Parameters: {} } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemReader/ReaderConfig/MaxItems" },
  { rule: "MaxInputBytesPerBatch at most 256 KiB", definition: one(map({ ItemBatcher: { MaxInputBytesPerBatch: 262_145 } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemBatcher/MaxInputBytesPerBatch" },
  { rule: "MaxItemsPerBatch xor its Path", definition: one(map({ ItemBatcher: { MaxItemsPerBatch: 2, MaxItemsPerBatchPath: "$.n" } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ItemBatcher" },
  { rule: "ResultWriter is not empty", definition: one(map({ ResultWriter: {} })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ResultWriter" },
  { rule: "WriterConfig Transformation is known", definition: one(map({ ResultWriter: { WriterConfig: { Transformation: "SQUASH" } } })), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/ResultWriter/WriterConfig/Transformation" },
  { rule: "JSONata Items is an array or expression", definition: one(map({ Items: "abc" }), jsonata), code: "SCHEMA_VALIDATION_FAILED", path: "/States/A/Items" },
  { rule: "processor needs a terminal state", definition: one(map({ ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", Next: "P" } } } })), code: "MISSING_END_STATE", path: "" },
];

describe("validation rules", () => {
  for (const row of rows) {
    test(row.rule, () => {
      const diagnostics = validateDefinition(row.definition, row.type ? { type: row.type } : {});
      const found = diagnostics.some((d) => d.severity === "ERROR" && d.code === row.code && d.path === row.path);
      assert.ok(found, `expected ${row.code} at "${row.path}", got:\n${diagnostics.map((d) => `${d.code} at "${d.path}": ${d.message}`).join("\n")}`);
    });
  }
});

const validRows: { rule: string; definition: unknown }[] = [
  { rule: "a minimal machine", definition: one(pass) },
  { rule: "End false beside Next", definition: { StartAt: "A", States: { A: { Type: "Pass", Next: "B", End: false }, B: pass } } },
  { rule: "null InputPath/OutputPath/ResultPath", definition: one({ ...pass, InputPath: null, OutputPath: null, ResultPath: null }) },
  { rule: "context and variable paths in templates", definition: one({ ...pass, Parameters: { "id.$": "$$.Execution.Id", "v.$": "$myVar.x" } }) },
  { rule: "Jayway paths AWS accepts", definition: one({ ...pass, Parameters: { "a.$": "$.[0]", "b.$": "$[?(@.k==v)].x", "c.$": "$.a.length()" } }) },
  { rule: "JSONata Timestamp expression", definition: one({ Type: "Wait", Timestamp: "{% $states.input.t %}", End: true }, jsonata) },
  { rule: "JSONata numeric expressions", definition: one(task({ TimeoutSeconds: "{% 10 %}", HeartbeatSeconds: "{% 5 %}" }), jsonata) },
  { rule: "JSONata Map over a nested JSONPath state", definition: one(map({ QueryLanguage: "JSONata", ItemProcessor: { StartAt: "P", States: { P: { ...pass, QueryLanguage: "JSONPath" } } } })) },
  { rule: "Assign in a JSONPath state", definition: one({ ...pass, Assign: { x: 1, "y.$": "$.y" } }) },
  { rule: "nested And/Or/Not rules", definition: { StartAt: "A", States: { A: { Type: "Choice", Choices: [{ And: [{ Variable: "$.a", IsPresent: true }, { Not: { Variable: "$.b", StringEquals: "x" } }], Next: "B" }], Default: "B" }, B: pass } } },
  { rule: "Catch to a later state", definition: { StartAt: "A", States: { A: task({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "B", ResultPath: "$.err" }] }), B: pass } } },
  { rule: "aws-sdk integration", definition: one(task({ Resource: "arn:aws:states:::aws-sdk:s3:listObjectsV2" })) },
  { rule: "activity ARN", definition: one(task({ Resource: "arn:aws:states:us-east-1:123456789012:activity:a" })) },
  { rule: "Fail ErrorPath intrinsic", definition: one({ Type: "Fail", ErrorPath: "States.Format('E{}', $.x)" }) },
  // Jayway trims blanks around a path; AWS runs `"$$.Execution.Name "` (a 2021 sample; issue 14).
  { rule: "blanks around a path", definition: one({ ...pass, InputPath: "$.a ", Parameters: { "name.$": "$$.Execution.Name ", "b.$": " $.b" } }) },
];

describe("warnings", () => {
  const warnings = [
    { rule: "NO_DOLLAR", definition: one({ ...pass, Parameters: { id: "$.id" } }), path: "/States/A/Parameters/id" },
    { rule: "PASS_RESULT_IS_STATIC", definition: one({ ...pass, Result: { "a.$": "$.a" } }), path: "/States/A/Result/a.$" },
  ];
  for (const row of warnings) {
    test(row.rule, () => {
      const diagnostics = validateDefinition(row.definition);
      assert.deepEqual(diagnostics.map((d) => [d.code, d.path, d.severity]), [[row.rule, row.path, "WARNING"]]);
    });
  }
});

describe("valid definitions", () => {
  for (const row of validRows) {
    test(row.rule, () => {
      const errors = validateDefinition(row.definition).filter((d) => d.severity === "ERROR");
      assert.deepEqual(errors, []);
    });
  }
});

describe("loadDefinition", () => {
  test("returns the definition when valid", () => {
    const def = loadDefinition('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}');
    assert.equal(def.StartAt, "A");
  });
  test("throws InvalidDefinitionError with AWS's message, several joined with ', '", () => {
    const text = JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", Next: "C" }, B: pass } });
    assert.throws(
      () => loadDefinition(text),
      (err: unknown) => {
        assert.ok(err instanceof InvalidDefinitionError);
        assert.equal(
          err.message,
          "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: C at /States/A/Next, " +
            "MISSING_TRANSITION_TARGET: State \"B\" is not reachable. at /States/B'",
        );
        assert.equal(err.diagnostics.length, 2);
        return true;
      },
    );
  });
  test("MISSING_END_STATE renders 'at null'", () => {
    assert.throws(
      () => loadDefinition({ StartAt: "A", States: { A: { Type: "Pass", Next: "A" } } }),
      { message: "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'" },
    );
  });
  test("diagnostics carry source positions from text", () => {
    try {
      loadDefinition('{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "Z"}\n  }\n}');
      assert.fail("expected a rejection");
    } catch (err) {
      assert.ok(err instanceof InvalidDefinitionError);
      const d = err.diagnostics.find((x) => x.path === "/States/A/Next");
      assert.deepEqual([d?.line, d?.column], [4, 27]);
    }
  });
});
