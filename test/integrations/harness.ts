// `stepwright serve` in this process for the integration tests: the server listens first (port 0), so a
// configuration can point AWS SDK integrations at the server itself; then the service opens with the
// configuration written to a file and loaded as `serve --config FILE` loads it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SFNClient } from "@aws-sdk/client-sfn";
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { createApiHandler } from "../../src/api/handle-request.ts";
import type { ApiHandler } from "../../src/api/handle-request.ts";
import { serveHttpRequest } from "../../src/api/server.ts";
import { loadConfigFile } from "../../src/runtime/config.ts";
import { loadMockConfig } from "../../src/runtime/config-mocks.ts";
import { openConfiguredService } from "../../src/runtime/service/open-service.ts";
import type { ServiceLimits } from "../../src/runtime/service/limits.ts";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import type { Clock } from "../../src/util/clock.ts";

export const ROLE = "arn:aws:iam::123456789012:role/StepwrightTest";

export interface Serve {
  client: SFNClient;
  service: StepwrightService;
  endpoint: string;
  dir: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** The configuration file's JSON, given the server's endpoint. */
  config?: (endpoint: string) => object;
  /** A configuration file's path (instead of `config`). */
  configFile?: string;
  /** A mock configuration file's path. */
  mockConfig?: string;
  functionsDir?: string;
  clock?: Clock;
  limits?: Partial<ServiceLimits>;
}

/** An SDK client for a local endpoint (dummy credentials, one attempt). */
export function sdkClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, disableHostPrefix: true, maxAttempts: 1 });
}

/** Starts the server and the service behind it. */
export async function startServe(options: ServeOptions = {}): Promise<Serve> {
  const dir = mkdtempSync(join(tmpdir(), "sw-integ-"));
  let service: StepwrightService | undefined;
  let handle: ApiHandler | undefined;
  const server: Server = createServer((req, res) => {
    if (!service) {
      res.writeHead(503).end();
      return;
    }
    handle ??= createApiHandler(service);
    serveHttpRequest(handle, req, res).catch(() => res.destroy());
  });
  server.requestTimeout = 0;
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let configPath = options.configFile;
  if (options.config) {
    configPath = join(dir, "stepwright.config.json");
    writeFileSync(configPath, JSON.stringify(options.config(endpoint), null, 2));
  }
  service = await openConfiguredService({
    dataDir: join(dir, "data"),
    ...(configPath ? { config: loadConfigFile(configPath) } : {}),
    ...(options.mockConfig ? { mockConfig: loadMockConfig(options.mockConfig) } : {}),
    ...(options.functionsDir ? { functionsDir: options.functionsDir } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  await service.start();
  const running = service;
  const client = sdkClient(endpoint);
  return {
    client, service: running, endpoint, dir,
    async close() {
      client.destroy();
      server.closeIdleConnections();
      const closed = new Promise<void>((done) => server.close(() => done()));
      await running.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Creates a state machine and returns its ARN. */
export async function createMachine(client: SFNClient, name: string, definition: object, type: "STANDARD" | "EXPRESS" = "STANDARD"): Promise<string> {
  const out = await client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, type }));
  return out.stateMachineArn!;
}

/** Starts an execution and polls DescribeExecution until it has ended. */
export async function runToEnd(client: SFNClient, stateMachineArn: string, input: unknown = {}, ms = 20_000): Promise<DescribeExecutionCommandOutput> {
  const started = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  const deadline = Date.now() + ms;
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    if (described.status !== "RUNNING") return described;
    if (Date.now() > deadline) throw new Error(`execution ${started.executionArn} still running after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Writes `files` (name -> text) into a new folder and returns it. */
export function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sw-fns-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
