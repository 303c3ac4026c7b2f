// DNS rebinding protection: a server bound to a loopback address answers only requests addressed to a loopback
// name. A web page on evil.example whose name an attacker re-points to 127.0.0.1 makes the browser send requests
// with `Host: evil.example:8083`; those are refused, so such a page can neither read nor change local state.
import { isIP } from "node:net";

/** True when `host` (what `serve --host` listens on) is a loopback address or `localhost`. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === "localhost" || lower.endsWith(".localhost")) return true;
  if (isIP(lower) === 4) return lower.startsWith("127.");
  if (isIP(lower) === 6) return lower === "::1" || lower === "0:0:0:0:0:0:0:1" || lower.startsWith("::ffff:127.");
  return false;
}

/** The name part of a Host header (`localhost:8083` -> `localhost`, `[::1]:8083` -> `[::1]`). */
function hostName(header: string): string {
  const trimmed = header.trim().toLowerCase();
  if (trimmed.startsWith("[")) {
    const end = trimmed.indexOf("]");
    return end < 0 ? trimmed : trimmed.slice(0, end + 1);
  }
  const colon = trimmed.lastIndexOf(":");
  return colon < 0 ? trimmed : trimmed.slice(0, colon);
}

/**
 * True when a request's Host header names the loopback interface: `localhost`, `127.x.x.x` or `[::1]`, with any
 * port (a forwarded port keeps working). A request without a Host header (HTTP/1.0 tools) is not a browser's.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (header === undefined) return true;
  const name = hostName(header);
  if (name === "localhost") return true;
  if (name.startsWith("[")) return isLoopbackAddress(name);
  return isIP(name) === 4 && name.startsWith("127.");
}

/** The message of a refused Host. */
export function foreignHostMessage(header: string): string {
  return (
    `Stepwright refuses the Host '${header}': this server listens on a loopback address and answers only requests ` +
    "addressed to localhost, 127.0.0.1 or [::1] (protection against DNS rebinding). To serve other names, listen on " +
    "another address with --host (and protect it with --auth)."
  );
}
