// Authentication and authorization of the API (`serve --auth FILE`): SigV4 signatures checked against the file's
// principals, then each action against the principal's `allow` patterns. Pure apart from the clock it is given.
import type { ArnScope } from "../../sfn/arn.ts";
import type { Clock } from "../../util/clock.ts";
import type { JsonObject } from "../../util/json.ts";
import { authorizeAction } from "./authorize.ts";
import type { AuthFailure } from "./errors.ts";
import type { AuthConfig, Principal } from "./principals.ts";
import type { SignedRequest, VerifyOutcome } from "./verify-signature.ts";
import { verifySignature } from "./verify-signature.ts";

export type { AuthFailure } from "./errors.ts";
export type { AuthConfig, Principal } from "./principals.ts";
export { AuthConfigError, isReadableByOthers, loadAuthFile, parseAuthConfig } from "./principals.ts";
export type { SignedRequest, VerifyOutcome } from "./verify-signature.ts";
export { foreignHostMessage, isLoopbackAddress, isLoopbackHostHeader } from "./host-check.ts";

/** The API's gate: who sent a request, and whether they may do what it asks. */
export interface ApiAuth {
  /** Checks the request's signature at the clock's current time. */
  authenticate(request: SignedRequest): Promise<VerifyOutcome>;
  /** Undefined when allowed; else the AccessDenied failure. */
  authorize(principal: Principal, action: string, input: JsonObject): AuthFailure | undefined;
}

/** The gate for a parsed auth file; `scope` gives the signing region, `clock` the server's time. */
export function createApiAuth(config: AuthConfig, scope: ArnScope, clock: Clock): ApiAuth {
  const principals = new Map(config.principals.map((principal) => [principal.accessKeyId, principal]));
  return {
    authenticate: (request) => verifySignature(request, { principals, region: scope.region, now: clock.now() }),
    authorize: (principal, action, input) => authorizeAction(principal, action, input, scope),
  };
}
