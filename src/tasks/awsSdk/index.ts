// The AWS SDK adapter: runs `arn:aws:states:::aws-sdk:<service>:<action>` and the optimized integrations
// `sqs:sendMessage`, `sns:publish`, `dynamodb:getItem|putItem|updateItem|deleteItem` and `events:putEvents`
// through the AWS SDK v3 client of the service, loaded when first used. AWS docs: supported-services-awssdk.html,
// connect-sqs.html, connect-sns.html, connect-ddb.html, connect-eventbridge.html.
import type { Json } from "../../util/json.ts";
import type { TaskAdapter, TaskInvocation, TaskResult } from "../types.ts";
import type { SdkClient, ServicePackage } from "./client-loader.ts";
import { MissingClientPackage, commandClass, loadServicePackage, operationSchemas } from "./client-loader.ts";
import { sdkFailure } from "./errors.ts";
import { optimizedFailure, optimizedParameters } from "./optimized.ts";
import type { ServiceResource } from "./resource.ts";
import { parseServiceResource, pascalCase } from "./resource.ts";
import { fromSdkOutput, readStreams, toSdkInput } from "./shapes.ts";

export { javaV2ServiceName } from "./errors.ts";
export { javaSdkMemberName } from "./shapes.ts";
export { parseServiceResource } from "./resource.ts";
export type { ServiceResource } from "./resource.ts";

/** Where and as whom one service is called. */
export interface AwsServiceConfig {
  /** E.g. `http://127.0.0.1:4566` for a local emulator; default: the service's AWS endpoint. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Options of the AWS SDK adapter. */
export interface AwsSdkAdapterOptions {
  /** Per service, keyed by the ARN's service name (`sfn`, `sqs`, `dynamodb`, `eventbridge` or `events`...). */
  services?: Record<string, AwsServiceConfig>;
  /** Default region (else AWS_REGION, else the execution's region, else us-east-1). */
  region?: string;
}

function failed(error: string, cause: string): TaskResult {
  return { status: "failed", error, cause };
}

function regionOf(executionArn: string): string | undefined {
  const region = executionArn.split(":")[3];
  return region ? region : undefined;
}

/** Creates the adapter that calls AWS services through the SDK v3 clients. */
export function createAwsSdkAdapter(options: AwsSdkAdapterOptions = {}): TaskAdapter {
  const services = options.services ?? {};
  const packages = new Map<string, Promise<ServicePackage>>();
  const clients = new Map<string, SdkClient>();

  const configFor = (service: string): AwsServiceConfig =>
    services[service] ?? (service === "events" ? services["eventbridge"] : service === "eventbridge" ? services["events"] : undefined) ?? {};

  const packageFor = (service: string): Promise<ServicePackage> => {
    let pkg = packages.get(service);
    if (!pkg) {
      pkg = loadServicePackage(service);
      packages.set(service, pkg);
      pkg.catch(() => packages.delete(service));
    }
    return pkg;
  };

  const clientFor = (service: string, pkg: ServicePackage, executionArn: string): SdkClient => {
    const config = configFor(service);
    const region = config.region ?? options.region ?? process.env["AWS_REGION"] ?? regionOf(executionArn) ?? "us-east-1";
    const key = `${service}\u0000${region}`;
    let client = clients.get(key);
    if (!client) {
      const clientConfig: Record<string, unknown> = { region, maxAttempts: 1 };
      if (config.endpoint) clientConfig["endpoint"] = config.endpoint;
      if (config.credentials) clientConfig["credentials"] = config.credentials;
      // Local S3 emulators answer path-style requests only.
      if (config.endpoint && pkg.packageName === "@aws-sdk/client-s3") clientConfig["forcePathStyle"] = true;
      client = new pkg.Client(clientConfig);
      clients.set(key, client);
    }
    return client;
  };

  const call = async (resource: ServiceResource, invocation: TaskInvocation): Promise<TaskResult> => {
    if (resource.pattern === "sync") {
      return failed("States.Runtime", `The resource '${invocation.resource}' is not supported: AWS SDK integrations do not support the .sync pattern.`);
    }
    let pkg: ServicePackage;
    try {
      pkg = await packageFor(resource.service);
    } catch (err) {
      if (err instanceof MissingClientPackage) return failed("States.Runtime", `Stepwright does not support '${invocation.resource}' yet: install ${err.packageName}.`);
      throw err;
    }
    const Command = commandClass(pkg, pascalCase(resource.action));
    if (!Command) return failed("States.Runtime", `The service '${resource.service}' has no action '${resource.action}' in ${pkg.packageName}.`);
    const schemas = await operationSchemas(new Command({}));
    const parameters = optimizedParameters(resource, invocation.parameters, invocation.context);
    const command = new Command(toSdkInput(parameters, schemas.input));
    let output: Json;
    try {
      const raw = await clientFor(resource.service, pkg, invocation.executionArn).send(command, { abortSignal: invocation.signal });
      output = fromSdkOutput(await readStreams(raw), schemas.output, resource.kind === "aws-sdk" ? "java-sdk" : "service");
    } catch (err) {
      if (invocation.signal.aborted) throw err;
      return sdkFailure(err, { kind: resource.kind, service: resource.service, clientName: pkg.clientName, module: pkg.module });
    }
    return optimizedFailure(resource, output) ?? { status: "succeeded", output };
  };

  return {
    name: "aws-sdk",
    handles: (resource) => parseServiceResource(resource) !== undefined,
    async invoke(invocation) {
      const resource = parseServiceResource(invocation.resource);
      if (!resource) return failed("States.Runtime", `The AWS SDK adapter does not run '${invocation.resource}'.`);
      return call(resource, invocation);
    },
    async close() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
