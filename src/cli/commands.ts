// The commands of `stepwright` and their options: the one table the argument parser (args.ts), the help texts
// (usage.ts) and the README's CLI section follow.

/** One option of a command. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** May be given several times (collected in order). */
  readonly multiple?: boolean;
  /** The value's placeholder in the help text (`FILE`, `N`). */
  readonly value?: string;
  readonly help: string;
}

/** One command. */
export interface CommandSpec {
  /** The arguments after the command's name, as the help text shows them. */
  readonly synopsis: string;
  readonly summary: string;
  /** How many positional arguments it takes. */
  readonly positionals: { readonly min: number; readonly max: number; readonly missing: string };
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Lines after the options in its help text. */
  readonly notes?: readonly string[];
}

const help: OptionSpec = { type: "boolean", short: "h", help: "Show this help." };

const substitution: Record<string, OptionSpec> = {
  substitute: {
    type: "string",
    multiple: true,
    value: "KEY=VALUE",
    help: "Replace ${KEY} in the definition with VALUE before reading it (SAM / CloudFormation DefinitionSubstitutions); repeatable.",
  },
  substitutions: { type: "string", value: "FILE", help: "A JSON or YAML object of substitutions {KEY: VALUE} (--substitute wins)." },
};

const timeOptions: Record<string, OptionSpec> = {
  "time-scale": {
    type: "string",
    value: "N",
    help: "Waits, retry intervals, heartbeats and timeouts take N times their length; 0 means at once (env WAIT_TIME_SCALE).",
  },
};

export const COMMAND_NAMES = ["run", "validate", "test", "serve", "help"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  run: {
    synopsis: "<definition.(json|asl.json|yaml|yml)> [options]",
    summary: "Runs the state machine once in this process and prints its output (exit 0), or its error and cause (exit 1).",
    positionals: { min: 1, max: 1, missing: "'run' needs a definition file" },
    options: {
      input: { type: "string", short: "i", value: "JSON|@FILE|-", help: "Execution input: JSON text, @path of a JSON file, or - for stdin (default {})." },
      functions: {
        type: "string",
        short: "f",
        value: "DIR",
        help: "Folder of Lambda handlers NAME.mjs|js|ts (default: a \"functions\" folder beside the definition, when there is one).",
      },
      config: { type: "string", value: "FILE", help: "Where tasks run: Lambda targets, HTTP connections, AWS SDK endpoints, custom adapters (env STEPWRIGHT_CONFIG)." },
      "mock-config": { type: "string", value: "FILE", help: "AWS Step Functions Local's mock configuration file (env SFN_MOCK_CONFIG)." },
      "test-case": { type: "string", value: "NAME", help: "The mock configuration's test case to run: its mocked states answer from the file." },
      "state-machine-name": { type: "string", value: "NAME", help: "The machine's name for the mock lookup and ARNs (default: the file's base name)." },
      ...substitution,
      ...timeOptions,
      clock: {
        type: "string",
        value: "real|virtual",
        help: "virtual: time jumps to the next timer whenever nothing else can happen ($$.Execution.StartTime, $now() and the history's timestamps follow it).",
      },
      history: { type: "boolean", help: "Also print the execution history as a table." },
      json: { type: "boolean", help: 'Print one JSON object {"status","output","error","cause"} ("history" too with --history; "diagnostics" for an invalid definition).' },
      help,
    },
    notes: [
      "A .waitForTaskToken task without a mock waits for SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat on a loopback",
      "endpoint that run prints with the token (local handlers get it as AWS_ENDPOINT_URL_SFN).",
      "Exit status: 0 succeeded, 1 failed / timed out / aborted, 2 usage error, unreadable file, invalid input or definition, 3 internal error.",
    ],
  },
  validate: {
    synopsis: "<definition> [options]",
    summary: "Checks the definition and prints every diagnostic (exit 1 when it is invalid).",
    positionals: { min: 1, max: 1, missing: "'validate' needs a definition file" },
    options: {
      ...substitution,
      json: { type: "boolean", help: 'Print {"valid", "diagnostics"} as JSON.' },
      help,
    },
    notes: ["Exit status: 0 valid, 1 invalid, 2 usage error or unreadable file."],
  },
  test: {
    synopsis: "[FILES or FOLDERS...] [options]   |   stepwright test --explore <definition>",
    summary:
      "Runs the test files (*.sfn-test.json|yaml|yml; default: every one under the working folder, node_modules excluded) and reports each case.",
    positionals: { min: 0, max: Infinity, missing: "" },
    options: {
      reporter: { type: "string", value: "default|junit|json", help: "How results are reported (default: each case, with a diff of what differed)." },
      output: { type: "string", short: "o", value: "FILE", help: "Write the report to FILE instead of stdout (for --reporter junit or json)." },
      coverage: { type: "boolean", help: "Print per definition the states entered, Choice rules and Default taken, Catchers and Retriers exercised." },
      "coverage-json": { type: "string", value: "FILE", help: "Write the coverage as JSON to FILE." },
      "coverage-threshold": { type: "string", value: "PCT", help: "Fail (exit 1) when a definition's coverage is below PCT percent." },
      explore: {
        type: "string",
        value: "DEFINITION",
        help: "Enumerate the paths through the machine (every Task succeeding and failing with each error its Retry/Catch name, and one they do not name) and report unreachable states, Choice branches never taken, uncaught Task errors, States.Runtime and the 256 KiB limit.",
      },
      input: { type: "string", short: "i", value: "JSON|@FILE|-", help: "The execution input of every --explore run (default {}); Choice rules follow it." },
      ...substitution,
      help,
    },
    notes: ["Exit status: 0 every case passed, 1 a case failed (or coverage below the threshold), 2 a test file or definition is invalid."],
  },
  serve: {
    synopsis: "[options]",
    summary:
      "Serves the AWS Step Functions API (AWS JSON 1.0) on 127.0.0.1:8083, keeping executions durably in SQLite under --data (or PostgreSQL).",
    positionals: { min: 0, max: 0, missing: "" },
    options: {
      host: { type: "string", value: "H", help: "Address to listen on (env STEPWRIGHT_HOST, default 127.0.0.1)." },
      port: { type: "string", value: "P", help: "Port to listen on (env STEPWRIGHT_PORT, default 8083; 0 picks a free one)." },
      data: { type: "string", value: "DIR", help: "Folder of the durable store (env STEPWRIGHT_DATA, default ./.stepwright)." },
      "database-url": {
        type: "string",
        value: "URL",
        help: "PostgreSQL URL (postgres://...) of a store shared by several nodes, instead of SQLite in --data (env STEPWRIGHT_DATABASE_URL).",
      },
      functions: { type: "string", value: "DIR", help: "Folder of Lambda handlers (env STEPWRIGHT_FUNCTIONS); it must exist." },
      config: { type: "string", value: "FILE", help: "Where tasks run: Lambda targets, HTTP connections, AWS SDK endpoints, custom adapters (env STEPWRIGHT_CONFIG)." },
      "mock-config": {
        type: "string",
        value: "FILE",
        help: "AWS Step Functions Local's mock configuration (env SFN_MOCK_CONFIG); StartExecution with <stateMachineArn>#<TestCaseName> runs a test case.",
      },
      "account-id": { type: "string", value: "ID", help: "Account id in ARNs (env STEPWRIGHT_ACCOUNT_ID or AWS_ACCOUNT_ID, default 123456789012)." },
      region: { type: "string", value: "R", help: "Region in ARNs (env STEPWRIGHT_REGION or AWS_DEFAULT_REGION, default us-east-1)." },
      auth: { type: "string", value: "FILE", help: "Principals whose SigV4-signed requests are accepted (env STEPWRIGHT_AUTH; README, Security)." },
      "no-console": { type: "boolean", help: "Do not serve the web console (GET http://HOST:PORT/); the API answers POST / either way." },
      "decision-time-limit": {
        type: "string",
        value: "S",
        help: "Seconds one decision or validation may run on an engine worker before it is stopped (env STEPWRIGHT_DECISION_TIME_LIMIT, default 10).",
      },
      "map-run-children-per-node": {
        type: "string",
        value: "N",
        help: "With PostgreSQL, Map Run children this server runs at once; a Map Run's other children are left to the other servers (env STEPWRIGHT_MAP_RUN_CHILDREN_PER_NODE, default 1000).",
      },
      "events-url": {
        type: "string",
        value: "URL",
        help: "POST every Standard execution's status change there as EventBridge's \"Step Functions Execution Status Change\" event, at least once, retried with backoff (env STEPWRIGHT_EVENTS_URL; README, Operations).",
      },
      ...timeOptions,
      // Step Functions Local's spellings (sfn-local-config-options.html), so its command lines work unchanged.
      "aws-account": { type: "string", value: "ID", help: "Step Functions Local's name of --account-id." },
      "aws-region": { type: "string", value: "R", help: "Step Functions Local's name of --region." },
      "wait-time-scale": { type: "string", value: "N", help: "Step Functions Local's name of --time-scale." },
      "lambda-endpoint": { type: "string", value: "URL", help: "Lambda functions are invoked at this endpoint, Lambda's Invoke API (env LAMBDA_ENDPOINT)." },
      "batch-endpoint": { type: "string", value: "URL", help: "AWS Batch endpoint (env BATCH_ENDPOINT)." },
      "dynamodb-endpoint": { type: "string", value: "URL", help: "DynamoDB endpoint (env DYNAMODB_ENDPOINT)." },
      "ecs-endpoint": { type: "string", value: "URL", help: "ECS endpoint (env ECS_ENDPOINT)." },
      "glue-endpoint": { type: "string", value: "URL", help: "Glue endpoint (env GLUE_ENDPOINT)." },
      "sagemaker-endpoint": { type: "string", value: "URL", help: "SageMaker endpoint (env SAGE_MAKER_ENDPOINT)." },
      "sns-endpoint": { type: "string", value: "URL", help: "SNS endpoint (env SNS_ENDPOINT)." },
      "sqs-endpoint": { type: "string", value: "URL", help: "SQS endpoint (env SQS_ENDPOINT)." },
      "eventbridge-endpoint": { type: "string", value: "URL", help: "EventBridge endpoint (env EVENTBRIDGE_ENDPOINT)." },
      "step-functions-endpoint": { type: "string", value: "URL", help: "Step Functions endpoint of aws-sdk:sfn calls (env STEP_FUNCTIONS_ENDPOINT)." },
      help,
    },
    notes: [
      "Flags win over environment variables; see the README, \"Service\" and \"Coming from Step Functions Local\".",
      "GET /health (liveness), /health/ready (the store answers) and /metrics (Prometheus) serve operators (README, Operations);",
      "under --auth, /metrics needs 'Authorization: Bearer <token>' with the token of env STEPWRIGHT_METRICS_TOKEN.",
    ],
  },
  help: {
    synopsis: "[COMMAND]",
    summary: "Shows the help of stepwright or of one command.",
    positionals: { min: 0, max: 1, missing: "" },
    options: { help },
  },
};
