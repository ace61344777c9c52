/**
 * Node flags the projector and `pnpm replay` run with, wherever they are started. Node's default
 * heap limit on a large machine is ~4 GB and V8 grows the heap lazily towards it: over a 1M-event
 * rebuild RSS kept rising although the heap still in use after a GC stayed under ~200 MB. A cap
 * well above that makes V8 collect instead of growing.
 */
export const PROJECTOR_NODE_FLAGS: readonly string[] = ['--max-old-space-size=512'];
