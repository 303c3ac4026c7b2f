// Errors of the protocol layer itself, beside the service's (ServiceError): an HTTP status other than 400, the
// `Message` key Coral's own exceptions use, and extra members some errors carry (TooManyTags' resourceName).
import { ServiceError } from "../runtime/service/errors.ts";

export interface ApiErrorOptions {
  /** HTTP status; 400 unless said. */
  status?: number;
  /** Coral's framework exceptions (SerializationException, ...) carry `Message`; service exceptions `message`. */
  messageKey?: "message" | "Message";
  /** Further members of the error's body. */
  fields?: Record<string, string>;
}

/** An error answered as `{"__type": name, "message": message, ...fields}` with its HTTP status. */
export class ApiError extends ServiceError {
  readonly status: number;
  readonly messageKey: "message" | "Message";
  readonly fields: Readonly<Record<string, string>>;

  constructor(name: string, message: string, options: ApiErrorOptions = {}) {
    super(name, message);
    this.status = options.status ?? 400;
    this.messageKey = options.messageKey ?? "message";
    this.fields = options.fields ?? {};
  }
}

/** The JSON body and status of any error thrown by a handler or the protocol layer. */
export function errorReply(error: ServiceError): { status: number; body: Record<string, string> } {
  if (error instanceof ApiError) return { status: error.status, body: { __type: error.name, [error.messageKey]: error.message, ...error.fields } };
  return { status: 400, body: { __type: error.name, message: error.message } };
}
