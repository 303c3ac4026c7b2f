// Sends one API action of a service through its AWS SDK v3 client: loads the client package on first use, keeps
// one client per service and region, converts the Task's PascalCase parameters into the command's input and the
// output into the shape Step Functions answers (supported-services-awssdk.html), and maps errors to AWS's names.
import { parseArn } from "../../sfn/arn.ts";
import type { Json } from "../../util/json.ts";
import type { TaskResult } from "../types.ts";
import type { SdkClient, ServicePackage } from "./client-loader.ts";
import { MissingClientPackage, commandClass, loadServicePackage, operationSchemas } from "./client-loader.ts";
import { sdkFailure } from "./errors.ts";
import type { IntegrationKind } from "./resource-types.ts";
import { pascalCase } from "./resource-types.ts";
import type { OutputStyle } from "./shapes.ts";
import { fromSdkOutput, readStreams, recased, toSdkInput } from "./shapes.ts";
import { defined } from "../../util/defined.ts";

/** Where and as whom one service is called. */
export interface AwsServiceConfig {
  /** E.g. `http://127.0.0.1:4566` for a local emulator; default: the service's AWS endpoint. */
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Where the adapter's clients send their calls. */
export interface CallerOptions {
  /** Per service, keyed by the ARN's service name (`sfn`, `sqs`, `dynamodb`, `eventbridge` or `events`...). */
  services?: Record<string, AwsServiceConfig>;
  /** Default region (else AWS_REGION, else the execution's region, else us-east-1). */
  region?: string;
  /**
   * The only services tasks may call (ARN service names; `events` and `eventbridge` name the same); absent: all.
   * The calls act with the server's credentials, so an operator confines them here (README, Security).
   */
  allowedServices?: readonly string[];
}

/** One API call: which service, how errors are named, and how the output is shaped. */
export interface ApiCall {
  kind: IntegrationKind;
  /** The ARN's service name (`ecs`, `sfn`). */
  service: string;
  /** The API action in camelCase (`describeTasks`). */
  action: string;
  parameters: Json;
  style: OutputStyle;
  /** The Task's Resource, for error messages. */
  resource: string;
  /**
   * For a client package that ships no schemas (older releases): re-case member names (camelCase in,
   * capitalised out) except inside these free-form map members (`tags`, `properties`).
   */
  freeFormMaps?: readonly string[];
}

/** What the call answered: the shaped output, or the failure Step Functions reports. */
export type CallOutcome = { readonly ok: true; readonly output: Json } | { readonly ok: false; readonly result: TaskResult };

/** Credentials and region a service's client signs with. */
export interface SigningIdentity {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Sends API calls; the clients live until `close`. */
export interface ServiceCaller {
  /** Sends one call; throws only when `signal` aborted it. */
  call(call: ApiCall, executionArn: string, signal: AbortSignal): Promise<CallOutcome>;
  /** The configured endpoint of a service, if any. */
  endpointOf(service: string): string | undefined;
  /** Why a service may not be called (outside awsSdk.allowedServices), or undefined when it may. */
  denied(service: string): string | undefined;
  /**
   * The credentials and region the service's client resolves (configured, else the SDK's chain), for requests
   * Stepwright signs itself (API Gateway's IAM_ROLE, EKS tokens); throws when none can be found.
   */
  signingIdentity(service: string, executionArn: string): Promise<SigningIdentity>;
  close(): void;
}

// The resolved configuration of a v3 client, as `signingIdentity` reads it.
interface SdkClientConfig {
  credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  region?: () => Promise<string>;
}

function failed(error: string, cause: string): CallOutcome {
  return { ok: false, result: { status: "failed", error, cause } };
}

function regionOf(executionArn: string): string | undefined {
  const region = parseArn(executionArn)?.region;
  return region ? region : undefined;
}

// One service under two names: the optimized integration's and the aws-sdk integration's (`events` and
// `eventbridge`, `elasticmapreduce` and `emr`); `bedrock` also covers Bedrock Runtime (`bedrock:invokeModel`).
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  events: ["events", "eventbridge"],
  eventbridge: ["events", "eventbridge"],
  elasticmapreduce: ["elasticmapreduce", "emr"],
  emr: ["elasticmapreduce", "emr"],
  bedrock: ["bedrock", "bedrockruntime"],
};

function aliasesOf(service: string): readonly string[] {
  return ALIASES[service] ?? [service];
}

/** The error a call to a service outside awsSdk.allowedServices fails with, shaped as the service's AccessDenied. */
function notAllowed(call: ApiCall): { name: string; message: string; $metadata: { httpStatusCode: number; requestId: string } } {
  return {
    name: "AccessDeniedException",
    message:
      `Stepwright is not allowed to call ${call.service}:${pascalCase(call.action)}: the service '${call.service}' is not in ` +
      "awsSdk.allowedServices of the Stepwright configuration",
    $metadata: { httpStatusCode: 403, requestId: "" },
  };
}

/** Creates the caller that owns the adapter's SDK clients. */
export function createServiceCaller(options: CallerOptions = {}): ServiceCaller {
  const services = options.services ?? {};
  const packages = new Map<string, Promise<ServicePackage>>();
  const clients = new Map<string, SdkClient>();

  // A service's entry, else its other name's (`bedrockruntime` falls back to `bedrock`).
  const configFor = (service: string): AwsServiceConfig =>
    services[service] ?? [...aliasesOf(service), ...(service === "bedrockruntime" ? ["bedrock"] : [])].map((name) => services[name]).find((entry) => entry !== undefined) ?? {};

  const allowed = options.allowedServices === undefined ? undefined : new Set(options.allowedServices.flatMap(aliasesOf));

  const packageFor = (service: string): Promise<ServicePackage> => {
    let pkg = packages.get(service);
    if (!pkg) {
      pkg = loadServicePackage(service);
      packages.set(service, pkg);
      pkg.catch(() => packages.delete(service));
    }
    return pkg;
  };

  const clientFor = async (service: string, pkg: ServicePackage, executionArn: string): Promise<SdkClient> => {
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
      // A plain-http endpoint (a local emulator) is spoken to over HTTP/1.1: some clients (Bedrock Runtime)
      // default to HTTP/2, which needs TLS.
      if (config.endpoint?.startsWith("http:")) clientConfig["requestHandler"] = new (await import("@smithy/node-http-handler")).NodeHttpHandler();
      client = clients.get(key) ?? new pkg.Client(clientConfig);
      clients.set(key, client);
    }
    return client;
  };

  return {
    endpointOf: (service) => configFor(service).endpoint,
    denied: (service) =>
      allowed !== undefined && !allowed.has(service) ? `Stepwright is not allowed to call ${service}: the service '${service}' is not in awsSdk.allowedServices of the Stepwright configuration` : undefined,
    async signingIdentity(service, executionArn) {
      const client = (await clientFor(service, await packageFor(service), executionArn)) as SdkClient & { config?: SdkClientConfig };
      const config = client.config;
      if (typeof config?.credentials !== "function" || typeof config.region !== "function") throw new Error(`The ${service} client exposes no credentials.`);
      const [credentials, region] = await Promise.all([config.credentials(), config.region()]);
      return {
        region,
        credentials: {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          ...defined({ sessionToken: credentials.sessionToken }),
        },
      };
    },
    async call(call, executionArn, signal) {
      // Every service call passes here: a service outside awsSdk.allowedServices is never sent; the Task fails as
      // an IAM denial does on AWS, with the service's own error name (catchable like AWS's AccessDenied).
      const denial = allowed !== undefined && !allowed.has(call.service) ? notAllowed(call) : undefined;
      let pkg: ServicePackage;
      try {
        pkg = await packageFor(call.service);
      } catch (err) {
        if (err instanceof MissingClientPackage) {
          return failed("States.Runtime", denial ? `${denial.message}.` : `Stepwright does not support '${call.resource}' yet: install ${err.packageName}.`);
        }
        throw err;
      }
      if (denial) return { ok: false, result: sdkFailure(denial, { kind: call.kind, service: call.service, clientName: pkg.clientName, module: pkg.module }) };
      const Command = commandClass(pkg, pascalCase(call.action));
      if (!Command) return failed("States.Runtime", `The service '${call.service}' has no action '${call.action}' in ${pkg.packageName}.`);
      const schemas = await operationSchemas(new Command({}));
      const recase = schemas.input === undefined && call.freeFormMaps !== undefined ? new Set(call.freeFormMaps.map((name) => name.toLowerCase())) : undefined;
      const command = new Command(recase ? recased(call.parameters, "camel", recase) : toSdkInput(call.parameters, schemas.input));
      try {
        const raw = await (await clientFor(call.service, pkg, executionArn)).send(command, { abortSignal: signal });
        const output = fromSdkOutput(await readStreams(raw), schemas.output, call.style);
        return { ok: true, output: recase && call.style.naming === "pascal" ? recased(output, "pascal", recase) : output };
      } catch (err) {
        if (signal.aborted) throw err;
        return { ok: false, result: sdkFailure(err, { kind: call.kind, service: call.service, clientName: pkg.clientName, module: pkg.module }) };
      }
    },
    close() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
