import { describe, expect, it } from 'vitest';
import { renderOpsPage } from './ops-console-page';
import type { OpsStatus, TenantStatus } from './ops-console-status';

const tenant: TenantStatus = {
  tenantId: 'shop-a',
  haravanOrgId: '1000114691',
  haravanApiBaseUrl: 'https://apis.haravan.com',
  revenuePolicy: 'net-of-refunds',
  createdAt: '2025-03-01T00:00:00.000Z',
  uninstalledAt: null,
  credentialsRefusedAt: null,
  polledBy: 'host:123:abcd1234',
  sync: [
    {
      resource: 'orders',
      phase: 'backfill',
      backfill: { done: false, fetched: 1200, total: 5000, reachedBack: '2025-01-01T00:00:00.000Z' },
      cursor: '2025-03-01T00:00:00.000Z',
      catchUp: null,
      lastPollFinishedAt: null,
      lastError: null,
      lastSweep: null,
    },
    {
      resource: 'customers',
      phase: 'failing',
      backfill: { done: true, fetched: 300, total: 300, reachedBack: null },
      cursor: '2025-03-01T00:00:00.000Z',
      catchUp: {
        from: '2025-02-20T00:00:00.000Z',
        reached: '2025-02-25T00:00:00.000Z',
        until: '2025-02-28T23:50:00.000Z',
      },
      lastPollFinishedAt: '2025-03-01T00:01:00.000Z',
      lastError: { code: 'ERR_HARAVAN_429', message: 'throttled <again>', at: '2025-03-01T00:02:00.000Z' },
      lastSweep: { finishedAt: '2025-03-01T00:03:00.000Z', deleted: 2, error: null },
    },
  ],
  webhooks: { accepted: 42, rejected: { ERR_WEBHOOK_BAD_SIGNATURE: 3 }, lastReceivedAt: null },
  commands: { pending: 2, succeeded: 7, failed: 1, oldestPendingAt: '2025-06-01T09:00:00.000Z' },
};

const status = (patch: Partial<OpsStatus> = {}): OpsStatus => ({
  at: '2025-03-01T00:05:00.000Z',
  readModels: {
    generation: '_g1700000000000',
    format: { builtBy: 1, thisRelease: 1 },
    pendingRebuild: {
      suffix: '_g1800000000000',
      partitions: [
        {
          topic: 'cdp.orders.v1',
          partition: 0,
          appliedOffset: 50,
          highWatermark: 900,
          lagMs: 86_400_000,
          updatedAt: '2025-03-01T00:04:59.000Z',
        },
      ],
    },
    parkedEvents: 4,
    logRefusals: [],
    writer: 'vm:4242',
    customerRebuilds: [
      {
        tenantId: 'shop-a',
        customerId: '5001',
        state: 'failed',
        requestedAt: '2025-03-01T00:04:00.000Z',
        finishedAt: '2025-03-01T00:04:30.000Z',
        applied: null,
        error: 'shop-a:5001 stays without documents until a rebuild succeeds: refused',
      },
      {
        tenantId: 'shop-a',
        customerId: '5002',
        state: 'done',
        requestedAt: '2025-03-01T00:03:00.000Z',
        finishedAt: '2025-03-01T00:03:02.000Z',
        applied: 23,
        error: null,
      },
    ],
  },
  projection: {
    maxLagMs: 90_000,
    deciderLagMs: 300_000,
    partitions: [
      {
        topic: 'cdp.orders.v1',
        partition: 0,
        appliedOffset: 10,
        highWatermark: 11,
        lagMs: 0,
        updatedAt: '2025-03-01T00:04:00.000Z',
      },
      {
        topic: 'cdp.customers.v1',
        partition: 2,
        appliedOffset: 100,
        highWatermark: 180,
        lagMs: 90_000,
        updatedAt: '2025-03-01T00:04:00.000Z',
      },
    ],
  },
  tenants: [tenant],
  ...patch,
});

const rowOf = (page: string, cell: string) => page.split('<tr').find((row) => row.includes(cell)) ?? '';
/** The value a `<dt>` names, whitespace collapsed. */
const field = (page: string, name: string) =>
  new RegExp(`<dt>${name}</dt>\\s*<dd[^>]*>([^<]*)</dd>`).exec(page)?.[1]?.replace(/\s+/g, ' ').trim();

describe('the ops console page', () => {
  it('shows a tenant with its sync, webhooks and push commands', () => {
    const page = renderOpsPage(status());
    expect(page).toContain('<h3>shop-a</h3>');
    expect(page).toContain('1000114691');
    expect(page).toContain('host:123:abcd1234');
    expect(page).toContain('1200 of 5000');
    expect(field(page, 'webhooks')).toBe('42 accepted; refused: ERR_WEBHOOK_BAD_SIGNATURE 3; last —');
    expect(field(page, 'push commands')).toBe(
      '2 pending (the oldest accepted 2025-06-01T09:00:00.000Z), 7 succeeded, 1 failed',
    );
    expect(rowOf(page, '<td>customers</td>')).toContain('class="bad"');
    expect(rowOf(page, '<td>customers</td>')).toContain('2025-03-01T00:03:00.000Z, 2 deleted');
    expect(rowOf(page, '<td>customers</td>')).toContain(
      'catching up from 2025-02-20T00:00:00.000Z to 2025-02-28T23:50:00.000Z, at 2025-02-25T00:00:00.000Z',
    );
    expect(rowOf(page, '<td>orders</td>')).not.toContain('catching up');
  });

  it('says when Haravan refuses the shop its token', () => {
    expect(field(renderOpsPage(status()), 'token refused')).toBeUndefined();
    const page = renderOpsPage(
      status({ tenants: [{ ...tenant, credentialsRefusedAt: '2025-03-01T00:04:00.000Z' }] }),
    );
    expect(field(page, 'token refused')).toBe(
      '2025-03-01T00:04:00.000Z: Haravan answers it 401; nothing is pushed until new credentials are set',
    );
  });

  it('says when a shop uninstalled the app', () => {
    expect(field(renderOpsPage(status()), 'uninstalled')).toBeUndefined();
    const page = renderOpsPage(
      status({ tenants: [{ ...tenant, uninstalledAt: '2025-03-01T00:04:00.000Z' }] }),
    );
    expect(field(page, 'uninstalled')).toBe(
      '2025-03-01T00:04:00.000Z: not polled until a new access token is set',
    );
    expect(field(page, 'polled by')).toBeUndefined();
  });

  it('marks a lagging partition and gives its lag', () => {
    const page = renderOpsPage(status());
    const lagging = rowOf(page, '<td>cdp.customers.v1</td>');
    expect(lagging).toContain('class="bad"');
    expect(lagging).toContain('1 min');
    expect(rowOf(page, '<td>cdp.orders.v1</td>')).toContain('class="ok"');
  });

  it('shows the generation, a pending rebuild with its progress, and the parked events', () => {
    const page = renderOpsPage(status());
    expect(field(page, 'generation')).toBe('_g1700000000000');
    expect(field(page, 'derivation')).toBe("format 1, this release's");
    expect(field(page, 'pending rebuild')).toBe('_g1800000000000');
    expect(page).toMatch(/<h2>Rebuild _g1800000000000<\/h2>/);
    expect(page).toContain('24 h 0 min');
    expect(field(page, 'parked events')).toBe('4');
    expect(field(page, 'decider lag')).toBe('5 min');
    expect(page).toMatch(/<dt>decider lag<\/dt>\s*<dd class="bad">/);
    expect(page).toMatch(/<dt>parked events<\/dt>\s*<dd class="bad">/);
    const idle = renderOpsPage(
      status({
        readModels: {
          generation: '',
          format: { builtBy: null, thisRelease: 2 },
          pendingRebuild: null,
          parkedEvents: 0,
          logRefusals: [],
          writer: null,
          customerRebuilds: [],
        },
      }),
    );
    expect(field(idle, 'generation')).toBe('(first)');
    expect(field(idle, 'derivation')).toBe(
      "format unrecorded, not this release's 2: served as built until pnpm replay rebuilds them",
    );
    expect(idle).toMatch(/<dt>derivation<\/dt>\s*<dd class="bad">/);
    expect(field(idle, 'pending rebuild')).toBe('none');
    expect(idle).toMatch(/<dt>parked events<\/dt>\s*<dd class="ok">0</);
    expect(field(idle, 'log refusals')).toBe('none');
    expect(idle).not.toContain('<h2>Rebuild');
    expect(idle).toContain('None requested.');
  });

  it('marks the partitions the decider and the projector refuse until cleared, with their reasons', () => {
    const page = renderOpsPage(
      status({
        readModels: {
          ...status().readModels,
          logRefusals: [
            { by: 'decider', generation: null, partition: 'haravan.raw.v1/0', reason: 'its log ends at 3' },
            { by: 'projector', generation: '', partition: 'cdp.orders.v1/1', reason: 'went down <from 9>' },
          ],
        },
      }),
    );
    const refusals = /<dt>log refusals<\/dt>\s*<dd class="bad">([\s\S]*?)<\/dd>/.exec(page)?.[1] ?? '';
    expect(refusals.replace(/\s+/g, ' ')).toContain('decider refuses haravan.raw.v1/0: its log ends at 3');
    expect(refusals.replace(/\s+/g, ' ')).toContain(
      'projector, generation (first), refuses cdp.orders.v1/1: went down &lt;from 9&gt;',
    );
  });

  it('lists the latest customer rebuilds, a failed one marked with its reason', () => {
    const page = renderOpsPage(status());
    const failed = rowOf(page, '<td>shop-a:5001</td>');
    expect(failed).toContain('class="bad"');
    expect(failed).toContain('stays without documents until a rebuild succeeds: refused');
    expect(rowOf(page, '<td>shop-a:5002</td>')).toContain('23 events applied');
  });

  it('escapes every value', () => {
    const hostile = '<script>alert("x")</script>&\'';
    const page = renderOpsPage(
      status({
        tenants: [{ ...tenant, tenantId: hostile, haravanApiBaseUrl: `https://x/"><img src=x>` }],
      }),
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(page).toContain('throttled &lt;again&gt;');
  });

  it('shows only the fields it names, never a secret a tenant record carries', () => {
    const leaky = {
      ...tenant,
      sealedAccessToken: 'SEALED-ACCESS-TOKEN',
      sealedWebhookSecret: 'SEALED-WEBHOOK-SECRET',
      verifyTokenHash: 'VERIFY-TOKEN-HASH',
    } as TenantStatus;
    const page = renderOpsPage(status({ tenants: [leaky] }));
    for (const secret of ['SEALED-ACCESS-TOKEN', 'SEALED-WEBHOOK-SECRET', 'VERIFY-TOKEN-HASH', 'sealed'])
      expect(page).not.toContain(secret);
  });

  it('is self-contained: no script and no external asset', () => {
    const page = renderOpsPage(status());
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\/(?!apis\.haravan\.com)/);
  });
});
