// Loads the AWS SDK v3 client package of a service on first use (`@aws-sdk/client-<name>`), and finds its
// client class, `<Action>Command` class and the operation's schemas (the clients ship Smithy schemas).
import { errorCode, errorMessage } from "../../util/errors.ts";

/** A schema walker: the part of @smithy/core's NormalizedSchema the shape conversion reads. */
export interface SchemaView {
  isStructSchema(): boolean;
  isListSchema(): boolean;
  isMapSchema(): boolean;
  isStringSchema(): boolean;
  isTimestampSchema(): boolean;
  isBlobSchema(): boolean;
  isStreaming(): boolean;
  isDocumentSchema(): boolean;
  getValueSchema(): SchemaView;
  structIterator(): Iterable<[string, SchemaView]>;
}

/** A v3 client as this adapter uses it. */
export interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

type ClientClass = new (config: Record<string, unknown>) => SdkClient;
type CommandClass = new (input: unknown) => { schema?: unknown };

/** A loaded client package. */
export interface ServicePackage {
  packageName: string;
  /** The client class's name without `Client` (`SFN`, `DynamoDB`), for error names. */
  clientName: string;
  module: Record<string, unknown>;
  Client: ClientClass;
}

/** A service whose client package is not installed. */
export class MissingClientPackage extends Error {
  readonly packageName: string;
  constructor(packageName: string) {
    super(`Stepwright does not support this service yet: install ${packageName} (npm install ${packageName}) to call it.`);
    this.name = "MissingClientPackage";
    this.packageName = packageName;
  }
}

// ARN service names whose v3 package is named differently (most are `@aws-sdk/client-<service>`).
const PACKAGE_NAMES: Record<string, string> = {
  events: "eventbridge",
  secretsmanager: "secrets-manager",
  cloudwatchlogs: "cloudwatch-logs",
  cloudwatchevents: "cloudwatch-events",
  apigateway: "api-gateway",
  bedrockruntime: "bedrock-runtime",
  bedrockagentruntime: "bedrock-agent-runtime",
  elasticloadbalancingv2: "elastic-load-balancing-v2",
  kinesisfirehose: "firehose",
  // The optimized EMR integration's ARN name (`arn:aws:states:::elasticmapreduce:createCluster`).
  elasticmapreduce: "emr",
};

/** `@aws-sdk/client-<name>` for an ARN service name. */
export function packageNameFor(service: string): string {
  return `@aws-sdk/client-${PACKAGE_NAMES[service] ?? service}`;
}

function isNotFound(err: unknown, packageName: string): boolean {
  const code = errorCode(err);
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && errorMessage(err).includes(packageName);
}

/** Imports a service's client package; throws MissingClientPackage when it is not installed. */
export async function loadServicePackage(service: string): Promise<ServicePackage> {
  const packageName = packageNameFor(service);
  let module: Record<string, unknown>;
  try {
    module = (await import(packageName)) as Record<string, unknown>;
  } catch (err) {
    if (isNotFound(err, packageName)) throw new MissingClientPackage(packageName);
    throw err;
  }
  const clientKey = Object.keys(module).find((key) => key.endsWith("Client") && key !== "__Client" && typeof module[key] === "function");
  if (!clientKey) throw new Error(`${packageName} exports no client class.`);
  return { packageName, clientName: clientKey.slice(0, -"Client".length), module, Client: module[clientKey] as ClientClass };
}

/** The `<Action>Command` class of a package, or undefined for an action the service does not have. */
export function commandClass(pkg: ServicePackage, action: string): CommandClass | undefined {
  const command = pkg.module[`${action}Command`];
  return typeof command === "function" ? (command as CommandClass) : undefined;
}

interface SchemaModule {
  NormalizedSchema: { of(schema: unknown): SchemaView };
}
let schemaModule: Promise<SchemaModule | undefined> | undefined;

// The clients' own dependency; when it is missing, parameters and results pass through unconverted.
function loadSchemaModule(): Promise<SchemaModule | undefined> {
  schemaModule ??= import("@smithy/core/schema").then(
    (module) => module as unknown as SchemaModule,
    () => undefined,
  );
  return schemaModule;
}

/** The input and output schemas of a command (static operation schema `[9, ns, name, traits, input, output]`). */
export async function operationSchemas(command: { schema?: unknown }): Promise<{ input?: SchemaView; output?: SchemaView }> {
  const module = await loadSchemaModule();
  const operation = command.schema;
  if (!module || !Array.isArray(operation) || operation[0] !== 9) return {};
  const resolve = (ref: unknown): unknown => (typeof ref === "function" ? (ref as () => unknown)() : ref);
  try {
    return { input: module.NormalizedSchema.of(resolve(operation[4])), output: module.NormalizedSchema.of(resolve(operation[5])) };
  } catch {
    return {};
  }
}
