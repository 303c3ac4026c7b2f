// `http.allowedHosts` of the configuration: the hosts HTTP Tasks may call, so an operator can confine what a
// caller who may start executions reaches through the server. Patterns: `api.example.com`, `*.example.com` (any
// subdomain, not example.com itself), `10.0.0.5`, `[::1]`, each with an optional `:port` (without one, any port).
// Names compare case-insensitively.
import { captured } from "../../util/regex.ts";

/** A checked host pattern. */
export interface HostPattern {
  readonly source: string;
  matches(url: URL): boolean;
}

const PATTERN = /^(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;

function effectivePort(url: URL): string {
  if (url.port !== "") return url.port;
  return url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "";
}

/** Compiles `pattern`; throws an Error saying what a pattern looks like when it is malformed. */
export function compileHostPattern(source: string): HostPattern {
  const m = PATTERN.exec(source.trim());
  if (!m || (m[3] !== undefined && Number(m[3]) > 65535)) {
    throw new Error(`'${source}' is not a host pattern (expected a host name or address with an optional :port, e.g. api.example.com, *.example.com, 127.0.0.1:8080).`);
  }
  const wildcard = m[1] !== undefined;
  const name = captured(m, 2).toLowerCase();
  const port = m[3];
  return {
    source,
    matches(url) {
      const host = url.hostname.toLowerCase();
      const nameOk = wildcard ? host.endsWith(`.${name}`) : host === name;
      return nameOk && (port === undefined || effectivePort(url) === String(Number(port)));
    },
  };
}

/** A host check: undefined allows every host. */
export type HostAllowList = readonly HostPattern[] | undefined;

/** True when `url` may be called under `allowList`. */
export function isHostAllowed(allowList: HostAllowList, url: URL): boolean {
  return allowList === undefined || allowList.some((pattern) => pattern.matches(url));
}
