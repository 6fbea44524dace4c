/**
 * The 1,000,000-join store of the benchmarks: the generator's BENCH_PARAMS world written into a
 * SQLite file through the store API (what the sync would write), built once per FILE and reused by
 * later runs when it exists (the generator is deterministic, so store and world agree).
 */
import { existsSync } from 'node:fs';
import { BENCH_PARAMS, generateWorld } from '../../src/sandbox/generate-scenario.js';
import { openStore, type Store } from '../../src/store/index.js';
import { fillStoreFromWorld } from '../../test/e2e/bot-harness.js';

export function openBenchStore(file: string, joins = BENCH_PARAMS.joins ?? 1_000_000, log: (line: string) => void = console.log): Store {
  if (existsSync(file)) {
    log(`reusing the store ${file}`);
    return openStore(file);
  }
  const t = performance.now();
  const store = openStore(file);
  fillStoreFromWorld(store, generateWorld({ ...BENCH_PARAMS, joins }), Math.floor(Date.now() / 1000));
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  log(`built the store in ${((performance.now() - t) / 1000).toFixed(1)} s: ${file}`);
  return store;
}
