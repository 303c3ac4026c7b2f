// `stepwright run`'s callback endpoint: while a run has `.waitForTaskToken` tasks, SendTaskSuccess,
// SendTaskFailure and SendTaskHeartbeat (AWS JSON 1.0, as the SDKs and the aws CLI send them) reach the run on an
// ephemeral loopback port, so a run with an unmocked callback task does not wait silently: it prints this endpoint
// with the token, and local handlers get it as AWS_ENDPOINT_URL_SFN (the SDKs' service-specific endpoint variable).
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Json } from "../util/json.ts";
import { isJsonObject, parseJson, parsePlainJson } from "../util/json.ts";

/** Where the messages go (the library engine's sendTask* methods). */
export interface CallbackTarget {
  sendTaskSuccess(taskToken: string, output: Json): void;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
}

export interface CallbackServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function answer(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
  res.end(JSON.stringify(body));
}

function failure(res: ServerResponse, type: string, message: string): void {
  answer(res, 400, { __type: type, message });
}

/** Starts the endpoint on 127.0.0.1 (a free port). */
export async function startCallbackServer(target: CallbackTarget): Promise<CallbackServer> {
  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const action = String(req.headers["x-amz-target"] ?? "").replace(/^AWSStepFunctions\./, "");
    let parsed: Json;
    try {
      parsed = parsePlainJson(text || "{}");
    } catch {
      return failure(res, "SerializationException", "The request body is not JSON.");
    }
    const body = isJsonObject(parsed) ? parsed : {};
    const token = body["taskToken"];
    if (typeof token !== "string" || token === "") return failure(res, "ValidationException", "1 validation error detected: Value null at 'taskToken' failed to satisfy constraint: Member must not be null");
    try {
      switch (action) {
        case "SendTaskSuccess": {
          let output: Json;
          try {
            output = parseJson(String(body["output"]));
          } catch {
            return failure(res, "InvalidOutput", "Invalid JSON: the output of SendTaskSuccess must be JSON text.");
          }
          target.sendTaskSuccess(token, output);
          break;
        }
        case "SendTaskFailure":
          target.sendTaskFailure(token, typeof body["error"] === "string" ? body["error"] : "", typeof body["cause"] === "string" ? body["cause"] : "");
          break;
        case "SendTaskHeartbeat":
          target.sendTaskHeartbeat(token);
          break;
        default:
          return failure(res, "UnknownOperationException", `stepwright run answers SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat only (use stepwright serve for ${action || "the API"})`);
      }
    } catch (error) {
      const name = error instanceof Error ? error.name : "TaskDoesNotExist";
      return failure(res, name === "TaskDoesNotExist" ? name : "TaskDoesNotExist", error instanceof Error ? error.message : String(error));
    }
    answer(res, 200, {});
  };
  const server = createServer((req, res) => {
    let text = "";
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) text += chunk.toString("utf8");
    });
    req.on("end", () => (size > MAX_BODY ? failure(res, "RequestEntityTooLargeException", "Request body too large") : handle(req, res, text)));
  });
  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ready());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
