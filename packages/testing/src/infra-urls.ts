/**
 * Resolves the Kafka / MongoDB / schema-registry endpoints for integration tests.
 *
 * Order:
 *  1. KAFKA_BROKERS, MONGODB_URI and SCHEMA_REGISTRY_URL from the environment, when all are set
 *     (CI, or a developer with Docker who starts the services with e.g. docker compose and
 *     exports these variables — testcontainers is not used: no container runtime here).
 *  2. The local infra (infra/local/infra.sh) when its ports already answer.
 *  3. Otherwise `bash <repoRoot>/infra/local/infra.sh up` is run (installs into the user cache
 *     on first use, then starts Kafka, FerretDB and Apicurio) and its printed URLs are used.
 * It never skips and never fakes: if the infrastructure cannot be had, it throws.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface InfraUrls {
  kafkaBrokers: string[];
  mongoUri: string;
  schemaRegistryUrl: string;
}

const ENV_KEYS = ['KAFKA_BROKERS', 'MONGODB_URI', 'SCHEMA_REGISTRY_URL'] as const;
type EnvKey = (typeof ENV_KEYS)[number];

/** How long `infra.sh up` may take (first run installs into the cache). */
const INFRA_UP_TIMEOUT_MS = Number(process.env.INFRA_UP_TIMEOUT_MS ?? 15 * 60_000);

let cached: Promise<InfraUrls> | undefined;

/** Resolves the endpoints once per process (see module comment). */
export function resolveInfra(): Promise<InfraUrls> {
  cached ??= doResolve().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

async function doResolve(): Promise<InfraUrls> {
  const fromEnv = readEnv(process.env);
  if (fromEnv) return fromEnv;

  const local = localDefaults();
  if (await localInfraAnswers()) return local;

  const repoRoot = findRepoRoot();
  const script = join(repoRoot, 'infra', 'local', 'infra.sh');
  if (!existsSync(script)) {
    throw new Error(`resolveInfra: ${script} not found; set KAFKA_BROKERS, MONGODB_URI, SCHEMA_REGISTRY_URL`);
  }
  const stdout = await runInfraUp(script, repoRoot);
  const parsed = readEnv(parseEnvLines(stdout));
  if (!parsed) {
    throw new Error(`resolveInfra: 'infra.sh up' did not print ${ENV_KEYS.join(', ')}; output:\n${stdout}`);
  }
  return parsed;
}

/** The environment a service process needs to reach these endpoints (the inverse of `readEnv`). */
export function infraEnv(infra: InfraUrls): Record<EnvKey, string> {
  return {
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    MONGODB_URI: infra.mongoUri,
    SCHEMA_REGISTRY_URL: infra.schemaRegistryUrl,
  };
}

function readEnv(env: Partial<Record<string, string | undefined>>): InfraUrls | undefined {
  const [brokers, mongoUri, registry] = ENV_KEYS.map((k) => env[k]?.trim());
  if (!brokers || !mongoUri || !registry) return undefined;
  return {
    kafkaBrokers: brokers
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
    mongoUri,
    schemaRegistryUrl: registry.replace(/\/+$/, ''),
  };
}

function parseEnvLines(text: string): Partial<Record<EnvKey, string>> {
  const out: Partial<Record<EnvKey, string>> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)='?(.*?)'?$/.exec(line.trim());
    if (!m) continue;
    const key = m[1] as EnvKey;
    if ((ENV_KEYS as readonly string[]).includes(key)) out[key] = m[2];
  }
  return out;
}

function ports(): { kafka: number; mongo: number; registry: number } {
  return {
    kafka: Number(process.env.INFRA_KAFKA_PORT ?? 19092),
    mongo: Number(process.env.INFRA_MONGO_PORT ?? 27027),
    registry: Number(process.env.INFRA_REGISTRY_PORT ?? 18081),
  };
}

function localDefaults(): InfraUrls {
  const p = ports();
  return {
    kafkaBrokers: [`127.0.0.1:${p.kafka}`],
    mongoUri: `mongodb://127.0.0.1:${p.mongo}/?directConnection=true&retryWrites=false`,
    schemaRegistryUrl: `http://127.0.0.1:${p.registry}/apis/ccompat/v7`,
  };
}

async function localInfraAnswers(): Promise<boolean> {
  const p = ports();
  const [kafka, mongo, registry] = await Promise.all([
    tcpAnswers(p.kafka),
    tcpAnswers(p.mongo),
    httpOk(`http://127.0.0.1:${p.registry}/apis/ccompat/v7/subjects`),
  ]);
  return kafka && mongo && registry;
}

function tcpAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function httpOk(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Walks up from this file and from the cwd to the directory holding pnpm-workspace.yaml. */
export function findRepoRoot(): string {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('resolveInfra: could not find the repository root (no pnpm-workspace.yaml above)');
}

function runInfraUp(script: string, cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // stderr (progress, timings, failing component's log tail) goes straight to the test output.
    const child = spawn('bash', [script, 'up'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`resolveInfra: 'bash ${script} up' did not finish within ${INFRA_UP_TIMEOUT_MS} ms`));
    }, INFRA_UP_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`resolveInfra: could not run 'bash ${script} up': ${err.message}`, { cause: err }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(stdout);
      else
        reject(
          new Error(
            `resolveInfra: 'bash ${script} up' failed (${signal ?? `exit ${code}`}); see its stderr above and .infra/logs/`,
          ),
        );
    });
  });
}
