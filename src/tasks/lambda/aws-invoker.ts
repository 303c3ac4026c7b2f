// Runs Lambda functions in AWS Lambda itself through @aws-sdk/client-lambda (Lambda API reference, Invoke),
// with the caller's credentials. Errors are reported as Step Functions reports them ("Handling Lambda service
// exceptions", bp-lambda-serviceexception.html): `Lambda.<Exception>` for the exceptions Lambda's SDK models,
// `Lambda.AWSLambdaException` for the others, `Lambda.SdkClientException` when no answer came back.
import type { InvokeCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { functionArn } from "./function-ref.ts";
import type { FunctionInvoker, InvokeCall, InvokeOutcome } from "./invoker.ts";
import { clientFailure, remoteFunctionError } from "./invoker.ts";
import { serviceExceptionResult } from "./lambda-errors.ts";
import { defined } from "../../util/defined.ts";

/** Where and as whom AWS Lambda is called. */
export interface AwsInvokerOptions {
  /** Default: the function ARN's region. */
  region?: string;
  /** E.g. a local Lambda emulator; default: Lambda's AWS endpoint. */
  endpoint?: string;
  /** Default: the SDK's credential chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

type LambdaModule = typeof import("@aws-sdk/client-lambda");

interface SdkError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

function serviceFailure(err: SdkError, module: LambdaModule, requestId: string): InvokeOutcome {
  const status = err.$metadata?.httpStatusCode ?? 0;
  const ctor = (module as unknown as Record<string, unknown>)[err.name];
  const modeled = typeof ctor === "function" && err instanceof (ctor as new (...args: never[]) => unknown) && err.name !== "LambdaServiceException";
  const result = serviceExceptionResult(err.name, status, err.message, err.$metadata?.requestId ?? requestId);
  // The Java SDK Step Functions uses names unmodeled errors AWSLambdaException and keeps the code in the cause.
  if (modeled || result.status !== "failed") return { kind: "failed", result };
  return { kind: "failed", result: { status: "failed", error: "Lambda.AWSLambdaException", cause: result.cause } };
}

/** Creates the runner that invokes functions in AWS Lambda. */
export function createAwsInvoker(options: AwsInvokerOptions = {}): FunctionInvoker {
  let module: Promise<LambdaModule> | undefined;
  const clients = new Map<string, LambdaClient>();

  const clientFor = (mod: LambdaModule, region: string): LambdaClient => {
    let client = clients.get(region);
    if (!client) {
      client = new mod.LambdaClient({
        region,
        maxAttempts: 1,
        ...defined({ endpoint: options.endpoint, credentials: options.credentials }),
      });
      clients.set(region, client);
    }
    return client;
  };

  return {
    async invoke(call: InvokeCall): Promise<InvokeOutcome> {
      const mod = await (module ??= import("@aws-sdk/client-lambda"));
      const region = options.region ?? call.ref.region;
      const command = new mod.InvokeCommand({
        FunctionName: functionArn({ ...call.ref, qualifier: undefined }),
        ...defined({ Qualifier: call.ref.qualifier }),
        InvocationType: call.invocationType,
        LogType: call.logTail ? "Tail" : "None",
        Payload: Buffer.from(call.payload, "utf8"),
      });
      let output: InvokeCommandOutput;
      try {
        output = await clientFor(mod, region).send(command, { abortSignal: call.signal });
      } catch (err) {
        if (call.signal.aborted) return { kind: "aborted" };
        const sdkError = err as SdkError;
        if (typeof sdkError?.$metadata?.httpStatusCode === "number") return serviceFailure(sdkError, mod, call.requestId);
        const message = err instanceof Error ? err.message : String(err);
        if (sdkError?.name === "CredentialsProviderError") {
          return { kind: "failed", result: { status: "failed", error: "Lambda.SdkClientException", cause: `Unable to load credentials from any of the providers in the chain: ${message}` } };
        }
        return { kind: "failed", result: clientFailure(message) };
      }
      call.onDispatched?.();
      const body = output.Payload ? Buffer.from(output.Payload).toString("utf8") : "";
      if (output.FunctionError !== undefined) return { kind: "failed", result: remoteFunctionError(body, output.FunctionError) };
      return {
        kind: "ok",
        statusCode: output.StatusCode ?? 200,
        body,
        executedVersion: output.ExecutedVersion,
        logResult: output.LogResult,
        requestId: output.$metadata.requestId ?? call.requestId,
      };
    },
    async close() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
