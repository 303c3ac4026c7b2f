// An HTTP request ready for fetch (the HTTP Task's, or a connection's OAuth token request).

/** A request ready for fetch. */
export interface PreparedRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
}
