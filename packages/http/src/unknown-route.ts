import type { Request, Response } from 'express';
import type { ErrorView } from './error-view';

/** The part of Express 5's router layers (package `router` 2) read here; its test holds it. */
interface RouterLayer {
  route?: { methods: Record<string, boolean | undefined> };
  handle: { stack?: RouterLayer[] };
  /** The part of `path` it matched, or false. */
  match(path: string): { path: string } | false;
}

const matchOf = (layer: RouterLayer, path: string) => {
  try {
    return layer.match(path);
  } catch {
    // A parameter that is not valid percent-encoding: routing already answered it.
    return false;
  }
};

/** The methods some route of `stack` answers at `path`, mounted routers included. */
function methodsAt(stack: readonly RouterLayer[], path: string, into: Set<string>): Set<string> {
  for (const layer of stack) {
    const matched = matchOf(layer, path);
    if (!matched) continue;
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') into.add(method.toUpperCase());
      }
    } else if (layer.handle.stack) {
      methodsAt(layer.handle.stack, path.slice(matched.path.length) || '/', into);
    }
  }
  // Express answers HEAD with the GET route.
  if (into.has('GET')) into.add('HEAD');
  return into;
}

/**
 * The end of every app's chain: a path some route serves with other methods answers 405 with
 * `Allow` (Express keeps no index of them, so its router is walked), or to OPTIONS 204 with it; any
 * other path a 404. Errors in the same JSON shape as every other, not express's HTML page.
 */
export function unknownRoute(req: Request, res: Response) {
  const stack = (req.app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  const allowed = [...methodsAt(stack, req.path, new Set())].sort();
  // A route that passed the request on (none does) is not "another method": that is a 404.
  if (allowed.length > 0 && !allowed.includes(req.method)) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    if (req.method === 'OPTIONS') {
      res.status(204).set('Allow', allow).end();
      return;
    }
    res
      .status(405)
      .set('Allow', allow)
      .json({
        error: {
          code: 'ERR_METHOD_NOT_ALLOWED',
          message: `${req.method} is not served at ${req.path}; it answers ${allow}`,
        },
      } satisfies ErrorView);
    return;
  }
  res.status(404).json({
    error: { code: 'ERR_NOT_FOUND', message: `no route ${req.method} ${req.path}` },
  } satisfies ErrorView);
}
