// The tests' and benchmarks' way to ask a running stack's /api/sql, kept
// free of heavy imports so a benchmark's load process can use it.

/** POST /api/sql of a running stack; rejects on anything but rows. */
export const apiSql =
  (url: string, token: string) =>
  async <T = Record<string, unknown>>(query: string): Promise<T[]> => {
    const response = await fetch(`${url}/api/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ sql: query }),
    });
    const body = (await response.json()) as { rows?: T[]; error?: string };
    if (!response.ok || !body.rows) throw new Error(`/api/sql ${response.status}: ${body.error ?? 'no rows'}`);
    return body.rows;
  };
