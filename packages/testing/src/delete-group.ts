import type { Admin, Kafka } from 'kafkajs';

/** Removes a test's throwaway consumer group once its consumer is gone: the broker keeps it otherwise. */
export async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

/** The consumer groups named under a test's prefix. */
export async function groupsUnder(admin: Admin, prefix: string): Promise<string[]> {
  const { groups } = await admin.listGroups();
  return groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
}

/** Removes the consumer groups named under a test's prefix (a group with live members stays). */
export async function deleteGroupsUnder(admin: Admin, prefix: string): Promise<void> {
  const ours = await groupsUnder(admin, prefix).catch((): string[] => []);
  if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
}
