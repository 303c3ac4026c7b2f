// Starts the API server in this process on a random port, with an SDK client pointed at it.
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SFNClient } from "@aws-sdk/client-sfn";
import { createApiServer } from "../../src/api/server.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import type { ServiceLimits } from "../../src/runtime/service/limits.ts";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import type { TaskAdapter } from "../../src/tasks/types.ts";

export interface Harness {
  client: SFNClient;
  service: StepwrightService;
  endpoint: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A running server on a fresh data folder. */
export async function startHarness(options: { adapters?: TaskAdapter[]; limits?: Partial<ServiceLimits>; dataDir?: string; functionsDir?: string } = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "sw-api-"));
  const service = openService({
    dataDir,
    ...(options.adapters ? { adapters: options.adapters } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.functionsDir ? { functionsDir: options.functionsDir } : {}),
  });
  await service.start();
  const server = createApiServer(service);
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = sdkClient(endpoint);
  return {
    client, service, endpoint, dataDir,
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

/** An SDK client for a local endpoint (dummy credentials; no `sync-` host prefix for StartSyncExecution). */
export function sdkClient(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
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
