/** A tenant's view of the read API, for tests: GET with the key, and every page of a list. */
export function readApiClient(baseUrl: string, apiKey: string) {
  const get = async <T>(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> => {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { ...headers, authorization: `Bearer ${apiKey}` },
    });
    return { status: res.status, body: (await res.json()) as T, headers: res.headers };
  };
  return {
    get,
    async all<T>(path: string): Promise<T[]> {
      const items: T[] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page: { status: number; body: { items: T[]; nextCursor: string | null } } = await get<{
          items: T[];
          nextCursor: string | null;
        }>(`${path}${cursor ? `${sep}cursor=${cursor}` : ''}`);
        if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return items;
    },
  };
}
export type ReadApiClient = ReturnType<typeof readApiClient>;
