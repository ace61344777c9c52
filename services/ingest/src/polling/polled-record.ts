import type { Logger } from '@cdp/logging';
import { MAX_WEBHOOK_BODY_BYTES } from '../webhook/body-limit';
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

/**
 * Whether the raw topic takes the record: one it would refuse on every try is logged and left out,
 * so the walk or sweep that listed it goes on past it (this change of it is not synced).
 */
export function fitsRawTopic(record: RawRecord, log: Logger): boolean {
  if (record.body.length <= MAX_WEBHOOK_BODY_BYTES) return true;
  log.error(
    { code: 'ERR_INGEST_RECORD_TOO_LARGE', key: record.key, bytes: record.body.length },
    `listed record larger than a raw record may be (${MAX_WEBHOOK_BODY_BYTES} bytes) skipped: this change of it is not synced`,
  );
  return false;
}
