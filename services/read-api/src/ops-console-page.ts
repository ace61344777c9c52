import type {
  CustomerRebuildStatus,
  LogRefusalStatus,
  OpsStatus,
  PartitionStatus,
  ResourceSync,
  TenantStatus,
} from './ops-console-status';

/** How often the browser reloads the page: an operator watching a backfill or a rebuild. */
export const REFRESH_SECONDS = 10;
/** Records waiting for the decider this long mark it: a busy one takes seconds, a stuck one never. */
const DECIDER_LAG_SHOWN_BAD_MS = 60_000;

/** Markup already escaped; anything else interpolated into `html` is escaped, so no value can inject. */
class Html {
  constructor(readonly text: string) {}
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const piece = (value: unknown): string =>
  value instanceof Html
    ? value.text
    : Array.isArray(value)
      ? value.map(piece).join('')
      : escapeHtml(String(value));

function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, text, i) => out + piece(values[i - 1]) + text));
}

const orDash = (value: string | number | null) => (value === null ? '—' : value);

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} min`;
}

const generationName = (suffix: string) => (suffix === '' ? '(first)' : suffix);

function partitionTable(partitions: readonly PartitionStatus[]): Html {
  if (partitions.length === 0) return html`<p>No progress recorded yet.</p>`;
  return html`<table>
    <tr>
      <th>topic</th>
      <th>partition</th>
      <th>applied offset</th>
      <th>high watermark</th>
      <th>lag</th>
      <th>updated</th>
    </tr>
    ${partitions.map(
      (p) =>
        html`<tr class="${p.lagMs > 0 ? 'bad' : 'ok'}">
          <td>${p.topic}</td>
          <td>${p.partition}</td>
          <td>${p.appliedOffset}</td>
          <td>${p.highWatermark}</td>
          <td>${formatDuration(p.lagMs)}</td>
          <td>${p.updatedAt}</td>
        </tr> `,
    )}
  </table>`;
}

function customerRebuildTable(rebuilds: readonly CustomerRebuildStatus[]): Html {
  if (rebuilds.length === 0) return html`<p>None requested.</p>`;
  return html`<table>
    <tr>
      <th>requested</th>
      <th>customer</th>
      <th>state</th>
      <th>outcome</th>
      <th>finished</th>
    </tr>
    ${rebuilds.map(
      (r) =>
        html`<tr class="${r.state === 'failed' ? 'bad' : 'ok'}">
          <td>${r.requestedAt}</td>
          <td>${r.tenantId}:${r.customerId}</td>
          <td>${r.state}</td>
          <td>${r.error ?? (r.applied === null ? '—' : `${r.applied} events applied`)}</td>
          <td>${orDash(r.finishedAt)}</td>
        </tr> `,
    )}
  </table>`;
}

const sweepText = (sweep: ResourceSync['lastSweep']) =>
  !sweep
    ? '—'
    : sweep.error
      ? `${sweep.finishedAt}: ${sweep.error.code}: ${sweep.error.message}`
      : `${sweep.finishedAt}, ${sweep.deleted} deleted`;

function syncRow(r: ResourceSync): Html {
  const backfill = r.backfill.done
    ? `done, ${r.backfill.fetched} fetched`
    : `${r.backfill.fetched} of ${r.backfill.total ?? '?'}, back to ${r.backfill.reachedBack ?? '?'}`;
  const error = r.lastError ? `${r.lastError.code} at ${r.lastError.at}: ${r.lastError.message}` : '—';
  return html`<tr class="${r.phase === 'failing' ? 'bad' : 'ok'}">
    <td>${r.resource}</td>
    <td>${r.phase}</td>
    <td>${backfill}</td>
    <td>
      ${r.cursor}${r.catchUp ? `; catching up from ${r.catchUp.from} to ${r.catchUp.until}, at ${r.catchUp.reached}` : ''}
    </td>
    <td>${orDash(r.lastPollFinishedAt)}</td>
    <td>${sweepText(r.lastSweep)}</td>
    <td>${error}</td>
  </tr> `;
}

function tenantSection(t: TenantStatus): Html {
  const rejected = Object.entries(t.webhooks.rejected).map(([code, n]) => `${code} ${n}`);
  return html`<section>
    <h3>${t.tenantId}</h3>
    <dl>
      <dt>Haravan org</dt>
      <dd>${t.haravanOrgId}</dd>
      <dt>API base</dt>
      <dd>${t.haravanApiBaseUrl}</dd>
      <dt>revenue policy</dt>
      <dd>${t.revenuePolicy}</dd>
      <dt>connected</dt>
      <dd>${t.createdAt}</dd>
      ${
        // Its lease holder still watches for a reinstall, but polls nothing.
        t.uninstalledAt
          ? html`<dt>uninstalled</dt>
              <dd>${t.uninstalledAt}: not polled until a new access token is set</dd>`
          : html`<dt>polled by</dt>
              <dd>${t.polledBy ?? 'nobody (no ingest holds its lease)'}</dd>`
      }
      ${
        t.credentialsRefusedAt
          ? html`<dt>token refused</dt>
              <dd>
                ${t.credentialsRefusedAt}: Haravan answers it 401; nothing is pushed until new credentials are
                set
              </dd>`
          : ''
      }
      <dt>webhooks</dt>
      <dd>
        ${t.webhooks.accepted} accepted; refused: ${rejected.length ? rejected.join(', ') : 'none'}; last
        ${orDash(t.webhooks.lastReceivedAt)}
      </dd>
      <dt>push commands</dt>
      <dd>
        ${t.commands.pending}
        pending${t.commands.oldestPendingAt ? ` (the oldest accepted ${t.commands.oldestPendingAt})` : ''},
        ${t.commands.succeeded} succeeded, ${t.commands.failed} failed
      </dd>
    </dl>
    ${
      t.sync.length === 0
        ? html`<p>Not synced yet.</p>`
        : html`<table>
            <tr>
              <th>resource</th>
              <th>phase</th>
              <th>backfill</th>
              <th>cursor</th>
              <th>last poll finished</th>
              <th>last deletion sweep</th>
              <th>last error</th>
            </tr>
            ${t.sync.map(syncRow)}
          </table>`
    }
  </section> `;
}

/** Partitions refused until cleared by hand: each stops the decider or a projector. */
function logRefusals(refusals: LogRefusalStatus[]): Html {
  if (refusals.length === 0) return html`<dd class="ok">none</dd>`;
  return html`<dd class="bad">
    ${refusals.map(
      (r) =>
        html`${r.by}${r.generation === null ? '' : `, generation ${generationName(r.generation)},`} refuses
          ${r.partition}: ${r.reason}<br />`,
    )}
    cleared by hand once Kafka's data is whole (README, Known limits)
  </dd>`;
}

/** The console page: self-contained (inline style, no script), every value escaped. */
export function renderOpsPage(status: OpsStatus): string {
  const { readModels, projection } = status;
  const rebuild = readModels.pendingRebuild;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="refresh" content="${REFRESH_SECONDS}" />
        <title>cdp ops</title>
        <style>
          body {
            font:
              14px/1.4 system-ui,
              sans-serif;
            margin: 1.5rem;
            color: #222;
          }
          table {
            border-collapse: collapse;
            margin: 0.5rem 0 1rem;
          }
          th,
          td {
            border: 1px solid #ccc;
            padding: 0.2rem 0.5rem;
            text-align: left;
            vertical-align: top;
          }
          tr.bad td,
          dd.bad {
            background: #fde8e8;
          }
          dl {
            display: grid;
            grid-template-columns: max-content auto;
            gap: 0.1rem 1rem;
          }
          dt {
            color: #666;
          }
          dd {
            margin: 0;
          }
          section {
            border-top: 1px solid #ddd;
          }
        </style>
      </head>
      <body>
        <h1>cdp ops</h1>
        <p>
          As of ${status.at}, reloads every ${REFRESH_SECONDS} s. The same data:
          <a href="/ops/status.json">status.json</a>.
        </p>
        <h2>Read models</h2>
        <dl>
          <dt>generation</dt>
          <dd>${generationName(readModels.generation)}</dd>
          <dt>derivation</dt>
          ${
            readModels.format.builtBy === readModels.format.thisRelease
              ? html`<dd class="ok">format ${readModels.format.thisRelease}, this release's</dd>`
              : html`<dd class="bad">
                  format ${readModels.format.builtBy ?? 'unrecorded'}, not this release's
                  ${readModels.format.thisRelease}: served as built until pnpm replay rebuilds them
                </dd>`
          }
          <dt>pending rebuild</dt>
          <dd>${rebuild ? rebuild.suffix : 'none'}</dd>
          <dt>parked events</dt>
          <dd class="${readModels.parkedEvents > 0 ? 'bad' : 'ok'}">${readModels.parkedEvents}</dd>
          <dt>log refusals</dt>
          ${logRefusals(readModels.logRefusals)}
          <dt>written by</dt>
          <dd>${readModels.writer ?? 'no projector'}</dd>
          <dt>projection lag</dt>
          <dd>${formatDuration(projection.maxLagMs)}</dd>
          <dt>decider lag</dt>
          <dd class="${projection.deciderLagMs > DECIDER_LAG_SHOWN_BAD_MS ? 'bad' : 'ok'}">
            ${formatDuration(projection.deciderLagMs)}
          </dd>
        </dl>
        <h2>Projector progress</h2>
        ${partitionTable(projection.partitions)}
        ${
          rebuild
            ? html`<h2>Rebuild ${rebuild.suffix}</h2>
                ${partitionTable(rebuild.partitions)}`
            : ''
        }
        <h2>Customer rebuilds</h2>
        ${customerRebuildTable(readModels.customerRebuilds)}
        <h2>Tenants</h2>
        ${status.tenants.length === 0 ? html`<p>No tenant connected.</p>` : status.tenants.map(tenantSection)}
      </body>
    </html> `.text;
}
