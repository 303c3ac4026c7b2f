// `stepwright serve`: the Step Functions API on HTTP, durable in a data folder (SQLite) or in PostgreSQL, until
// SIGTERM/SIGINT.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { ApiAuth, AuthConfig } from "../api/auth/index.ts";
import { createApiAuth, isLoopbackAddress, isReadableByOthers, loadAuthFile } from "../api/auth/index.ts";
import { consoleBuildProblem } from "../api/console-assets.ts";
import { createApiServer } from "../api/server.ts";
import { checkEventsUrl, ConfigError, loadConfigFile } from "../runtime/config.ts";
import type { StepwrightConfig } from "../runtime/config.ts";
import { TriggerManager } from "../runtime/triggers/manager.ts";
import { loadMockConfig } from "../runtime/config-mocks.ts";
import { ServiceMetrics } from "../runtime/service/metrics.ts";
import { openConfiguredService } from "../runtime/service/open-service.ts";
import type { StepwrightService } from "../runtime/service/service.ts";
import { parseCommandLine, parseTimeScale, UsageError } from "./args.ts";
import { describeEndpoints, serviceEndpoints, withEndpoints } from "./sfn-local.ts";
import { commandUsage } from "./usage.ts";
import type { ServiceEndpoints } from "./sfn-local.ts";
import { defined, mapDefined } from "../util/defined.ts";

/** The settings of `serve`, from flags over environment over defaults. */
export interface ServeSettings {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  functionsDir?: string;
  configPath?: string;
  mockConfigPath?: string;
  accountId: string;
  region: string;
  authPath?: string;
  /** Serve the web console on GET requests (off with --no-console). */
  console: boolean;
  /** How long one decision may run on an engine worker. */
  decisionTimeLimitSeconds?: number;
  /** With PostgreSQL, Map Run children (of any node's Map Runs) this node runs at once; the rest are left to the other nodes. */
  mapRunChildrenPerNode?: number;
  /** `--time-scale` / WAIT_TIME_SCALE. */
  timeScale?: number;
  /** Where execution status change events are POSTed (over the configuration's `events.url`). */
  eventsUrl?: string;
  /** Step Functions Local's endpoint settings (LAMBDA_ENDPOINT, SQS_ENDPOINT, ...). */
  endpoints: ServiceEndpoints;
}

/** Parses `serve`'s arguments (with the environment); throws UsageError on a bad flag or value. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeSettings {
  const command = parseCommandLine(["serve", ...argv]);
  if (command.kind !== "serve") throw new UsageError("serve takes no help here", "serve");
  return serveSettings(command.values, command.console, env);
}

/** The settings from the parsed flags and the environment: flags win, then Stepwright's variables, then Step Functions Local's. */
export function serveSettings(flags: Readonly<Record<string, string | undefined>>, webConsole: boolean, env: NodeJS.ProcessEnv): ServeSettings {
  const fromEnv = (name: string): string | undefined => env[name] || undefined;
  const given = (name: string): string | undefined => flags[name];
  const portText = given("port") ?? fromEnv("STEPWRIGHT_PORT") ?? "8083";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port '${portText}'`, "serve");
  const functionsDir = given("functions") ?? fromEnv("STEPWRIGHT_FUNCTIONS");
  if (functionsDir !== undefined && !isFolder(functionsDir)) {
    throw new UsageError(`--functions '${functionsDir}' is not a folder${given("functions") === undefined ? " (from STEPWRIGHT_FUNCTIONS)" : ""}`, "serve");
  }
  const databaseUrl = given("database-url") ?? fromEnv("STEPWRIGHT_DATABASE_URL");
  const configPath = given("config") ?? fromEnv("STEPWRIGHT_CONFIG");
  // The variable Step Functions Local reads (sfn-local-test-sm-exec.html, "Step 2").
  const mockConfigPath = given("mock-config") ?? fromEnv("SFN_MOCK_CONFIG");
  const authPath = given("auth") ?? fromEnv("STEPWRIGHT_AUTH");
  const limitText = given("decision-time-limit") ?? fromEnv("STEPWRIGHT_DECISION_TIME_LIMIT");
  const decisionTimeLimitSeconds = limitText === undefined ? undefined : Number(limitText);
  if (decisionTimeLimitSeconds !== undefined && !(decisionTimeLimitSeconds > 0)) throw new UsageError(`invalid decision time limit '${limitText}' (seconds)`, "serve");
  const perNodeText = given("map-run-children-per-node") ?? fromEnv("STEPWRIGHT_MAP_RUN_CHILDREN_PER_NODE");
  const mapRunChildrenPerNode = perNodeText === undefined ? undefined : Number(perNodeText);
  if (mapRunChildrenPerNode !== undefined && !(Number.isInteger(mapRunChildrenPerNode) && mapRunChildrenPerNode >= 1)) {
    throw new UsageError(`invalid number of Map Run children per node '${perNodeText}' (a whole number, at least 1)`, "serve");
  }
  const eventsUrl = given("events-url") ?? fromEnv("STEPWRIGHT_EVENTS_URL");
  if (eventsUrl !== undefined) {
    try {
      checkEventsUrl(eventsUrl, "--events-url");
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message, "serve");
      throw error;
    }
  }
  const scaleFlag = given("time-scale") ?? given("wait-time-scale");
  const scaleText = scaleFlag ?? fromEnv("WAIT_TIME_SCALE");
  const timeScale = scaleText === undefined ? undefined : parseTimeScale(scaleText, scaleFlag === undefined ? "WAIT_TIME_SCALE" : "--time-scale");
  return {
    host: given("host") ?? fromEnv("STEPWRIGHT_HOST") ?? "127.0.0.1",
    port,
    dataDir: resolve(given("data") ?? fromEnv("STEPWRIGHT_DATA") ?? ".stepwright"),
    ...defined({ databaseUrl }),
    ...defined({
      functionsDir: mapDefined(functionsDir, (path) => resolve(path)),
      configPath: mapDefined(configPath, (path) => resolve(path)),
      mockConfigPath: mapDefined(mockConfigPath, (path) => resolve(path)),
      authPath: mapDefined(authPath, (path) => resolve(path)),
    }),
    ...defined({ decisionTimeLimitSeconds, mapRunChildrenPerNode, timeScale, eventsUrl }),
    // Step Functions Local's AWS_ACCOUNT_ID and AWS_DEFAULT_REGION come after Stepwright's own variables.
    accountId: given("account-id") ?? given("aws-account") ?? fromEnv("STEPWRIGHT_ACCOUNT_ID") ?? fromEnv("AWS_ACCOUNT_ID") ?? "123456789012",
    region: given("region") ?? given("aws-region") ?? fromEnv("STEPWRIGHT_REGION") ?? fromEnv("AWS_DEFAULT_REGION") ?? "us-east-1",
    console: webConsole,
    endpoints: serviceEndpoints(flags, env),
  };
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Runs the service until SIGTERM or SIGINT; resolves with the exit status. `argv` are serve's arguments. */
export async function serveCommand(argv: string[]): Promise<number> {
  let settings: ServeSettings;
  try {
    const command = parseCommandLine(["serve", ...argv]);
    if (command.kind === "help") {
      process.stdout.write(commandUsage("serve"));
      return 0;
    }
    if (command.kind !== "serve") throw new UsageError("unexpected command", "serve");
    settings = serveSettings(command.values, command.console, process.env);
  } catch (error) {
    process.stderr.write(`stepwright serve: ${error instanceof Error ? error.message : String(error)}\n(see 'stepwright serve --help')\n`);
    return 2;
  }
  return serveWith(settings);
}

/** Runs the service with these settings until SIGTERM or SIGINT. */
export async function serveWith(settings: ServeSettings): Promise<number> {
  const scope = { accountId: settings.accountId, region: settings.region };
  let authConfig: AuthConfig | undefined;
  try {
    authConfig = settings.authPath !== undefined ? loadAuthFile(settings.authPath, { partition: "aws", ...scope }) : undefined;
  } catch (error) {
    process.stderr.write(`stepwright serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (settings.authPath !== undefined && isReadableByOthers(settings.authPath)) {
    process.stderr.write(`stepwright serve: warning: the auth file ${settings.authPath} holds secret keys and is readable by other users (chmod 600 it).\n`);
  }
  const loopback = isLoopbackAddress(settings.host);
  if (!loopback && authConfig === undefined) {
    process.stderr.write(
      `stepwright serve: WARNING: listening on ${settings.host}, a non-loopback address, without --auth: anyone who can reach it can ` +
        "read and change every state machine and execution and run tasks with this server's credentials. Use --auth FILE (see README, Security).\n",
    );
  }
  let service: StepwrightService;
  let config: StepwrightConfig | undefined;
  try {
    // Step Functions Local's endpoint settings fill in what the configuration file does not say.
    config = withEndpoints(settings.configPath !== undefined ? loadConfigFile(settings.configPath) : undefined, settings.endpoints, settings.functionsDir !== undefined);
    service = await openConfiguredService({
      dataDir: settings.dataDir,
      ...defined({ databaseUrl: settings.databaseUrl, functionsDir: settings.functionsDir, config }),
      ...defined({ mockConfig: mapDefined(settings.mockConfigPath, loadMockConfig) }),
      limits: {
        ...(settings.decisionTimeLimitSeconds !== undefined ? { decisionTimeLimitMs: settings.decisionTimeLimitSeconds * 1000 } : {}),
        ...defined({ mapRunChildrenPerNode: settings.mapRunChildrenPerNode }),
      },
      ...defined({ timeScale: settings.timeScale, eventsUrl: settings.eventsUrl }),
      // Validation, compilation and decisions run on worker threads, off the thread that answers the API.
      engine: "workers",
      metrics: new ServiceMetrics({ processMetrics: true }),
      scope,
    });
  } catch (error) {
    process.stderr.write(`stepwright serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    await service.prepare();
  } catch (error) {
    // The store's first queries run here: an unreachable PostgreSQL fails now, with its message.
    process.stderr.write(`stepwright serve: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    await service.close();
    return 1;
  }
  const auth: ApiAuth | undefined = authConfig ? createApiAuth(authConfig, service.scope, service.clock) : undefined;
  // The configuration's triggers (README, "Triggers"); webhooks answer once the port is open, the others start below.
  const triggers = config !== undefined && config.triggers.length > 0
    ? new TriggerManager(service, config.triggers, { log: (line) => process.stderr.write(`stepwright serve: ${line}\n`), awsSdk: config.awsSdk })
    : undefined;
  // GET /metrics under --auth: only with the bearer token of STEPWRIGHT_METRICS_TOKEN (README, Operations).
  const metricsToken = process.env["STEPWRIGHT_METRICS_TOKEN"] || undefined;
  const metrics = auth === undefined ? { kind: "open" as const } : metricsToken !== undefined ? { kind: "token" as const, token: metricsToken } : { kind: "closed" as const };
  const server = createApiServer(service, { ...(auth ? { auth } : {}), loopbackOnly: loopback, console: settings.console, metrics });
  try {
    await new Promise<void>((ready, fail) => {
      server.once("error", fail);
      server.listen(settings.port, settings.host, () => ready());
    });
  } catch (error) {
    process.stderr.write(`stepwright serve: cannot listen on ${settings.host}:${settings.port}: ${error instanceof Error ? error.message : String(error)}\n`);
    await service.close();
    return 1;
  }
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : settings.port;
  const authNote = authConfig ? `, SigV4 auth: ${authConfig.principals.length} principal${authConfig.principals.length === 1 ? "" : "s"}` : "";
  process.stderr.write(`stepwright serve: listening on http://${settings.host}:${port} (${settings.databaseUrl !== undefined ? "PostgreSQL store, " : ""}data ${settings.dataDir}${authNote})\n`);
  const calls = describeEndpoints(settings.endpoints);
  if (calls !== undefined) process.stderr.write(`stepwright serve: Step Functions Local endpoints: ${calls}${settings.endpoints.lambda !== undefined && settings.functionsDir !== undefined ? " (Lambda: --functions wins over LAMBDA_ENDPOINT)" : ""}\n`);
  if (settings.timeScale !== undefined && settings.timeScale !== 1) process.stderr.write(`stepwright serve: time scale ${settings.timeScale}: timers fire at ${settings.timeScale} times their length\n`);
  // Recovery runs once the port is open, a bounded number of executions at a time: the API answers throughout,
  // and an execution that cannot be decided fails alone (its decision time limit) instead of keeping the port closed.
  const recovered = service.recover().then(
    (report) => process.stderr.write(`stepwright serve: resumed ${report.executions} executions, ${report.timers} timers, ${report.tasks} tasks\n`),
    (error: unknown) => process.stderr.write(`stepwright serve: recovery failed: ${error instanceof Error ? error.message : String(error)}\n`),
  );
  if (triggers !== undefined) {
    for (const line of triggers.describe()) process.stderr.write(`stepwright serve: ${line}\n`);
    await triggers.start().catch((error: unknown) => process.stderr.write(`stepwright serve: triggers failed to start: ${error instanceof Error ? error.message : String(error)}\n`));
  }
  if (settings.console) {
    const problem = consoleBuildProblem();
    process.stderr.write(problem === undefined ? `stepwright serve: web console at http://${settings.host}:${port}/\n` : `stepwright serve: ${problem}\n`);
  }
  const signal = await new Promise<NodeJS.Signals>((stop) => {
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  process.stderr.write(`stepwright serve: ${signal}, shutting down\n`);
  server.closeIdleConnections();
  const closed = new Promise<void>((done) => server.close(() => done()));
  await triggers?.stop();
  // Long polls (GetActivityTask) end when the service closes.
  await service.close();
  await recovered;
  server.closeAllConnections();
  await closed;
  return 0;
}
