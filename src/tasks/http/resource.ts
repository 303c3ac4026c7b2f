// The resource of the HTTP Task (call-https-apis.html), in a module of its own so the adapter's `handles` needs
// nothing else (tasks/lazy.ts).
const RESOURCE = /^arn:[^:]+:states:::http:invoke$/;

/** True for `arn:<partition>:states:::http:invoke`. */
export function isHttpResource(resource: string): boolean {
  return RESOURCE.test(resource);
}
