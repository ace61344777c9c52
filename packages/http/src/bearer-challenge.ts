/**
 * A 401's `WWW-Authenticate` for a route that takes a bearer token (RFC 6750 §3). It names an error
 * only when a bearer token was presented: a request without one is told only that one is needed.
 */
export const bearerChallenge = (realm: string, tokenPresented: boolean): string =>
  `Bearer realm="${realm}"${tokenPresented ? ', error="invalid_token"' : ''}`;
