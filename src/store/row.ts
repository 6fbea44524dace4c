/**
 * The connection reads every INTEGER as bigint (safeIntegers), so ids never lose precision.
 * These narrow the columns that are counts or unix dates to number, checking they fit.
 */
export type RawRow = Record<string, unknown>;

export function id(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`expected an integer id, got ${typeof value}`);
}

export function optId(value: unknown): bigint | null {
  return value === null || value === undefined ? null : id(value);
}

export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`count or date out of range: ${value}`);
    return n;
  }
  throw new TypeError(`expected a number, got ${typeof value}`);
}

export function optNum(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

export function bool(value: unknown): boolean {
  return num(value) !== 0;
}

export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new TypeError(`expected text, got ${typeof value}`);
}

export function optStr(value: unknown): string | null {
  return value === null || value === undefined ? null : str(value);
}

/** Unix seconds now; every write takes an optional `now` so tests and replays are deterministic. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
