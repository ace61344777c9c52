import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECTOR_NODE_FLAGS } from './node-flags';

const here = dirname(fileURLToPath(import.meta.url));
const read = (path: string) => readFileSync(join(here, path), 'utf8');
const scripts = (path: string) => (JSON.parse(read(path)) as { scripts: Record<string, string> }).scripts;

// package.json and compose files cannot import the constant (`pnpm start` and `pnpm replay` do);
// this keeps them from drifting.
describe('the projector node flags', () => {
  it.each([
    ['the projector start script', () => scripts('../package.json').start],
    [
      'the docker-compose projector',
      () => /projector:[\s\S]*?command: (\[.*\])/.exec(read('../../../docker-compose.yml'))?.[1],
    ],
  ])('are passed by %s', (_where, command) => {
    for (const flag of PROJECTOR_NODE_FLAGS) expect(command()).toContain(flag);
  });
});
