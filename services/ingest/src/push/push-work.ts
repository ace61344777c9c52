import type { CommandStore } from '@cdp/commands';
import { sleep, within } from '../polling/sleep';

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
  let looking: Promise<string[] | undefined> | null = null;
  return {
    mayHave: (tenantId) => withWork === null || withWork.has(tenantId),
    async run() {
      while (!signal.aborted) {
        // One look at a time; one the store holds up past a round answers nothing meanwhile, and
        // the senders look for themselves.
        looking ??= Promise.resolve()
          .then(() => commands.tenantsWithWork())
          .catch(() => undefined)
          .finally(() => {
            looking = null;
          });
        const tenantIds = await within(looking, intervalMs, signal);
        withWork = tenantIds === undefined ? null : new Set(tenantIds);
        await sleep(intervalMs, signal);
      }
    },
  };
}
