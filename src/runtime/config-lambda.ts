// The Lambda adapter of a configuration: each function runs where `lambda.functions.NAME` says, the others
// where `lambda.default` says (default: the local functions folder).
import type { ArnScope } from "../sfn/arn.ts";
import { createAwsInvoker, createHttpInvoker, createLambdaAdapter, createLocalInvoker } from "../tasks/lambda/index.ts";
import type { FunctionInvoker } from "../tasks/lambda/index.ts";
import type { TaskAdapter } from "../tasks/types.ts";
import type { Credentials, LambdaTarget, StepwrightConfig } from "./config.ts";
import { defined } from "../util/defined.ts";

/**
 * What local functions get unless their target says otherwise: `stepwright run` gives them AWS_ENDPOINT_URL_SFN
 * (its callback endpoint) and keys to sign with.
 */
export interface LocalFunctionDefaults {
  readonly environment?: Readonly<Record<string, string>>;
  readonly credentials?: Credentials;
}

/** Builds one runner per target. */
function invokerOf(target: LambdaTarget, functionsDir: string | undefined, defaults: LocalFunctionDefaults = {}): FunctionInvoker {
  switch (target.type) {
    case "local":
      return createLocalInvoker({
        functionsDir: target.functionsDir ?? functionsDir,
        ...defined({
          defaultTimeoutSeconds: target.timeoutSeconds,
          memorySizeMb: target.memorySizeMb,
          environment: defaults.environment !== undefined ? { ...defaults.environment, ...target.environment } : target.environment,
          credentials: target.credentials ?? defaults.credentials,
        }),
      });
    case "http":
      return createHttpInvoker({
        endpoint: target.endpoint,
        ...defined({ timeoutSeconds: target.timeoutSeconds, headers: target.headers }),
      });
    case "aws":
      return createAwsInvoker({
        ...defined({ region: target.region, endpoint: target.endpoint, credentials: target.credentials }),
      });
  }
}

/**
 * The Lambda adapter for `config`: `functionsDir` is the local folder of targets that name none (the
 * `--functions` flag / `functionsDir` option); `scope` completes function names given without an ARN.
 */
export function createConfiguredLambdaAdapter(
  config: StepwrightConfig,
  functionsDir: string | undefined,
  scope: ArnScope,
  defaults: LocalFunctionDefaults = {},
): TaskAdapter {
  const fallback = invokerOf(config.lambda.default ?? { type: "local" }, functionsDir, defaults);
  const named = new Map<string, FunctionInvoker>();
  for (const [name, target] of Object.entries(config.lambda.functions)) named.set(name, invokerOf(target, functionsDir, defaults));
  return createLambdaAdapter({
    arnScope: scope,
    invokerFor: (ref) => named.get(ref.name) ?? fallback,
    close: async () => {
      await Promise.all([fallback, ...named.values()].map(async (invoker) => invoker.close?.()));
    },
  });
}
