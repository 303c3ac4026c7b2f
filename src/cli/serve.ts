// `stepwright serve`: the Step Functions API on HTTP, durable in a data folder (SQLite) or in PostgreSQL, until
// SIGTERM/SIGINT.
import { resolve } from "node:path";
import type { ApiAuth, AuthConfig } from "../api/auth/index.ts";
import { createApiAuth, isLoopbackAddress, isReadableByOthers, loadAuthFile } from "../api/auth/index.ts";
import { consoleBuildProblem } from "../api/console-assets.ts";
import { createApiServer } from "../api/server.ts";
import { loadConfigFile } from "../runtime/config.ts";
import type { StepwrightConfig } from "../runtime/config.ts";
import { TriggerManager } from "../runtime/triggers/manager.ts";
import { loadMockConfig } from "../runtime/config-mocks.ts";
import { ServiceMetrics } from "../runtime/service/metrics.ts";
import { openConfiguredService } from "../runtime/service/open-service.ts";
import type { StepwrightService } from "../runtime/service/service.ts";

export const SERVE_USAGE = `Usage: stepwright serve [--host H] [--port P] [--data DIR] [--functions DIR] [--config FILE] [--mock-config FILE]
                        [--database-url URL] [--account-id ID] [--region R] [--auth FILE] [--no-console]
                        [--decision-time-limit S]
  --host         address to listen on (env STEPWRIGHT_HOST, default 127.0.0.1)
  --port         port to listen on (env STEPWRIGHT_PORT, default 8083; 0 picks a free one)
  --data         folder of the durable store (env STEPWRIGHT_DATA, default ./.stepwright)
  --database-url PostgreSQL URL (postgres://...) of a store shared by several nodes, instead of SQLite in --data,
                 which still holds the execution log (env STEPWRIGHT_DATABASE_URL)
  --functions    folder of Lambda handlers (env STEPWRIGHT_FUNCTIONS)
  --config       where tasks run: Lambda targets, HTTP connections, AWS SDK endpoints, custom adapters
                 (env STEPWRIGHT_CONFIG; see README)
  --mock-config  AWS Step Functions Local's mock configuration (env SFN_MOCK_CONFIG); StartExecution with
                 <stateMachineArn>#<TestCaseName> runs a test case
  --account-id   account id in ARNs (env STEPWRIGHT_ACCOUNT_ID, default 123456789012)
  --region       region in ARNs (env STEPWRIGHT_REGION, default us-east-1)
  --auth         JSON file of principals {"principals":[{"accessKeyId","secretAccessKey","allow":["states:*"]}]}:
                 every request must then be SigV4-signed by one of them (env STEPWRIGHT_AUTH; see README, Security)
  --no-console   do not serve the web console (GET http://HOST:PORT/); the API answers POST / either way
  --decision-time-limit  seconds one decision or validation may run on an engine worker before the worker is
                 stopped and the execution fails with States.Runtime (env STEPWRIGHT_DECISION_TIME_LIMIT, default 10;
                 see README, Limits and isolation)
GET /health (liveness), /health/ready (the store answers) and /metrics (Prometheus) serve operators (README,
Operations); under --auth, /metrics needs 'Authorization: Bearer <token>' with the token of env STEPWRIGHT_METRICS_TOKEN.
`;

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
}

const FLAGS: Record<string, keyof ServeSettings> = {
  "--host": "host", "--port": "port", "--data": "dataDir", "--database-url": "databaseUrl", "--functions": "functionsDir",
  "--config": "configPath", "--mock-config": "mockConfigPath", "--account-id": "accountId", "--region": "region",
  "--auth": "authPath", "--decision-time-limit": "decisionTimeLimitSeconds",
};

/** Parses `serve`'s arguments; throws an Error with a usage message on a bad flag. */
export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeSettings {
  const given: Partial<Record<keyof ServeSettings, string>> = {};
  let webConsole = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--no-console") {
      webConsole = false;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const field = FLAGS[flag];
    if (!field) throw new Error(`unknown option '${arg}'`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`option '${flag}' needs a value`);
    given[field] = value;
  }
  const port = Number(given.port ?? env["STEPWRIGHT_PORT"] ?? 8083);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port '${given.port ?? env["STEPWRIGHT_PORT"]}'`);
  const functionsDir = given.functionsDir ?? env["STEPWRIGHT_FUNCTIONS"];
  const databaseUrl = given.databaseUrl ?? (env["STEPWRIGHT_DATABASE_URL"] || undefined);
  const configPath = given.configPath ?? (env["STEPWRIGHT_CONFIG"] || undefined);
  // The variable Step Functions Local reads (sfn-local-test-sm-exec.html, "Step 2").
  const mockConfigPath = given.mockConfigPath ?? (env["SFN_MOCK_CONFIG"] || undefined);
  const authPath = given.authPath ?? (env["STEPWRIGHT_AUTH"] || undefined);
  const limitText = given.decisionTimeLimitSeconds ?? (env["STEPWRIGHT_DECISION_TIME_LIMIT"] || undefined);
  const decisionTimeLimitSeconds = limitText === undefined ? undefined : Number(limitText);
  if (decisionTimeLimitSeconds !== undefined && !(decisionTimeLimitSeconds > 0)) throw new Error(`invalid decision time limit '${limitText}' (seconds)`);
  return {
    host: given.host ?? env["STEPWRIGHT_HOST"] ?? "127.0.0.1",
    port,
    dataDir: resolve(given.dataDir ?? env["STEPWRIGHT_DATA"] ?? ".stepwright"),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(functionsDir !== undefined ? { functionsDir: resolve(functionsDir) } : {}),
    ...(configPath !== undefined ? { configPath: resolve(configPath) } : {}),
    ...(mockConfigPath !== undefined ? { mockConfigPath: resolve(mockConfigPath) } : {}),
    ...(authPath !== undefined ? { authPath: resolve(authPath) } : {}),
    ...(decisionTimeLimitSeconds !== undefined ? { decisionTimeLimitSeconds } : {}),
    accountId: given.accountId ?? env["STEPWRIGHT_ACCOUNT_ID"] ?? "123456789012",
    region: given.region ?? env["STEPWRIGHT_REGION"] ?? "us-east-1",
    console: webConsole,
  };
}

/** Runs the service until SIGTERM or SIGINT; resolves with the exit status. */
export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  let settings: ServeSettings;
  try {
    settings = parseServeArgs(argv);
  } catch (error) {
    process.stderr.write(`stepwright serve: ${error instanceof Error ? error.message : String(error)}\n${SERVE_USAGE}`);
    return 2;
  }
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
    config = settings.configPath !== undefined ? loadConfigFile(settings.configPath) : undefined;
    service = await openConfiguredService({
      dataDir: settings.dataDir,
      ...(settings.databaseUrl !== undefined ? { databaseUrl: settings.databaseUrl } : {}),
      ...(settings.functionsDir !== undefined ? { functionsDir: settings.functionsDir } : {}),
      ...(config !== undefined ? { config } : {}),
      ...(settings.mockConfigPath !== undefined ? { mockConfig: loadMockConfig(settings.mockConfigPath) } : {}),
      ...(settings.decisionTimeLimitSeconds !== undefined ? { limits: { decisionTimeLimitMs: settings.decisionTimeLimitSeconds * 1000 } } : {}),
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
