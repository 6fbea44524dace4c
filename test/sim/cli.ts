/**
 * `npm run test:sim -- [--seeds N] [--from S] [--seed S] [--ops N] [--trace] [--keep-going] [--no-bot]`: runs
 * the model check over many seeds (default 1,000 from seed 1), or replays one with its full trace.
 * Prints ops per seed and the failures grouped by kind; exits 1 when any seed failed.
 * `--keep-going` checks every cycle of a seed instead of stopping at the first failing one (a
 * survey of everything a code base gets wrong). `--no-bot` leaves out the bot's updates (a third source in two seeds of three).
 */
import { runSeed, type SeedResult } from './run-seed.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const one = arg('seed');
const from = Number(arg('from') ?? 1);
const count = one !== undefined ? 1 : Number(arg('seeds') ?? 1000);
const ops = arg('ops') !== undefined ? Number(arg('ops')) : undefined;
const first = one !== undefined ? Number(one) : from;
const showTrace = process.argv.includes('--trace') || one !== undefined;
const keepGoing = process.argv.includes('--keep-going');
const bot = !process.argv.includes('--no-bot');

const failures: SeedResult[] = [];
const byKind = new Map<string, number[]>();
let totalOps = 0;
let totalCycles = 0;
let totalCalls = 0;
let totalKills = 0;
let totalFloods = 0;
const started = Date.now();

for (let seed = first; seed < first + count; seed++) {
  const res = await runSeed(seed, { ...(ops !== undefined ? { ops } : {}), keepGoing, bot });
  totalOps += res.ops;
  totalCycles += res.cycles;
  totalCalls += res.calls;
  totalKills += res.kills;
  totalFloods += res.floods;
  if (res.violations.length > 0) {
    failures.push(res);
    for (const kind of new Set(res.violations.map((v) => v.kind))) byKind.set(kind, [...(byKind.get(kind) ?? []), seed]);
    console.log(`seed ${seed}: FAILED after ${res.ops} ops, ${res.cycles} cycles — ${res.violations[0]!.kind}: ${res.violations[0]!.detail}`);
    if (showTrace) console.log(`${res.trace.join('\n')}\n${res.violations.map((v) => `  ${v.kind}: ${v.detail}`).join('\n')}`);
  } else if (showTrace) {
    console.log(res.trace.join('\n'));
  }
  if ((seed - first + 1) % 100 === 0) console.log(`… ${seed - first + 1} seeds, ${failures.length} failed (${Math.round((Date.now() - started) / 1000)} s)`);
}

const n = count;
console.log(`${n} seeds (${first}..${first + n - 1}): ${n - failures.length} passed, ${failures.length} failed in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`operations per seed ${(totalOps / n).toFixed(1)}, cycles per seed ${(totalCycles / n).toFixed(1)}, calls per seed ${(totalCalls / n).toFixed(1)}, ` +
  `SIGKILLs ${totalKills}, flood waits ${totalFloods}`);
for (const [kind, seeds] of [...byKind].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`  ${kind}: ${seeds.length} seeds (first ${seeds.slice(0, 8).join(', ')})`);
}
process.exit(failures.length > 0 ? 1 : 0);
