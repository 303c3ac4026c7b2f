// A service on a VirtualClock with an SDK client in this process, and the machines the trigger tests start.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { createApiHandler } from "../../src/api/handle-request.ts";
import { openService } from "../../src/runtime/service/open-service.ts";
import type { StepwrightService } from "../../src/runtime/service/service.ts";
import { TriggerManager } from "../../src/runtime/triggers/manager.ts";
import type { TriggerManagerOptions } from "../../src/runtime/triggers/manager.ts";
import type { TriggerConfig } from "../../src/runtime/triggers/types.ts";
import type { ExecutionRecord } from "../../src/store/types.ts";
import { inProcessRequestHandler } from "../api/harness.ts";

export const ROLE = "arn:aws:iam::123456789012:role/R";
/** Passes its input through: the execution's output is its input. */
export const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
/** Fails at once. */
export const FAIL = JSON.stringify({ StartAt: "F", States: { F: { Type: "Fail", Error: "Nope", Cause: "refused" } } });

export function sdkClient(service: StepwrightService): SFNClient {
  return new SFNClient({
    region: "us-east-1",
    endpoint: "http://stepwright.local",
    credentials: { accessKeyId: "k", secretAccessKey: "s" },
    requestHandler: inProcessRequestHandler(createApiHandler(service)),
  });
}

export async function createMachine(service: StepwrightService, name: string, definition = PASS, type: "STANDARD" | "EXPRESS" = "STANDARD"): Promise<string> {
  const answer = await sdkClient(service).send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type }));
  return answer.stateMachineArn!;
}

export function tempDir(prefix = "sw-triggers-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The durable service on a data folder (SQLite), in-thread, on `clock`. */
export async function startService(dataDir: string, clock?: import("../../src/util/clock.ts").Clock): Promise<StepwrightService> {
  const service = openService({ dataDir, ...(clock ? { clock } : {}) });
  await service.start();
  return service;
}

/** Triggers with their log lines collected. */
export function triggersOf(service: StepwrightService, triggers: TriggerConfig[], options: TriggerManagerOptions = {}): { manager: TriggerManager; logs: string[] } {
  const logs: string[] = [];
  const manager = new TriggerManager(service, triggers, { log: (line) => logs.push(line), ...options });
  return { manager, logs };
}

/** Every Standard execution of a machine, oldest first. */
export async function executionsOf(service: StepwrightService, machineArn: string): Promise<ExecutionRecord[]> {
  const page = await service.store.listExecutions({ stateMachineArn: machineArn }, { offset: 0, limit: 1000 });
  return page.items.reverse();
}

/** Resolves once `check` returns a value (polled every 20 ms; the test's own timeout bounds it). */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
