/**
 * Waits until `check()` holds, polling every 10 ms; throws after `ms`. Returns how long it took,
 * so a test can report the latency it asserted a bound on.
 */
export async function until(check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}
