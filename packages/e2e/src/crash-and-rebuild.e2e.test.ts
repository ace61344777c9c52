import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSimShop,
  createWebhookDispatcher,
  type SimShop,
  type WebhookDispatcher,
} from '@cdp/haravan-sim';
import { generationGroupId, rebuild } from '@cdp/projector';
import { currentGeneration, projectedTopics, readModelSnapshot, type CustomerDoc } from '@cdp/read-models';
import { waitFor } from '@cdp/testing';
import { connectShop } from './connect-tenant';
import { caughtUp } from './domain-log';
import { runReplay, spawnProjectorProcess } from './projector-process';
import { startPipeline, type Pipeline } from './start-pipeline';

describe('read models survive kill -9 and rebuild identically', { timeout: 240_000 }, () => {
  let pipeline: Pipeline;
  let shop: SimShop;
  let dispatcher: WebhookDispatcher;
  let projector: ChildProcess | null = null;

  beforeAll(async () => {
    pipeline = await startPipeline({ inProcessProjector: false });
    shop = createSimShop({ seed: 2026 });
    await connectShop(pipeline, 'shop-crash', shop);
    dispatcher = createWebhookDispatcher(shop, {
      targetUrl: `${pipeline.ingestUrl}/haravan/webhook`,
      faults: { duplicateRate: 0.2, reorderRate: 0.2 },
      retry: { attempts: 5, baseMs: 100 },
    });
  }, 180_000);

  afterAll(async () => {
    projector?.kill('SIGKILL');
    await dispatcher?.close();
    await pipeline?.stop();
  });

  it('ends, after repeated SIGKILLs of the projector, with the totals of the ground truth', async () => {
    shop.generate({ customers: 25, orders: 120, products: 8 });
    const delivered = dispatcher.flush();
    for (const delayMs of [1500, 2500, 2000]) {
      projector = spawnProjectorProcess(pipeline).child;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      projector.kill('SIGKILL');
    }
    projector = spawnProjectorProcess(pipeline).child;
    await delivered;

    const truth = shop.groundTruth();
    const customers = pipeline.db.collection<CustomerDoc>('customers');
    const mismatches = async () => {
      const wrong: string[] = [];
      for (const c of truth.customers) {
        const doc = await customers.findOne({ _id: `shop-crash:${c.haravanId}` });
        if (doc?.revenueByPolicy['as-written'] !== c.revenue || doc.totalOrders !== c.totalOrders) {
          wrong.push(
            `${c.haravanId}: ${doc?.revenueByPolicy['as-written']}/${doc?.totalOrders} ≠ ${c.revenue}/${c.totalOrders}`,
          );
        }
      }
      return wrong;
    };
    await waitFor(async () => (await mismatches()).length === 0, {
      timeoutMs: 120_000,
      intervalMs: 1000,
      description: 'every customer total to equal the ground truth',
    }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${(await mismatches()).slice(0, 10).join('\n')}`);
    });
    // Totals can match before every event is in: a deleted customer without orders changes none.
    // The next test compares with what this projector leaves, so it stops only once all is applied.
    const { admin, prefix, topics } = pipeline;
    await waitFor(
      async () =>
        (await caughtUp(admin, `${prefix}decider`, topics.raw)) &&
        (
          await Promise.all(
            projectedTopics(topics).map((topic) => caughtUp(admin, generationGroupId(prefix, ''), topic)),
          )
        ).every(Boolean),
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: 'the decider and the projector to reach the log ends',
      },
    );
    // Gone, its lease given back, before the next test starts one of its own.
    const exited = once(projector, 'exit');
    projector.kill('SIGTERM');
    await exited;
  });

  it('rebuilds from offset 0 into a new generation equal to the crash-interrupted one, then switches', async () => {
    const live = await readModelSnapshot(pipeline.db, '');
    const result = await rebuild(
      { ...pipeline.generationDeps, admin: pipeline.admin },
      { switchWhenDone: true, restart: true, pollMs: 200 },
    );
    expect(result.status).toBe('switched');
    if (result.status !== 'switched') return;
    expect(await currentGeneration(pipeline.db)).toBe(result.suffix);
    expect(await readModelSnapshot(pipeline.db, result.suffix)).toEqual(live);
  });

  it('rebuilds one customer in place to the same documents, in the running projector on request', async () => {
    const suffix = await currentGeneration(pipeline.db);
    const before = await readModelSnapshot(pipeline.db, suffix);
    const buyer = shop.groundTruth().customers.find((c) => c.totalOrders > 1);
    if (!buyer) throw new Error('the generated shop needs a customer with orders');
    const live = spawnProjectorProcess(pipeline);
    projector = live.child;
    const leases = pipeline.db.collection<{ _id: string; holder: string; expiresAt: number }>(
      'projector_leases',
    );
    // This process's, not a lease an earlier projector left to run out.
    await waitFor(
      async () => {
        const lease = await leases.findOne({ _id: 'live' });
        return !!lease && lease.holder.endsWith(`:${live.child.pid}`) && lease.expiresAt > Date.now();
      },
      { timeoutMs: 60_000, description: 'the projector to take the live lease' },
    );

    const replay = await runReplay(pipeline, ['--customer', `shop-crash:${buyer.haravanId}`]);

    expect(replay, live.output()).toMatchObject({ code: 0 });
    expect(replay.stderr).toMatch(/the live projector \(.+\) rebuilds the customer/);
    const applied = Number(/from (\d+) events/.exec(replay.stdout)?.[1]);
    expect(applied).toBeGreaterThan(buyer.totalOrders);
    expect(await readModelSnapshot(pipeline.db, suffix)).toEqual(before);
    projector.kill('SIGTERM');
  });
});
