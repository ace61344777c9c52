import { AppError } from '@cdp/contracts';

type Level = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FULL_TRANSITIVE';

/**
 * Sets a subject's compatibility level, tolerating the services that start together and race to
 * set it: a conflict is fine when the level that won is the one asked for.
 */
export async function requireCompatibility(
  registryUrl: string,
  subject: string,
  level: Level,
): Promise<void> {
  const url = `${registryUrl}/config/${encodeURIComponent(subject)}`;
  const headers = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ compatibility: level }) });
  if (put.ok) return;
  const current = await fetch(url, { headers });
  const body = current.ok
    ? ((await current.json()) as { compatibilityLevel?: string; compatibility?: string })
    : {};
  const actual = body.compatibilityLevel ?? body.compatibility;
  if (actual === level) return;
  throw new AppError(
    'ERR_REGISTRY_COMPATIBILITY',
    `cannot set ${subject} to ${level} (registry answered ${put.status}, current level ${actual ?? 'unknown'})`,
    put.status >= 500,
  );
}

/**
 * Registers a schema version under a subject and returns its id; registering the same schema
 * again returns the same id. A 409 means the schema breaks the subject's compatibility level.
 */
export async function registerSchema(registryUrl: string, subject: string, schema: object): Promise<number> {
  const res = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  if (res.ok) return ((await res.json()) as { id: number }).id;
  throw new AppError(
    res.status === 409 ? 'ERR_REGISTRY_INCOMPATIBLE' : 'ERR_REGISTRY_REGISTER',
    `registering ${subject}: ${res.status} ${await res.text()}`,
    res.status >= 500,
  );
}
