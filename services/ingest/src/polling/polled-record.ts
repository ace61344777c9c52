import type { Tenant } from '../tenants/tenant-store';
import type { RawRecord } from '../webhook/raw-record';
import type { ResourceSpec } from './resources';

/** A record the shop's API answered, as the raw log keeps it: under its aggregate's key and topic. */
export const polledRecord = (
  tenant: Tenant,
  spec: ResourceSpec,
  id: string,
  record: unknown,
  source: 'poll' | 'sweep',
  receivedAt: string,
): RawRecord => ({
  key: `${tenant.tenantId}:${spec.singular}:${id}`,
  body: Buffer.from(JSON.stringify(record)),
  tenantId: tenant.tenantId,
  haravanTopic: spec.haravanTopic,
  orgId: tenant.haravanOrgId,
  source,
  receivedAt,
});
