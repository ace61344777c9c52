import { z } from 'zod';
import { commonEnv, loadConfig } from '@cdp/config';
import { writerEnv } from './config';

export const replayConfigSchema = z.object({ ...commonEnv, ...writerEnv });

export const loadReplayConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(replayConfigSchema, env);

export const replayArgsSchema = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('rebuild'),
      from: z.iso.datetime({ offset: true }).optional(),
      switch: z.boolean(),
      restart: z.boolean(),
    })
    // A generation built from a time lacks everything before it: serving it would drop that history.
    .refine((args) => args.from === undefined || !args.switch, {
      message: '--from builds a partial generation, which must not be served: add --no-switch',
      path: ['from'],
    }),
  z.object({ mode: z.literal('cancel') }),
  z.object({
    mode: z.literal('customer'),
    tenantId: z.string().min(1),
    // A receiver (R12) has no events of its own: its contact is made from the orders shipped to it.
    customerId: z
      .string()
      .regex(
        /^[1-9]\d*$/,
        'a Haravan customer id; a receiver (receiver:…) is rebuilt by a full rebuild only',
      ),
  }),
]);
export type ReplayArgs = z.infer<typeof replayArgsSchema>;

export const REPLAY_USAGE = `usage: pnpm replay [--from <ISO time>] [--no-switch] [--restart]
       pnpm replay --cancel
       pnpm replay --customer <tenantId>:<customerId>`;

/** Parses argv; throws with the usage text on anything unexpected. */
export function parseReplayArgs(argv: string[]): ReplayArgs {
  const args = argv.filter((a) => a !== '--');
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const known = new Set(['--from', '--no-switch', '--restart', '--cancel', '--customer']);
  const unknown = args.filter(
    (a, i) => a.startsWith('--') && !known.has(a) && !['--from', '--customer'].includes(args[i - 1] ?? ''),
  );
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')}\n${REPLAY_USAGE}`);
  let candidate: unknown;
  if (args.includes('--cancel')) candidate = { mode: 'cancel' };
  else if (args.includes('--customer')) {
    const [tenantId, ...rest] = (value('--customer') ?? '').split(':');
    candidate = { mode: 'customer', tenantId, customerId: rest.join(':') };
  } else {
    candidate = {
      mode: 'rebuild',
      from: value('--from'),
      switch: !args.includes('--no-switch'),
      restart: args.includes('--restart'),
    };
  }
  const parsed = replayArgsSchema.safeParse(candidate);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n${REPLAY_USAGE}`);
  return parsed.data;
}
