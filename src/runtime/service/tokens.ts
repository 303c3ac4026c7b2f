// Task tokens: opaque to callers, but self-describing so a malformed token (InvalidToken) can be told apart
// from the token of a task that has ended (TaskTimedOut), as AWS does.
import { createHash, randomBytes } from "node:crypto";

const PREFIX = "SW1";

/** A new token for task `taskId` of an execution. */
export function mintTaskToken(executionArn: string, taskId: string): string {
  const body = Buffer.from(JSON.stringify({ e: executionArn, t: taskId, n: randomBytes(12).toString("hex") })).toString("base64url");
  return `${PREFIX}${body}`;
}

/** True when the text has the shape of a token this service (or the engine) could have issued. */
export function looksLikeTaskToken(token: string): boolean {
  if (token.startsWith(PREFIX)) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(token.slice(PREFIX.length), "base64url").toString("utf8"));
      return typeof parsed === "object" && parsed !== null && "e" in parsed && "t" in parsed;
    } catch {
      return false;
    }
  }
  // Engine-issued `.waitForTaskToken` tokens: long opaque text without spaces.
  return token.length >= 16 && /^[A-Za-z0-9+/=_:.\-]+$/.test(token);
}

/** A deterministic UUID-shaped name from parts: the name of a nested execution, so a re-dispatch is idempotent. */
export function derivedName(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
