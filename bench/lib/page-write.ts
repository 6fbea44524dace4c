/**
 * The store's page write against a bare better-sqlite3 insert of the same rows, measured one way
 * for every benchmark that reports it (store-write, sync-backfill).
 *
 * - store: the sync's real page write, `writeMembers`: users upsert, stays recorded (one row per
 *   person, link and date, a person open once per chat), the page's key range checked for people who
 *   left, one outbox event per page, the walk's cursor, in one transaction per 100-row page, on the
 *   real schema.
 * - bare: the same users and joins rows inserted into two plain tables (no keys beyond the user id,
 *   no indexes), one transaction per page, with better-sqlite3's defaults plus the store's durability
 *   (WAL, synchronous NORMAL). The target is measured against this one.
 * - tuned bare: the same, also with the store's cache and checkpoint settings, to show what the
 *   schema (indexes, constraints, outbox) costs apart from the tuning.
 * The two are interleaved page by page, so machine noise hits both alike; each round uses fresh files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import type { SyncContext } from '../../src/sync/context.js';
import { rangeOf, writeMembers } from '../../src/sync/member-pages.js';
import type { ImporterPage } from '../../src/sync/types.js';

const CHAT = -1001700000001n;
const LINK = 'https://t.me/+WriteBench0001';
const PAGE = 100;
const NOW = 1_767_225_600;

export interface PageWriteRound {
  storeRowsPerSecond: number;
  bareRowsPerSecond: number;
  storeMicrosPerRow: number;
  bareMicrosPerRow: number;
  /** Store cost per row over bare cost per row. */
  ratio: number;
  tunedBareMicrosPerRow: number;
  /** Store cost per row over the tuned bare insert's. */
  tunedRatio: number;
}

/** Realistic pages: 64-bit ids, three joins a second (ties), non-ASCII names, half with usernames. */
function makePage(offset: number, round: number): ImporterPage {
  const page: ImporterPage = { count: 0, rows: [], users: [] };
  const names = ['Анна', 'Ivan', 'Joanna', 'Mohammed', '李', 'Zoë 😀'];
  for (let i = offset; i < offset + PAGE; i++) {
    // Ids spread like Telegram's (not sequential), above 2^53.
    const id = 9_007_199_254_740_993n + BigInt(round) * 10_000_000_000n + BigInt((i * 7919) % 1_000_003) * 1000n + BigInt(i % 1000);
    page.rows.push({ userId: id, date: NOW - Math.floor(i / 3), requested: false, viaChatlist: false });
    page.users.push({ id, accessHash: -4611686018427387904n + BigInt(i), firstName: `${names[i % names.length]} ${i}`, lastName: i % 3 ? '' : 'Lee', username: i % 2 ? undefined : `u${i}_${round}` });
  }
  return page;
}

function bareWriter(file: string, tuned: boolean): { write: (p: ImporterPage) => void; close: () => void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  if (tuned) {
    db.pragma('cache_size = -32768');
    db.pragma('wal_autocheckpoint = 20000');
  }
  db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, access_hash INTEGER, username TEXT, first_name TEXT, last_name TEXT);
           CREATE TABLE joins (link TEXT, user_id INTEGER, date INTEGER, approved_by INTEGER, via_chatlist INTEGER)`);
  db.defaultSafeIntegers(true);
  const user = db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?)');
  const join = db.prepare('INSERT INTO joins VALUES (?, ?, ?, ?, ?)');
  const write = db.transaction((p: ImporterPage) => {
    for (let i = 0; i < p.rows.length; i++) {
      const u = p.users[i]!;
      const r = p.rows[i]!;
      user.run(u.id, u.accessHash, u.username ?? null, u.firstName, u.lastName ?? '');
      join.run(LINK, r.userId, r.date, null, 0);
    }
  });
  return { write, close: () => db.close() };
}

function storeWriter(file: string, rows: number): { write: (p: ImporterPage) => void; close: () => void } {
  const store = openStore(file);
  store.chats.upsert({ id: CHAT, title: 'bench', type: 'supergroup', isOwner: true });
  store.links.upsert(CHAT, { link: LINK, adminId: 1n, date: 1, usage: rows });
  const ctx = { store, now: () => NOW } as SyncContext;
  let after: { date: number; userId: bigint; accessHash: bigint } | null = null;
  const write = (p: ImporterPage) => {
    const last = p.rows.at(-1)!;
    const cursor = { date: last.date, userId: last.userId, accessHash: p.users.at(-1)!.accessHash };
    const page = { rows: p.rows, count: rows, next: cursor, advanced: p.rows.length, calledAt: NOW, users: p.users };
    const walk = { kind: 'news' as const, startedAt: NOW, usage: rows, top: null, floor: null, cursor, seen: 0, total: rows };
    writeMembers(ctx, CHAT, LINK, page, { range: rangeOf(after, page, false), backfill: true, state: () => store.walks.put(CHAT, LINK, walk) });
    after = cursor;
  };
  const close = () => {
    const stored = store.joins.countByLink(CHAT, LINK);
    store.close();
    if (stored !== rows) throw new Error(`the store kept ${stored} of ${rows} rows`);
  };
  return { write, close };
}

export function measurePageWrite(rows: number, round = 0): PageWriteRound {
  if (!Number.isInteger(rows) || rows < PAGE) throw new RangeError(`rows must be a whole number of at least ${PAGE}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-page-write-'));
  try {
    const store = storeWriter(path.join(dir, 'store.db'), Math.floor(rows / PAGE) * PAGE);
    const bare = bareWriter(path.join(dir, 'bare.db'), false);
    const tuned = bareWriter(path.join(dir, 'tuned.db'), true);
    let storeNs = 0n;
    let bareNs = 0n;
    let tunedNs = 0n;
    for (let offset = 0; offset + PAGE <= rows; offset += PAGE) {
      const page = makePage(offset, round);
      const t0 = process.hrtime.bigint();
      bare.write(page);
      const t1 = process.hrtime.bigint();
      store.write(page);
      const t2 = process.hrtime.bigint();
      tuned.write(page);
      const t3 = process.hrtime.bigint();
      bareNs += t1 - t0;
      storeNs += t2 - t1;
      tunedNs += t3 - t2;
    }
    store.close();
    bare.close();
    tuned.close();
    const written = Math.floor(rows / PAGE) * PAGE;
    const storeMicrosPerRow = Number(storeNs) / written / 1000;
    const bareMicrosPerRow = Number(bareNs) / written / 1000;
    const tunedBareMicrosPerRow = Number(tunedNs) / written / 1000;
    return {
      storeRowsPerSecond: 1e6 / storeMicrosPerRow,
      bareRowsPerSecond: 1e6 / bareMicrosPerRow,
      storeMicrosPerRow,
      bareMicrosPerRow,
      ratio: storeMicrosPerRow / bareMicrosPerRow,
      tunedBareMicrosPerRow,
      tunedRatio: storeMicrosPerRow / tunedBareMicrosPerRow,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Several rounds on fresh files; the median round by ratio (one round is at the mercy of checkpoints). */
export function medianPageWrite(rows: number, rounds = 3, onRound?: (r: PageWriteRound, i: number) => void): PageWriteRound {
  const results: PageWriteRound[] = [];
  for (let i = 0; i < rounds; i++) {
    const r = measurePageWrite(rows, i);
    onRound?.(r, i);
    results.push(r);
  }
  return results.sort((a, b) => a.ratio - b.ratio)[Math.floor(results.length / 2)]!;
}

export const PAGE_WRITE_DESCRIPTION =
  'store = the sync\'s page write (users upsert + stays recorded + the page range checked for leaves + one outbox event + walk cursor, one transaction per 100-row page, real schema); ' +
  'bare = the same users and joins rows into plain tables, same pages, better-sqlite3 defaults + WAL/synchronous NORMAL; ' +
  'tuned bare = bare with the store\'s cache and checkpoint settings';
