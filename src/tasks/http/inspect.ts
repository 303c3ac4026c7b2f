// What TestState's TRACE level shows of an HTTP Task's call (API reference, InspectionDataRequest and
// InspectionDataResponse): the request as sent and the response as received, as text. Without
// `revealSecrets` the request is shown without what the connection adds (authorization and its header,
// query and body parameters), as "TestState": "revealSecrets" describes.
import type { HttpExchange } from "../types.ts";
import type { ConnectionConfig } from "./connection.ts";
import type { HttpTaskParameters, PreparedRequest } from "./request.ts";
import { prepareRequest } from "./request.ts";

function headerText(headers: Headers): string {
  const pairs: string[] = [];
  headers.forEach((value, name) => pairs.push(`${name}: ${value}`));
  return `[${pairs.join(", ")}]`;
}

function protocolOf(url: URL): string {
  return url.protocol.replace(/:$/, "");
}

/** The request part of the exchange: the one sent, or the one built without the connection's data. */
export function inspectedRequest(
  sent: PreparedRequest,
  params: HttpTaskParameters,
  connection: ConnectionConfig,
  region: string,
  revealSecrets: boolean,
): HttpExchange["request"] {
  const shown = revealSecrets
    ? sent
    : prepareRequest(params, { ...connection, AuthParameters: { ...connection.AuthParameters, InvocationHttpParameters: {} } }, region);
  return { protocol: protocolOf(shown.url), method: shown.method, url: shown.url.toString(), headers: headerText(shown.headers), body: shown.body ?? "" };
}

/** The response part of the exchange (reads a clone, so the caller can still read the body). */
export async function inspectedResponse(response: Response): Promise<HttpExchange["response"]> {
  const body = await response.clone().text().catch(() => "");
  return {
    protocol: protocolOf(new URL(response.url || "http://localhost")),
    statusCode: String(response.status),
    statusMessage: response.statusText,
    headers: headerText(response.headers),
    body,
  };
}
