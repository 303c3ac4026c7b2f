// The answers of a refused request, as Step Functions gives them for the AWS JSON 1.0 protocol: `{"__type",
// "message"}` with HTTP 400 (Step Functions answers its authentication and authorization errors with 400, e.g.
// "The security token included in the request is invalid. (Service: AWSStepFunctions; Status Code: 400; Error
// Code: UnrecognizedClientException ...)", github.com/localstack/localstack/pull/1869, and AccessDeniedException
// with statusCode 400, github.com/FormidableLabs/aws-lambda-serverless-reference/issues/31).

/** Why a request is refused. */
export interface AuthFailure {
  readonly type:
    | "MissingAuthenticationTokenException"
    | "IncompleteSignatureException"
    | "UnrecognizedClientException"
    | "InvalidSignatureException"
    | "AccessDeniedException";
  readonly message: string;
  readonly status: number;
}

function failure(type: AuthFailure["type"], message: string): AuthFailure {
  return { type, message, status: 400 };
}

/** No Authorization header at all. */
export function missingToken(): AuthFailure {
  return failure("MissingAuthenticationTokenException", "Missing Authentication Token");
}

/** An Authorization header that is not a complete SigV4 one (AWS's wording, echoing the header). */
export function incompleteSignature(message: string): AuthFailure {
  return failure("IncompleteSignatureException", message);
}

/** An access key (or session token) no principal has. */
export function unrecognizedClient(): AuthFailure {
  return failure("UnrecognizedClientException", "The security token included in the request is invalid.");
}

/** A signature that is wrong, expired, or scoped to something else. */
export function invalidSignature(message: string): AuthFailure {
  return failure("InvalidSignatureException", message);
}

/** AWS's text when the signature does not match. */
export const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. " +
  "Consult the service documentation for details.";

/** An action outside the principal's `allow` (the message shape of IAM's implicit deny). */
export function accessDenied(principalArn: string, action: string, resource: string): AuthFailure {
  return failure(
    "AccessDeniedException",
    `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}
