import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECTOR_NODE_FLAGS } from '@cdp/projector/node-flags';
import { infraEnv } from '@cdp/testing';
import { PIPELINE_PARTITIONS, type Pipeline } from './start-pipeline';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

const projectorEnv = (pipeline: Pipeline) => ({
  ...process.env,
  ...infraEnv(pipeline.infra),
  MONGODB_DB: pipeline.dbName,
  TOPIC_PREFIX: pipeline.prefix,
  TOPIC_PARTITIONS: String(PIPELINE_PARTITIONS),
  LOG_LEVEL: 'error',
});

export interface ProjectorProcess {
  child: ChildProcess;
  /** Its log (warnings and errors) and stderr, the last 8 KB, for failure messages. */
  output: () => string;
  /** Its pid and how it ended, or that it runs. */
  status: () => string;
}

/**
 * The projector service as a real process on the pipeline's topics and database, so a test can
 * SIGKILL it mid-write.
 */
export function spawnProjectorProcess(pipeline: Pipeline): ProjectorProcess {
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a child process,
  // so a SIGKILL would kill only the CLI and leave the projector running.
  const child = spawn(
    process.execPath,
    [...PROJECTOR_NODE_FLAGS, '--import', 'tsx', join(repoRoot, 'services/projector/src/main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...projectorEnv(pipeline),
        ADMIN_TOKEN: randomBytes(16).toString('hex'),
        PROJECTOR_PORT: '0',
        // A restarted projector takes over from the one killed with -9 after this long.
        PROJECTOR_LEASE_TTL_MS: '2000',
        // ... and consumes once Kafka has dropped the killed one's member from the group.
        PROJECTOR_SESSION_TIMEOUT_MS: '10000',
        PROJECTOR_REBALANCE_TIMEOUT_MS: '15000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-8192);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  return {
    child,
    output: () => output,
    status: () => {
      const ended = child.signalCode ?? child.exitCode;
      return `pid ${child.pid ?? '?'} ${ended === null ? 'running' : `ended (${ended})`}`;
    },
  };
}

/** `pnpm replay <args>` on the pipeline's topics and database, run to its exit. */
export function runReplay(
  pipeline: Pipeline,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      ...PROJECTOR_NODE_FLAGS,
      '--import',
      'tsx',
      join(repoRoot, 'services/projector/src/replay-cli.ts'),
      ...args,
    ],
    { cwd: repoRoot, env: projectorEnv(pipeline), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
