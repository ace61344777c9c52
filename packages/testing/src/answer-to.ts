/** A request's status, `Allow` header and JSON body: what tests of error answers compare. */
export async function answerTo(url: string, method: string, authorization?: string) {
  const res = await fetch(url, { method, headers: authorization ? { authorization } : {} });
  return { status: res.status, allow: res.headers.get('allow'), body: await res.json() };
}
