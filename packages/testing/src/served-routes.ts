interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Every `method path` an Express app would serve, through nested routers (Express path syntax). */
export function servedRoutes(app: object): string[] {
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => `${m} ${layer.route?.path}`)
        : walk(layer.handle?.stack ?? []),
    );
  return walk((app as { router: { stack: Layer[] } }).router.stack);
}
