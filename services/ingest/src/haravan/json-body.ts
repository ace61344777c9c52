/**
 * A body's JSON value. A leading UTF-8 byte order mark is left out: JSON.parse refuses it, and a
 * delivery refused for it would be refused on every one of Haravan's retries. Throws as JSON.parse.
 */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}
