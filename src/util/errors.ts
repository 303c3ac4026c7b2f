// Reading what was thrown: any value can be, so these look before they read (no cast to Error).

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` property a thrown value carries (Node's `ENOENT`, `ERR_MODULE_NOT_FOUND`, ...), if it is a string. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** The `name` property a thrown value carries (SDK errors are named, not always Error subclasses), if a string. */
export function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "name" in error && typeof error.name === "string" ? error.name : undefined;
}
