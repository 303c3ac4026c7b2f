// serve --auth as a guard of the protocol layer (handle-request.ts): the SigV4 signature is checked before the
// operation or the body is looked at; the signer's `allow` patterns once the action's input is parsed and checked.
import { ApiError } from "../errors.ts";
import type { RequestGuard } from "../handle-request.ts";
import type { ApiAuth } from "./index.ts";

/** The guard that authenticates every request with `auth`, and authorizes its action. */
export function authGuard(auth: ApiAuth): RequestGuard {
  return async (request) => {
    const body = typeof request.body === "string" ? new TextEncoder().encode(request.body) : request.body;
    const caller = await auth.authenticate({ method: request.method ?? "POST", url: request.path ?? "/", headers: request.headers, body });
    if (!caller.ok) throw new ApiError(caller.failure.type, caller.failure.message, { status: caller.failure.status });
    return (action, input) => {
      const denied = auth.authorize(caller.principal, action, input);
      if (denied) throw new ApiError(denied.type, denied.message, { status: denied.status });
    };
  };
}
