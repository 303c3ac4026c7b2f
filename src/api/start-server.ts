// The Step Functions API inside the caller's process: what `stepwright serve` runs, for tests that want an
// endpoint to point an AWS SDK client at without starting a separate process.
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openConfiguredService } from "../runtime/service/open-service.ts";
import type { HostOptions } from "../runtime/service/open-service.ts";
import type { StepwrightService } from "../runtime/service/service.ts";
import { createApiServer } from "./server.ts";

/** Options of `startServer`: the service's (`dataDir` optional), and where to listen. */
export interface StartServerOptions extends Omit<HostOptions, "dataDir"> {
  /** The data folder; default a new temporary folder, removed by `close()`. */
  dataDir?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (read `endpoint`). */
  port?: number;
  /** Serve the web console on GET (default false). */
  console?: boolean;
}

/** A running server. */
export interface RunningServer {
  /** `http://HOST:PORT`: the `endpoint` of an SFNClient (with `disableHostPrefix: true` for StartSyncExecution and TestState). */
  readonly endpoint: string;
  readonly service: StepwrightService;
  /** Stops the server and the service, and removes a temporary data folder. */
  close(): Promise<void>;
}

/** Starts the API on a port of this process; the engine runs in this thread (a VirtualClock in `clock` drives it). */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "stepwright-")));
  const temporary = options.dataDir === undefined ? dataDir : undefined;
  const { host = "127.0.0.1", port = 0, console: webConsole = false, ...hostOptions } = options;
  const service = await openConfiguredService({ ...hostOptions, dataDir });
  await service.prepare();
  const server = createApiServer(service, { console: webConsole, loopbackOnly: false });
  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ready());
  });
  await service.recover();
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${shown}:${address.port}`,
    service,
    async close() {
      server.closeIdleConnections();
      const closed = new Promise<void>((done) => server.close(() => done()));
      await service.close();
      server.closeAllConnections();
      await closed;
      if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
    },
  };
}
