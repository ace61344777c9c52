/**
 * Node flags the projector and `pnpm replay` run with, wherever they are started. Node's default
 * heap limit on a large machine is ~4 GB, and V8 grows the heap lazily towards it. A fixed cap keeps
 * the process's memory predictable, and the projector keeps its own working set well below it
 * (a bounded unit of work and a bounded memory of written documents); a 1M-event rebuild peaked at
 * 663 MB RSS with it.
 */
export const PROJECTOR_NODE_FLAGS: readonly string[] = ['--max-old-space-size=512'];
