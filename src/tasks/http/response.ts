// Turns an HTTP response into the HTTP Task's result, from "Call HTTPS APIs in Step Functions workflows"
// (AWS docs, call-https-apis.html): result {Headers, ResponseBody, StatusCode, StatusText}; non-2xx fails
// with States.Http.StatusCode.NNN; binary content types and bodies that are not text fail with States.Runtime.
import type { Json, JsonObject } from "../../util/json.ts";
import type { TaskResult } from "../types.ts";
import { parseJson } from "../../util/json.ts";

const BINARY_TYPES = [/^application\/octet-stream$/, /^image\//, /^video\//, /^audio\//];

function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function isJsonType(media: string): boolean {
  return media === "application/json" || media.endsWith("+json");
}

function headersOf(response: Response): JsonObject {
  const headers: JsonObject = {};
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") return;
    headers[name] = [value];
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  return headers;
}

/** Reads the response into the task's result or AWS's failure. */
export async function resultOf(response: Response): Promise<TaskResult> {
  const media = mediaType(response.headers.get("content-type"));
  if (BINARY_TYPES.some((pattern) => pattern.test(media))) {
    await response.body?.cancel();
    return { status: "failed", error: "States.Runtime", cause: `The HTTP Task does not support responses of content type '${media}'.` };
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { status: "failed", error: "States.Runtime", cause: "The HTTP Task's response body cannot be read as a valid string." };
  }
  let responseBody: Json = text;
  if (isJsonType(media) && text.trim() !== "") {
    try {
      responseBody = parseJson(text);
    } catch {
      responseBody = text;
    }
  }
  const output: JsonObject = {
    Headers: headersOf(response),
    ResponseBody: responseBody,
    StatusCode: response.status,
    StatusText: response.statusText,
  };
  if (response.status >= 200 && response.status < 300) return { status: "succeeded", output };
  return { status: "failed", error: `States.Http.StatusCode.${response.status}`, cause: JSON.stringify(output) };
}
