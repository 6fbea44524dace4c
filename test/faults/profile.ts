/**
 * How big a fault-suite run is. `full` is what the issue asks for (npm run test:faults, and CI);
 * `smoke` runs every part small, to try the suite itself quickly (FAULT_PROFILE=smoke).
 */
export interface Profile {
  name: string;
  /** SIGKILLs per topology (one process, split). */
  kills: number;
  hostile: number;
}

export const PROFILES: Record<string, Profile> = {
  full: { name: 'full', kills: 30, hostile: 10_000 },
  smoke: { name: 'smoke', kills: 2, hostile: 300 },
};

/** FAULT_PROFILE (full | smoke), with FAULT_KILLS and FAULT_HOSTILE overriding its numbers. */
export function profile(): Profile {
  const name = process.env.FAULT_PROFILE ?? 'full';
  const p = PROFILES[name];
  if (!p) throw new Error(`FAULT_PROFILE must be one of ${Object.keys(PROFILES).join(', ')}, got ${name}`);
  const kills = count('FAULT_KILLS');
  const hostile = count('FAULT_HOSTILE');
  return { ...p, ...(kills !== undefined ? { kills } : {}), ...(hostile !== undefined ? { hostile } : {}) };
}

function count(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${text}`);
  return n;
}

export function seed(): number {
  const given = process.env.FAULT_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n)) throw new Error(`FAULT_SEED must be an integer, got ${given}`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
