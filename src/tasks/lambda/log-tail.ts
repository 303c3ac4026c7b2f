// The `LogResult` of an Invoke with `LogType: Tail`: the last 4 KB of the invocation's log, base64-encoded,
// with the START / END / REPORT lines Lambda writes (AWS Lambda API reference, Invoke, "LogResult").
import type { LogLine } from "./process-pool.ts";

const TAIL_BYTES = 4096;

/** Lambda's log text of one invocation, as the Node.js runtime formats it. */
export function invocationLog(requestId: string, version: string, logs: readonly LogLine[], durationMs: number, memorySizeMb: number): string {
  let text = `START RequestId: ${requestId} Version: ${version}\n`;
  for (const line of logs) text += `${line.at.toISOString()}\t${requestId}\t${line.level}\t${line.text}\n`;
  const billed = Math.max(1, Math.ceil(durationMs));
  text += `END RequestId: ${requestId}\n`;
  text += `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memorySizeMb} MB\t\n`;
  return text;
}

/** The base64 tail (last 4 KB) of a log text. */
export function logTail(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString("base64");
}
