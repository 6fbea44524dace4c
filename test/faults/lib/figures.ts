/**
 * The fault suite's figures, gathered by each part and printed as one table at the end (the
 * issue's closing note asks for them): counts as "good / tried", and each fault case's outcome.
 */
export interface Figures {
  seed: number;
  profile: string;
  startedAt: number;
  kills: { tried: number; survived: number };
  rows: { lost: number; doubled: number; extra: number; compared: number };
  notifications: { sent: number; lost: number; doubled: number; resentInFlight: number; doubledBeyondDedupe: number };
  buttons: { tried: number; working: number };
  hostile: { sent: number; answered: number; errorsLogged: number; acted: number };
  access: { tried: number; refused: number; allowedAsExpected: number; allowedTried: number };
  secrets: { scannedBytes: number; found: number; where: string[] };
  cases: { name: string; outcome: string; ok: boolean }[];
}

export function newFigures(seed: number, profile: string): Figures {
  return {
    seed,
    profile,
    startedAt: Date.now(),
    kills: { tried: 0, survived: 0 },
    rows: { lost: 0, doubled: 0, extra: 0, compared: 0 },
    notifications: { sent: 0, lost: 0, doubled: 0, resentInFlight: 0, doubledBeyondDedupe: 0 },
    buttons: { tried: 0, working: 0 },
    hostile: { sent: 0, answered: 0, errorsLogged: 0, acted: 0 },
    access: { tried: 0, refused: 0, allowedAsExpected: 0, allowedTried: 0 },
    secrets: { scannedBytes: 0, found: 0, where: [] },
    cases: [],
  };
}

export function figuresTable(f: Figures): string {
  const seconds = Math.round((Date.now() - f.startedAt) / 1000);
  const n = f.notifications;
  const rows: [string, string][] = [
    ['kills survived / tried', `${f.kills.survived} / ${f.kills.tried}`],
    ['rows lost / doubled (extra) of rows compared', `${f.rows.lost} / ${f.rows.doubled} (${f.rows.extra}) of ${f.rows.compared}`],
    ['notifications lost / doubled beyond the dedupe key', `${n.lost} / ${n.doubledBeyondDedupe} (of ${n.sent} sent; ${n.doubled} repeats in all, ${n.resentInFlight} of them parts whose send was in flight at a kill)`],
    ['buttons working after restart / tried', `${f.buttons.working} / ${f.buttons.tried}`],
    ['hostile inputs answered / sent', `${f.hostile.answered} / ${f.hostile.sent} (errors logged: ${f.hostile.errorsLogged}, acted: ${f.hostile.acted})`],
    ['access attempts refused / tried', `${f.access.refused} / ${f.access.tried} (allowed as expected: ${f.access.allowedAsExpected} / ${f.access.allowedTried})`],
    ['secrets found in logs', `${f.secrets.found} (${(f.secrets.scannedBytes / 1024).toFixed(0)} kB scanned)${f.secrets.where.length ? `: ${f.secrets.where.join(', ')}` : ''}`],
    ...f.cases.map((c): [string, string] => [`fault: ${c.name}`, `${c.ok ? 'ok' : 'FAILED'}: ${c.outcome}`]),
    ['suite run time', `${Math.floor(seconds / 60)} min ${seconds % 60} s (profile ${f.profile}, seed ${f.seed})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    '',
    `| ${'figure'.padEnd(width)} | value |`,
    `| ${'-'.repeat(width)} | ----- |`,
    ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.replace(/\|/g, '/')} |`),
    '',
  ].join('\n');
}

/** Runs one part of the suite; a failure names the seed that replays it. */
export async function withSeed<T>(seed: number, part: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error) error.message = `[fault suite, ${part}, seed ${seed}: replay with FAULT_SEED=${seed} npm run test:faults] ${error.message}`;
    throw error;
  }
}
