import type { Database as Db } from 'better-sqlite3';

/** Trigram FTS needs at least 3 characters; shorter needles are matched by a plain scan. */
const TRIGRAM = 3;
/** Longer input is not a name or bio anyone typed: cut it instead of building a huge FTS phrase. */
const MAX_QUERY_CHARS = 256;

export type SearchPlan =
  | { kind: 'none' }
  | { kind: 'fts'; fts: string } // an FTS5 string literal: matched as one literal substring
  | { kind: 'like'; like: string } // a LIKE pattern, for short ASCII needles (SQLite folds ASCII case itself)
  | { kind: 'scan'; needle: string }; // case-folded, for instr(jw_fold(text), needle)

/**
 * Turns what a person typed into a search plan. The text is never parsed as FTS syntax:
 * it becomes one double-quoted FTS string (inner quotes doubled), so `"a" OR b*` and
 * `'; DROP TABLE` are searched for literally (and all SQL takes it as a bound parameter anyway).
 */
export function planSearch(query: string | null | undefined): SearchPlan {
  // NUL never belongs to a name, and FTS5 would take it for the end of the query string.
  const text = [...(query ?? '').replaceAll('\u0000', '').trim()].slice(0, MAX_QUERY_CHARS).join('');
  // "@ann" means the username "ann"; a lone '@' inside other text stays literal.
  const needle = /^@\w+$/.test(text) ? text.slice(1) : text;
  if (needle.length === 0) return { kind: 'none' };
  if ([...needle].length < TRIGRAM) {
    // Too short for trigrams: a scan. SQLite's LIKE is native and case-insensitive for ASCII, about
    // twice as fast as calling back into JavaScript; other scripts need jw_fold's Unicode folding.
    if (/^[\x20-\x7e]+$/.test(needle)) return { kind: 'like', like: `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
    return { kind: 'scan', needle: fold(needle) };
  }
  return { kind: 'fts', fts: `"${needle.replaceAll('"', '""')}"` };
}

/** Case folding for the short-needle scan; SQLite's own lower() folds ASCII only. */
export function fold(text: string): string {
  return text.toLowerCase();
}

/** Registers jw_fold() on a connection (the scan path of searches uses it). */
export function registerSearchFunctions(db: Db): void {
  db.function('jw_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? fold(value) : null,
  );
}
