// Amazon Bedrock (connect-bedrock.html): InvokeModel (request-response) and CreateModelCustomizationJob
// (request-response, `.sync`). InvokeModel takes `Body` (JSON or text, not validated) or `Input.S3Uri` (the
// body read from S3; its content type is the object's unless `ContentType` is given), never both, and
// `Output.S3Uri` writes the response body to S3 and answers a reference to it instead. The result is
// `{Body, ContentType}` with a JSON body parsed. `.sync` polls GetModelCustomizationJob until Completed (the
// description) or Failed/Stopped (States.TaskFailed); a cancelled task stops the job.
import type { Json, JsonObject } from "../../../util/json.ts";

import type { TaskResult } from "../../types.ts";
import type { OptimizedApi, RunContext } from "./types.ts";
import { failure, field, handleFrom, statusBy, text } from "./types.ts";
import { parseJson } from "../../../util/json.ts";

/** `s3://bucket/key` -> bucket and key. */
function s3Location(uri: string): { Bucket: string; Key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match ? { Bucket: match[1] ?? "", Key: match[2] ?? "" } : undefined;
}

function s3Uri(value: Json | undefined): string | undefined {
  return text(field(value, "S3Uri"));
}

function parsedBody(body: Json | undefined, contentType: string | undefined): Json {
  if (typeof body !== "string" || !(contentType ?? "application/json").includes("json")) return body ?? null;
  try {
    return parseJson(body);
  } catch {
    return body;
  }
}

async function invokeModel(context: RunContext): Promise<TaskResult> {
  const { Body, Input, Output, ...rest } = context.parameters;
  if (Body !== undefined && Input !== undefined) return failure("States.Runtime", "bedrock:invokeModel takes either Body or Input, not both.");
  const request: JsonObject = { ...rest };
  if (Body !== undefined) request["Body"] = Body;
  if (Input !== undefined) {
    const source = s3Location(s3Uri(Input) ?? "");
    if (!source) return failure("States.Runtime", `bedrock:invokeModel Input.S3Uri must be an s3://bucket/key URI: ${JSON.stringify(Input)}`);
    const read = await context.call({ service: "s3", action: "getObject", parameters: source });
    if (!read.ok) return read.result;
    request["Body"] = field(read.output, "Body") ?? "";
    const contentType = text(field(read.output, "ContentType"));
    if (request["ContentType"] === undefined && contentType !== undefined) request["ContentType"] = contentType;
  }
  const invoked = await context.call({ service: "bedrockruntime", action: "invokeModel", parameters: request });
  if (!invoked.ok) return invoked.result;
  const contentType = text(field(invoked.output, "ContentType"));
  const body = field(invoked.output, "Body");
  if (Output === undefined) return { status: "succeeded", output: { Body: parsedBody(body, contentType), ContentType: contentType ?? null } };
  const uri = s3Uri(Output);
  const target = s3Location(uri ?? "");
  if (!uri || !target) return failure("States.Runtime", `bedrock:invokeModel Output.S3Uri must be an s3://bucket/key URI: ${JSON.stringify(Output)}`);
  const written = await context.call({ service: "s3", action: "putObject", parameters: { ...target, Body: body ?? "", ...(contentType ? { ContentType: contentType } : {}) } });
  if (!written.ok) return written.result;
  return { status: "succeeded", output: { Body: { S3Uri: uri }, ContentType: contentType ?? null } };
}

export const BEDROCK: Record<string, OptimizedApi> = {
  "bedrock:invokeModel": { patterns: [""], run: invokeModel },
  "bedrock:createModelCustomizationJob": {
    patterns: ["", "sync"],
    sync: {
      handle: handleFrom({ arn: ["JobArn"] }),
      describe: (handle) => ({ action: "getModelCustomizationJob", parameters: { JobIdentifier: handle["arn"] ?? "" } }),
      status: statusBy({ job: [], status: ["Status"], succeeded: ["Completed"], failed: ["Failed", "Stopped"] }),
      stop: (handle) => ({ action: "stopModelCustomizationJob", parameters: { JobIdentifier: handle["arn"] ?? "" } }),
    },
  },
};

