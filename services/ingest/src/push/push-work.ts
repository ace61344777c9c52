import type { CommandStore } from '@cdp/commands';
import { sleep } from '../polling/sleep';

export interface PushWork {
  /** Whether the tenant may have push commands to send or settle: false only when the last look found none. */
  mayHave(tenantId: string): boolean;
  /** Looks every `intervalMs` until `signal` aborts; never rejects. */
  run(): Promise<void>;
}

/**
 * Which tenants have push commands waiting or in flight, read once a round for every shop an
 * instance sends for: each shop's sender would otherwise read the store twice a round, work or
 * not. Before the first look, and after a look fails, every sender looks for itself.
 */
export function createPushWork(
  commands: Pick<CommandStore, 'tenantsWithWork'>,
  intervalMs: number,
  signal: AbortSignal,
): PushWork {
  let withWork: ReadonlySet<string> | null = null;
  return {
    mayHave: (tenantId) => withWork === null || withWork.has(tenantId),
    async run() {
      while (!signal.aborted) {
        withWork = await commands.tenantsWithWork().then(
          (tenantIds) => new Set(tenantIds),
          () => null,
        );
        await sleep(intervalMs, signal);
      }
    },
  };
}
