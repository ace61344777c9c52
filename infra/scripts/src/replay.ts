import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECTOR_NODE_FLAGS } from '@cdp/projector/node-flags';
import { parseReplayArgs } from '@cdp/projector/replay-config';
import { infraEnv } from './local-env';

/**
 * `pnpm replay`: the replay CLI against the infrastructure `pnpm start` uses: the local one on its
 * `INFRA_*` ports, or the endpoints set in the environment. Run bare, the CLI would take the default
 * ports, another copy's on a machine running two.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
// Its usage first: a mistyped option starts no infrastructure.
try {
  parseReplayArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
let env: NodeJS.ProcessEnv;
try {
  env = { ...process.env, ...infraEnv(repoRoot) };
} catch (error) {
  console.error(`[replay] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const child = spawn(
  process.execPath,
  [
    ...PROJECTOR_NODE_FLAGS,
    '--import',
    import.meta.resolve('tsx'),
    join(repoRoot, 'services/projector/src/replay-cli.ts'),
    ...process.argv.slice(2),
  ],
  { env, stdio: 'inherit' },
);
// Ctrl-C reaches the CLI from the terminal too: it pauses the rebuild, and this waits for it.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
