// Step Functions Local's settings, honoured by `serve` so a team moving from it keeps its environment and
// command lines (sfn-local-config-options.html): LAMBDA_ENDPOINT and the services' *_ENDPOINT variables (and
// their --lambda-endpoint ... flags). Stepwright's configuration file wins where it says where a service runs.
import { parseConfig } from "../runtime/config.ts";
import type { StepwrightConfig } from "../runtime/config.ts";
import { defined } from "../util/defined.ts";

/** Where Lambda and the AWS services are called, from Step Functions Local's settings. */
export interface ServiceEndpoints {
  /** LAMBDA_ENDPOINT: every Lambda function is invoked there (Lambda's Invoke API). */
  lambda?: string;
  /** AWS SDK service name (as in `aws-sdk:<service>:...` and optimized resources) -> endpoint URL. */
  services: Record<string, string>;
}

/** Flag, environment variable and the service names it covers. */
const SERVICES: readonly (readonly [flag: string, variable: string, services: readonly string[]])[] = [
  ["batch-endpoint", "BATCH_ENDPOINT", ["batch"]],
  ["dynamodb-endpoint", "DYNAMODB_ENDPOINT", ["dynamodb"]],
  ["ecs-endpoint", "ECS_ENDPOINT", ["ecs"]],
  ["glue-endpoint", "GLUE_ENDPOINT", ["glue"]],
  ["sagemaker-endpoint", "SAGE_MAKER_ENDPOINT", ["sagemaker"]],
  ["sns-endpoint", "SNS_ENDPOINT", ["sns"]],
  ["sqs-endpoint", "SQS_ENDPOINT", ["sqs"]],
  ["eventbridge-endpoint", "EVENTBRIDGE_ENDPOINT", ["events"]],
  ["step-functions-endpoint", "STEP_FUNCTIONS_ENDPOINT", ["sfn"]],
];

// "When you configure the Step Functions Local container to use override endpoints ..., Step Functions Local doesn't
// use the credentials you specify" (sfn-local-config-options.html): calls to them are signed with fixed keys, so a
// local emulator answers whatever credentials the machine has (or has none).
const OVERRIDE_CREDENTIALS = { accessKeyId: "stepwright-local", secretAccessKey: "stepwright-local" };

/** The endpoints from the flags, else the environment. */
export function serviceEndpoints(flags: Readonly<Record<string, string | undefined>>, env: NodeJS.ProcessEnv): ServiceEndpoints {
  const services: Record<string, string> = {};
  for (const [flag, variable, names] of SERVICES) {
    const url = flags[flag] ?? (env[variable] || undefined);
    if (url !== undefined) for (const name of names) services[name] = url;
  }
  const lambda = flags["lambda-endpoint"] ?? (env["LAMBDA_ENDPOINT"] || undefined);
  return { ...defined({ lambda }), services };
}

/**
 * The configuration with the endpoints added where it says nothing: `lambda.default` becomes Lambda's Invoke API
 * at LAMBDA_ENDPOINT unless the file sets one or `--functions` names a folder (Stepwright's own settings win);
 * each service gets its endpoint unless the file configures that service. Undefined when there is nothing.
 */
export function withEndpoints(config: StepwrightConfig | undefined, endpoints: ServiceEndpoints, functionsGiven: boolean): StepwrightConfig | undefined {
  const lambdaEndpoint = !functionsGiven && config?.lambda.default === undefined ? endpoints.lambda : undefined;
  const services = Object.entries(endpoints.services).filter(([name]) => config?.awsSdk.services[name] === undefined);
  if (lambdaEndpoint === undefined && services.length === 0) return config;
  const base = config ?? parseConfig({});
  const lambda = lambdaEndpoint !== undefined ? { ...base.lambda, default: { type: "aws" as const, endpoint: lambdaEndpoint, credentials: OVERRIDE_CREDENTIALS } } : base.lambda;
  const added = Object.fromEntries(services.map(([name, endpoint]) => [name, { endpoint, credentials: OVERRIDE_CREDENTIALS }]));
  return { ...base, lambda, awsSdk: { ...base.awsSdk, services: { ...base.awsSdk.services, ...added } } };
}

/** One line for the log: what the Step Functions Local settings changed. */
export function describeEndpoints(endpoints: ServiceEndpoints): string | undefined {
  const parts = [
    ...(endpoints.lambda !== undefined ? [`Lambda at ${endpoints.lambda}`] : []),
    ...Object.entries(endpoints.services).map(([name, url]) => `${name} at ${url}`),
  ];
  return parts.length === 0 ? undefined : parts.join(", ");
}
