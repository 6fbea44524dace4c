/**
 * Account-wide state of the sync that must outlive a restart: flood holds (a FLOOD_WAIT binds the
 * account and the method until it expires: telegram-semantics.md, Churn) and small named positions
 * (the round-robin start of the next cycle).
 */
import type { Database as Db } from 'better-sqlite3';
import { num, str, type RawRow } from './row.js';

export interface FloodHold {
  method: string;
  until: number;
  code: string;
}

export interface SyncStateRepo {
  /** Holds `method` until `until` (unix seconds); a longer hold already recorded wins. */
  hold(method: string, until: number, code: string): void;
  /** Holds still in force at `now`. */
  holds(now: number): FloodHold[];
  position(name: string): string | undefined;
  setPosition(name: string, value: string): void;
}

export function createSyncStateRepo(db: Db): SyncStateRepo {
  const hold = db.prepare(`
    INSERT INTO flood_holds (method, until, code) VALUES (?, ?, ?)
    ON CONFLICT (method) DO UPDATE SET until = max(until, excluded.until),
      code = CASE WHEN excluded.until > until THEN excluded.code ELSE code END`);
  const holds = db.prepare('SELECT method, until, code FROM flood_holds WHERE until > ? ORDER BY method');
  const expired = db.prepare('DELETE FROM flood_holds WHERE until <= ?');
  const get = db.prepare('SELECT value FROM sync_state WHERE name = ?').pluck();
  const set = db.prepare('INSERT INTO sync_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  return {
    hold: (method, until, code) => void hold.run(method, until, code),
    holds(now) {
      expired.run(now);
      return (holds.all(now) as RawRow[]).map((r) => ({ method: str(r.method), until: num(r.until), code: str(r.code) }));
    },
    position: (name) => (get.get(name) as string | undefined) ?? undefined,
    setPosition: (name, value) => void set.run(name, value),
  };
}
