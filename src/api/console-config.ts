// `GET /console-config.json`: what the web console needs to know before its first API call, without secrets:
// whether requests must be signed (serve --auth), and the region and service to sign them for.
import type { ArnScope } from "../sfn/arn.ts";
import { SIGNING_SERVICE } from "./auth/verify-signature.ts";

export const CONSOLE_CONFIG_PATH = "/console-config.json";

/** The console's settings. */
export interface ConsoleConfig {
  /** True when every API call must carry a SigV4 signature by a key of the auth file. */
  authRequired: boolean;
  /** The region and service the signature must be scoped to. */
  signingRegion: string;
  signingService: string;
  accountId: string;
  partition: string;
}

export function consoleConfig(scope: ArnScope, authRequired: boolean): ConsoleConfig {
  return { authRequired, signingRegion: scope.region, signingService: SIGNING_SERVICE, accountId: scope.accountId, partition: scope.partition };
}
