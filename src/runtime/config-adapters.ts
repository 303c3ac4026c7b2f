// The task adapters a configuration makes, in the order they are asked: user adapters (in code, then the
// config's custom modules), mocks, Lambda, nested executions (the service only), HTTP, AWS SDK.
import type { ArnScope } from "../sfn/arn.ts";
import { parseServiceResource } from "../tasks/awsSdk/resource.ts";
import { isHttpResource } from "../tasks/http/resource.ts";
import { isLambdaResource } from "../tasks/lambda/function-ref.ts";
import { lazyAdapter } from "../tasks/lazy.ts";
import type { TaskAdapter } from "../tasks/types.ts";
import { lazyObjectStore } from "../tasks/s3/lazy-store.ts";
import type { ObjectStore } from "../tasks/s3/index.ts";
import type { StepwrightConfig } from "./config.ts";
import type { LocalFunctionDefaults } from "./config-lambda.ts";
import { defined, mapDefined } from "../util/defined.ts";

/** The built-in adapters after mocks, each on by default. */
export interface BuiltInAdapters {
  lambda: TaskAdapter;
  http: TaskAdapter;
  awsSdk: TaskAdapter;
}

/**
 * Makes the Lambda, HTTP and AWS SDK adapters of a configuration. Each is imported when it first runs a Task
 * (tasks/lazy.ts): a run without Tasks loads none of them (start-up, issue 13).
 */
export function builtInAdapters(config: StepwrightConfig, functionsDir: string | undefined, scope: ArnScope, localDefaults?: LocalFunctionDefaults): BuiltInAdapters {
  return {
    lambda: lazyAdapter("lambda", isLambdaResource, async () =>
      (await import("./config-lambda.ts")).createConfiguredLambdaAdapter(config, functionsDir, scope, localDefaults),
    ),
    http: lazyAdapter("http", isHttpResource, async () =>
      (await import("../tasks/http/index.ts")).createHttpAdapter({
        connections: config.http.connections,
        ...defined({ timeoutMs: mapDefined(config.http.timeoutSeconds, (seconds) => seconds * 1000) }),
        ...defined({ allowedHosts: config.http.allowedHosts }),
      }),
    ),
    awsSdk: withLocalBuckets(
      config,
      lazyAdapter("aws-sdk", (resource) => parseServiceResource(resource) !== undefined, async () =>
        (await import("../tasks/awsSdk/index.ts")).createAwsSdkAdapter({
          services: config.awsSdk.services,
          ...defined({ region: config.awsSdk.region }),
          ...defined({ pollIntervalMs: mapDefined(config.awsSdk.jobPollSeconds, (seconds) => seconds * 1000) }),
          ...defined({ allowedServices: config.awsSdk.allowedServices }),
        }),
      ),
    ),
  };
}

/**
 * `aws-sdk:s3:*` tasks on the configuration's local-folder buckets answer from the folders. The local adapter
 * handles what the AWS SDK adapter handles (its `aws-sdk:s3:<action>` resources are among them), and is
 * imported with its first Task like the others.
 */
function withLocalBuckets(config: StepwrightConfig, awsSdk: TaskAdapter): TaskAdapter {
  if (Object.keys(config.s3.buckets).length === 0) return awsSdk;
  return lazyAdapter("aws-sdk:s3 (local buckets)", awsSdk.handles, async () =>
    (await import("../tasks/s3/local-adapter.ts")).createLocalS3Adapter(config.s3.buckets, awsSdk),
  );
}

/** The object storage of Distributed Map's ItemReader and ResultWriter: local-folder buckets, else S3 (built on first use). */
export function objectStoreOf(config: StepwrightConfig): ObjectStore {
  const s3 = config.awsSdk.services["s3"] ?? {};
  const region = s3.region ?? config.awsSdk.region;
  return lazyObjectStore(async () =>
    (await import("../tasks/s3/index.ts")).createObjectStore({ buckets: config.s3.buckets, s3: { ...s3, ...defined({ region }) } }),
  );
}

/** Imports the custom adapter modules the configuration names (`adapters: [{prefix, module, options}]`). */
export async function loadCustomAdapters(config: StepwrightConfig): Promise<TaskAdapter[]> {
  if (config.adapters.length === 0) return [];
  const { loadAdapterEntries } = await import("../tasks/custom/index.ts");
  return loadAdapterEntries(config.adapters, config.baseDir, config.source);
}
