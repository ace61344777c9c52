import type { Kafka } from 'kafkajs';

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
