/**
 * The token of `Authorization: Bearer <token>`, or null when none is given. The scheme is matched
 * whatever its case, as HTTP's auth schemes are (RFC 9110 §11.1): `bearer <token>` is the same.
 */
export const bearerToken = (authorization: string | undefined): string | null =>
  /^bearer +(\S+)$/i.exec(authorization ?? '')?.[1] ?? null;
