import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECTOR_NODE_FLAGS } from '@cdp/projector/node-flags';
import { infraEnv, keepApiKey, localSecrets, storedApiKey } from './local-env';

/**
 * `pnpm start`: the whole product on one machine. Infrastructure (unless external URLs are set),
 * ingest, projector and read API, and — when no real shop is configured — the Haravan
 * simulator's demo shop connected as tenant "demo".
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const tsxLoader = import.meta.resolve('tsx');
const INGEST = `http://127.0.0.1:${process.env.INGEST_PORT ?? 3001}`;
const READ_API = `http://127.0.0.1:${process.env.READ_API_PORT ?? 3000}`;
const PROJECTOR = `http://127.0.0.1:${process.env.PROJECTOR_PORT ?? 3002}`;
const SIM_PORT = process.env.HARAVAN_SIM_PORT ?? '3100';

const useSimulator = !process.env.HARAVAN_ACCESS_TOKEN;
// A real shop's id and secret cannot be guessed; the demo shop's defaults would be taken silently.
const missing = ['HARAVAN_ORG_ID', 'HARAVAN_WEBHOOK_SECRET'].filter((name) => !process.env[name]);
if (!useSimulator && missing.length > 0) {
  console.error(`[start] HARAVAN_ACCESS_TOKEN is set (a real shop): set ${missing.join(' and ')} too`);
  process.exit(1);
}
const demo = {
  tenantId: process.env.HARAVAN_TENANT_ID ?? 'demo',
  haravanOrgId: process.env.HARAVAN_ORG_ID ?? '1000114691',
  haravanAccessToken: process.env.HARAVAN_ACCESS_TOKEN ?? 'demo-access-token',
  haravanWebhookSecret: process.env.HARAVAN_WEBHOOK_SECRET ?? 'demo-webhook-secret',
  // A real shop is Haravan's API unless told otherwise; only the demo shop is the simulator.
  haravanApiBaseUrl:
    process.env.HARAVAN_API_BASE_URL ??
    (useSimulator ? `http://127.0.0.1:${SIM_PORT}` : 'https://apis.haravan.com'),
};

const env = (() => {
  try {
    return { ...process.env, ...infraEnv(repoRoot), ...localSecrets(repoRoot) };
  } catch (error) {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
})();
const children: ChildProcess[] = [];
const run = (name: string, script: string, args: string[] = [], nodeFlags: readonly string[] = []) => {
  if (stopping) return;
  // Node itself with tsx's loader, not tsx's CLI: a SIGKILL then reaches the service, not a wrapper
  // whose death would leave the service running.
  const child = spawn(
    process.execPath,
    [...nodeFlags, '--import', tsxLoader, join(repoRoot, script), ...args],
    {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
      stop(1);
    }
  });
  children.push(child);
};

/** How long a service may take to shut down (ingest waits up to 5 s for Kafka) before it is killed. */
const STOP_GRACE_MS = 10_000;
let stopping = false;
function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of running) child.kill('SIGTERM');
  // One that does not stop in time is killed, so no service outlives this script.
  const grace = setTimeout(() => {
    for (const child of running)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    process.exit(code);
  }, STOP_GRACE_MS);
  void Promise.all(exited).then(() => {
    clearTimeout(grace);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

/** Waits until `url` answers as `ready` says (by default `/healthz` with 2xx). */
async function waitHealthy(
  url: string,
  ready = (r: Response) => r.ok,
  path = '/healthz',
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(`${url}${path}`).then(
        (r) => ready(r),
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000}s`);
}

async function connectTenant(): Promise<string> {
  const admin = { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const created = await fetch(`${INGEST}/admin/tenants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify(demo),
  });
  if (created.status === 201) return kept(((await created.json()) as { apiKey: string }).apiKey);
  const refused = `creating tenant ${demo.tenantId}: ${created.status} ${await created.text()}`;
  if (created.status !== 409) throw new Error(refused);
  // Connected on an earlier run: the same shop is taken as configured now, another one refused.
  const existing = await fetch(`${INGEST}/admin/tenants/${demo.tenantId}`, { headers: admin });
  if (!existing.ok) throw new Error(refused);
  const { haravanOrgId, connection } = (await existing.json()) as {
    haravanOrgId: string;
    connection: { uninstalledAt: string | null };
  };
  if (haravanOrgId !== demo.haravanOrgId)
    throw new Error(
      `tenant ${demo.tenantId} is Haravan org ${haravanOrgId}, not ${demo.haravanOrgId}: set HARAVAN_TENANT_ID to another tenant id`,
    );
  if (!useSimulator) {
    const { haravanAccessToken, haravanWebhookSecret, haravanApiBaseUrl } = demo;
    // Setting a token is the word that the app is installed: not given for a shop that uninstalled it.
    const reinstall = connection.uninstalledAt === null ? { haravanAccessToken } : {};
    if (connection.uninstalledAt !== null)
      console.warn(
        `[start] the shop uninstalled the app at ${connection.uninstalledAt}: its token is not set again (after a reinstall, PATCH /admin/tenants/${demo.tenantId} with the new haravanAccessToken)`,
      );
    const updated = await fetch(`${INGEST}/admin/tenants/${demo.tenantId}`, {
      method: 'PATCH',
      headers: admin,
      body: JSON.stringify({ ...reinstall, haravanWebhookSecret, haravanApiBaseUrl }),
    });
    if (!updated.ok)
      throw new Error(`updating tenant ${demo.tenantId}: ${updated.status} ${await updated.text()}`);
  }
  // The key of an earlier run while the read API still takes it: runs would otherwise pile up keys.
  const earlier = storedApiKey(repoRoot, demo.tenantId);
  if (earlier && (await readApiTakes(earlier))) return earlier;
  const key = await fetch(`${INGEST}/admin/tenants/${demo.tenantId}/api-keys`, {
    method: 'POST',
    headers: admin,
  });
  if (!key.ok) throw new Error(`issuing an API key for ${demo.tenantId}: ${key.status} ${await key.text()}`);
  return kept(((await key.json()) as { apiKey: string }).apiKey);
}

const kept = (apiKey: string) => {
  keepApiKey(repoRoot, demo.tenantId, apiKey);
  return apiKey;
};

/** A revoked key, or one of a store since reset, is refused (401); the tenant's own is answered 200. */
const readApiTakes = (apiKey: string) =>
  fetch(`${READ_API}/v1/customers?limit=1`, { headers: { authorization: `Bearer ${apiKey}` } }).then(
    (r) => r.ok,
    () => false,
  );

/** Starts the services (and the demo shop), then connects the tenant: its read API key. */
async function startAll(): Promise<string> {
  run('ingest', 'services/ingest/src/main.ts');
  run('projector', 'services/projector/src/main.ts', [], PROJECTOR_NODE_FLAGS);
  run('read-api', 'services/read-api/src/main.ts');
  await Promise.all([waitHealthy(INGEST), waitHealthy(READ_API)]);
  if (useSimulator) {
    run('haravan-sim', 'packages/haravan-sim/src/cli.ts', [
      ...['--seed', '42', '--customers', '200', '--orders', '1000', '--port', SIM_PORT],
      ...['--org-id', demo.haravanOrgId, '--access-token', demo.haravanAccessToken],
      ...[
        '--webhook-secret',
        demo.haravanWebhookSecret,
        '--webhook-url',
        `${INGEST}/haravan/webhook`,
        '--live-ms',
        '3000',
      ],
    ]);
    // Listening is enough (its API wants a token): polls made before would fail and be retried.
    await waitHealthy(`http://127.0.0.1:${SIM_PORT}`, () => true, '/com/shop.json');
  }
  return connectTenant();
}

const apiKey = await startAll().catch((error: unknown) => {
  // Services already started would otherwise outlive this script.
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}; stopping everything`);
  stop(1);
  // stop() ends the process once the services have stopped.
  return new Promise<never>(() => undefined);
});

console.log(`
cdp-haravan-sync is running
  read API      ${READ_API}        (Authorization: Bearer ${apiKey})
  ingest        ${INGEST}        (webhooks: POST ${INGEST}/haravan/webhook)
  projector     ${PROJECTOR}        (parked events: /admin/parked)
  ADMIN_TOKEN   ${env.ADMIN_TOKEN}
  tenant        ${demo.tenantId} (Haravan org ${demo.haravanOrgId}${useSimulator ? `, simulator at http://127.0.0.1:${SIM_PORT}, webhook secret ${demo.haravanWebhookSecret}` : ''})
Try:
  curl -s -H 'Authorization: Bearer ${apiKey}' ${READ_API}/v1/customers?limit=5
  curl -s -H 'Authorization: Bearer ${env.ADMIN_TOKEN}' ${INGEST}/admin/tenants/${demo.tenantId}
Ctrl-C stops everything (the infrastructure keeps running; pnpm infra:down stops it).
`);
