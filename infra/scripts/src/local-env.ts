import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function parseEnvLines(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)='?(.*?)'?$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) entries[match[1]] = match[2];
  }
  return entries;
}

/**
 * External endpoints when all three are set; with none, the local embedded infrastructure, started
 * if needed. Some but not all is refused: the local ones would silently replace those set.
 */
export function infraEnv(repoRoot: string): Record<string, string> {
  const { KAFKA_BROKERS, MONGODB_URI, SCHEMA_REGISTRY_URL } = process.env;
  if (KAFKA_BROKERS && MONGODB_URI && SCHEMA_REGISTRY_URL)
    return { KAFKA_BROKERS, MONGODB_URI, SCHEMA_REGISTRY_URL };
  const set = Object.entries({ KAFKA_BROKERS, MONGODB_URI, SCHEMA_REGISTRY_URL }).filter(([, v]) => v);
  if (set.length > 0)
    throw new Error(
      `${set.map(([name]) => name).join(' and ')} set without the others: set all of KAFKA_BROKERS, MONGODB_URI and SCHEMA_REGISTRY_URL, or none for the local infrastructure`,
    );
  const out = execFileSync('bash', [join(repoRoot, 'infra/local/infra.sh'), 'up'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return parseEnvLines(out);
}

const stateDir = (repoRoot: string) => process.env.INFRA_STATE_DIR ?? join(repoRoot, '.infra');

/**
 * ADMIN_TOKEN and SECRETS_KEY for local runs, made once and kept in the git-ignored state folder:
 * tenants' secrets stay readable across restarts. The environment wins when it sets them.
 */
export function localSecrets(repoRoot: string): { ADMIN_TOKEN: string; SECRETS_KEY: string } {
  const dir = stateDir(repoRoot);
  const file = join(dir, 'local-secrets.env');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const fresh = `ADMIN_TOKEN=${randomBytes(18).toString('base64url')}\nSECRETS_KEY=${randomBytes(32).toString('base64')}\n`;
    writeFileSync(file, fresh, { mode: 0o600 });
  }
  const stored = parseEnvLines(readFileSync(file, 'utf8'));
  return {
    ADMIN_TOKEN: process.env.ADMIN_TOKEN ?? stored.ADMIN_TOKEN ?? '',
    SECRETS_KEY: process.env.SECRETS_KEY ?? stored.SECRETS_KEY ?? '',
  };
}

const apiKeysFile = (repoRoot: string) => join(stateDir(repoRoot), 'local-api-keys.json');

function storedApiKeys(repoRoot: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(apiKeysFile(repoRoot), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** The read API key `pnpm start` issued to a tenant on an earlier run, if it kept one. */
export const storedApiKey = (repoRoot: string, tenantId: string): string | undefined =>
  storedApiKeys(repoRoot)[tenantId];

/** Kept beside the local secrets, so the next run prints the same key instead of issuing another. */
export function keepApiKey(repoRoot: string, tenantId: string, apiKey: string): void {
  mkdirSync(stateDir(repoRoot), { recursive: true });
  const keys = { ...storedApiKeys(repoRoot), [tenantId]: apiKey };
  writeFileSync(apiKeysFile(repoRoot), `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
}
