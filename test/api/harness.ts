// The API in this process, with an AWS SDK client pointed at it. By default the client's requests go straight to
// the protocol layer (createApiHandler) without a socket: the SDK still serializes and parses every request and
// answer as it does over HTTP. `socket: true` starts the real HTTP server for end-to-end tests.
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SFNClient } from "@aws-sdk/client-sfn";
import { createApiHandler } from "../../src/api/handle-request.ts";
import type { ApiHandler } from "../../src/api/handle-request.ts";
import { createApiServer } from "../../src/api/server.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import type { EventsTarget } from "../../src/runtime/service/events.ts";
import type { ServiceLimits } from "../../src/runtime/service/limits.ts";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import type { TaskAdapter } from "../../src/tasks/types.ts";
import type { StepwrightConfig } from "../../src/runtime/config.ts";

export interface Harness {
  client: SFNClient;
  service: StepwrightService;
  /** The protocol layer the client talks to (for requests the SDK would not send). */
  handle: ApiHandler;
  /** The server's URL, with `socket: true` only. */
  endpoint: string | undefined;
  dataDir: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  adapters?: TaskAdapter[];
  limits?: Partial<ServiceLimits>;
  dataDir?: string;
  functionsDir?: string;
  /** Serve over a real socket (node:http on a random port) instead of in-process. */
  socket?: boolean;
  /** The configuration (task targets, local-folder S3 buckets). */
  config?: StepwrightConfig;
  /** Where execution status change events go (serve --events-url). */
  events?: EventsTarget;
  /** Where the engine runs (openService's `engine`; default in-thread). */
  engine?: "in-thread" | "workers";
}

/** The slice of an SDK HttpRequest the protocol layer needs. */
interface SdkRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** An SDK request handler that answers through `handle`, in this process. */
export function inProcessRequestHandler(handle: ApiHandler) {
  return {
    async handle(request: SdkRequest, options?: { abortSignal?: AbortSignal }) {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
      const body = typeof request.body === "string" ? request.body : request.body instanceof Uint8Array ? request.body : "";
      const response = await handle({
        target: headers["x-amz-target"] ?? "",
        headers,
        body,
        method: request.method,
        path: request.path,
        ...(options?.abortSignal ? { signal: options.abortSignal } : {}),
      });
      const lowered = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]));
      return { response: { statusCode: response.status, reason: "", headers: lowered, body: new TextEncoder().encode(response.body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
  };
}

/** A running API on a fresh data folder. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "sw-api-"));
  const service = openService({
    dataDir,
    ...(options.adapters ? { adapters: options.adapters } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.functionsDir ? { functionsDir: options.functionsDir } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.events ? { events: options.events } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
  });
  await service.start();
  const handle = createApiHandler(service);
  if (options.socket !== true) {
    const client = new SFNClient({ ...CLIENT_OPTIONS, endpoint: "http://in-process.invalid", requestHandler: inProcessRequestHandler(handle) });
    return {
      client, service, handle, endpoint: undefined, dataDir,
      async close() {
        client.destroy();
        await service.close();
      },
    };
  }
  const server = createApiServer(service);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = sdkClient(endpoint);
  return {
    client, service, handle, endpoint, dataDir,
    async close() {
      client.destroy();
      server.closeIdleConnections();
      const closed = new Promise<void>((done) => server.close(() => done()));
      await service.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

const CLIENT_OPTIONS = {
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  disableHostPrefix: true,
  maxAttempts: 1,
};

/** An SDK client for a local endpoint (dummy credentials; no `sync-` host prefix for StartSyncExecution). */
export function sdkClient(endpoint: string): SFNClient {
  return new SFNClient({ ...CLIENT_OPTIONS, endpoint });
}

/** One raw request to the protocol layer: the answer's status and parsed body. */
export async function call(handle: ApiHandler, action: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const response = await handle({ target: `AWSStepFunctions.${action}`, headers: { "content-type": "application/x-amz-json-1.0" }, body: text });
  return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
}

export const ROLE = "arn:aws:iam::123456789012:role/StepwrightTest";

/** Waits until `check` returns a value (polling), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
