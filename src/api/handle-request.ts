// The AWS JSON 1.0 protocol layer, without a socket: `(request) -> response`. `POST /` with
// `X-Amz-Target: AWSStepFunctions.<Action>` and a JSON body; answers 200 with the action's output, or the error
// AWS answers (`{"__type", "message"}`, 400 unless said). The order is AWS's: the body's size, the request's
// guards (authentication), the operation, the body's syntax and types (SerializationException), the action's
// model constraints (ValidationException), then the action. server.ts adapts node:http to it; tests call it
// directly.
import type { StepwrightService } from "../runtime/service/service.ts";
import { ServiceError } from "../runtime/service/errors.ts";
import { NotSupportedYetError } from "../sfn/errors.ts";
import { MAX_JSON_NESTING_DEPTH, nestingDepthMessage } from "../sfn/limits.ts";
import type { Json, JsonObject } from "../util/json.ts";
import { jsonNestingDepth } from "../util/json-depth.ts";
import { ACTIONS } from "./actions.ts";
import type { ApiContext } from "./context.ts";
import { ApiError, errorReply } from "./errors.ts";
import { INPUT_SHAPES } from "./schemas.ts";
import type { ActionName } from "./schemas.ts";
import { checkRequest } from "./validate.ts";
import { parsePlainJson } from "../util/json.ts";

const TARGET_PREFIX = "AWSStepFunctions.";
const CONTENT_TYPE = "application/x-amz-json-1.0";

/**
 * The largest request body accepted, in bytes. The largest valid request is a TestState or CreateStateMachine
 * with a 1 MiB definition: escaped as `\uXXXX` by a client (Python's json.dumps does), up to 6 MiB.
 */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/** One request, as the HTTP adapter (or a test) hands it over. */
export interface ApiRequest {
  /** The `X-Amz-Target` header's value. */
  readonly target: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body: its bytes as received (a guard may need them, e.g. to check a signature's payload hash), or text. */
  readonly body: string | Uint8Array;
  /** "POST" when absent. */
  readonly method?: string;
  /** The request target's path and query ("/" when absent). */
  readonly path?: string;
  /** Aborted when the client goes away (long polls stop). */
  readonly signal?: AbortSignal;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The protocol layer: one request in, its response out; never throws. */
export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

/**
 * A check every request passes before its operation is looked up and its body parsed: the hook for
 * authentication (SigV4 needs the method, path, headers and body bytes). It refuses a request by throwing an
 * ApiError (status and `__type` of its choosing); it may return a check of the action itself, run once the body
 * is parsed and checked against the action's shape (authorization: which principal may do what, on which ARN).
 */
export type RequestGuard = (request: ApiRequest) => void | ActionGuard | Promise<void | ActionGuard>;

/** A check of one action and its (checked) input; throws an ApiError to refuse it. */
export type ActionGuard = (action: ActionName, input: JsonObject) => void | Promise<void>;

export interface ApiHandlerOptions {
  /** Run in order on every request; the first to throw answers it. */
  guards?: readonly RequestGuard[];
  /** Overrides MAX_REQUEST_BYTES. */
  maxRequestBytes?: number;
}

/** AWS's answer to a body over the limit (Coral's RequestEntityTooLargeException, HTTP 413). */
export function requestTooLarge(limit: number): ApiError {
  return new ApiError("RequestEntityTooLargeException", `Request body exceeds the limit of ${limit} bytes`, { status: 413, messageKey: "Message" });
}

function reply(status: number, body: object): ApiResponse {
  return { status, headers: { "Content-Type": CONTENT_TYPE, "x-amzn-RequestId": crypto.randomUUID() }, body: JSON.stringify(body) };
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength;
}

function bodyText(body: string | Uint8Array): string {
  return typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
}

/** The `__type` an error is answered with, for the API request counter. */
function errorType(error: unknown): string {
  if (error instanceof NotSupportedYetError) return "ValidationException";
  if (error instanceof ServiceError) return error.name;
  return "InternalFailure";
}

function actionOf(target: string): ActionName | undefined {
  if (!target.startsWith(TARGET_PREFIX)) return undefined;
  const name = target.slice(TARGET_PREFIX.length);
  return isActionName(name) ? name : undefined;
}

/** True for an action this API has a handler for (ACTIONS has one per ActionName). */
function isActionName(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

/** The request body's JSON; SerializationException when it is not JSON or nests too deep. */
function parseBody(text: string): Json {
  if (text.trim() === "") return {};
  const depth = jsonNestingDepth(text, MAX_JSON_NESTING_DEPTH);
  if (depth > MAX_JSON_NESTING_DEPTH) throw new ApiError("SerializationException", nestingDepthMessage(depth), { messageKey: "Message" });
  try {
    return parsePlainJson(text);
  } catch {
    throw new ApiError("SerializationException", "Unexpected token received from parser", { messageKey: "Message" });
  }
}

/** The protocol layer over `service`. */
export function createApiHandler(service: StepwrightService, options: ApiHandlerOptions = {}): ApiHandler {
  const maxBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const guards = options.guards ?? [];
  return async (request) => {
    let action: ActionName | undefined;
    try {
      const method = request.method ?? "POST";
      if (method !== "POST") return reply(404, { __type: "UnknownOperationException", message: `Only POST is supported, not ${method}` });
      if (byteLength(request.body) > maxBytes) {
        service.metrics.limitHit("request_too_large");
        throw requestTooLarge(maxBytes);
      }
      const actionGuards: ActionGuard[] = [];
      for (const guard of guards) {
        const then = await guard(request);
        if (then) actionGuards.push(then);
      }
      action = actionOf(request.target);
      if (action === undefined) throw new ApiError("UnknownOperationException", `Unknown operation: '${request.target}'`);
      const input = checkRequest(INPUT_SHAPES[action], parseBody(bodyText(request.body)));
      for (const check of actionGuards) await check(action, input);
      const context: ApiContext = { service, store: service.store, scope: service.scope, signal: request.signal ?? new AbortController().signal };
      const output = await ACTIONS[action](input, context);
      service.metrics.apiRequest(action, "ok");
      return reply(200, output);
    } catch (error) {
      // Only known actions are labels: an unknown target must not grow the metric's label set.
      if (action !== undefined) service.metrics.apiRequest(action, errorType(error));
      // A feature Stepwright cannot do yet is the caller's request it cannot serve, named (README lists them).
      if (error instanceof NotSupportedYetError) return reply(400, { __type: "ValidationException", message: error.message });
      if (error instanceof ServiceError) {
        const { status, body } = errorReply(error);
        return reply(status, body);
      }
      // A bug, not the caller's fault: logged with its stack, answered without it.
      console.error(`stepwright: ${action ?? request.target} failed:`, error);
      return reply(500, { __type: "InternalFailure", message: "The request processing has failed because of an unknown error, exception or failure." });
    }
  };
}
