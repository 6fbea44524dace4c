/**
 * The store's page write (users upsert + joins insert + one outbox event per new join, one
 * transaction per 100-row page) against a bare better-sqlite3 insert of the same rows into plain
 * tables in the same run, both on a file in WAL mode with synchronous=NORMAL.
 * Run: npx tsx bench/store-write.ts [rows]   (target: store at most 2x the bare cost per row)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore, type UserInput } from '../src/store/index.js';

const ROWS = Number(process.argv[2] ?? 200_000);
const PAGE = 100;
const CHAT = -1001234567890n;
const LINK = 'https://t.me/+benchBENCHbench';
const ROUNDS = 3;

interface Row {
  user: UserInput;
  date: number;
}

function makeRows(offset: bigint): Row[] {
  const names = ['Анна', 'Ivan', 'Joanna', 'Mohammed', '李', 'Zoë 😀'];
  return Array.from({ length: ROWS }, (_, i) => ({
    user: {
      id: offset + BigInt(i) * 7919n,
      accessHash: -4611686018427387904n + BigInt(i),
      username: i % 2 === 0 ? `user_${i}` : null,
      firstName: `${names[i % names.length]} ${i}`,
      lastName: i % 3 === 0 ? 'Petrova' : '',
    },
    date: 1_767_225_600 - Math.floor(i / 3), // ties: three joins a second
  }));
}

function pages(rows: Row[]): Row[][] {
  const out: Row[][] = [];
  for (let i = 0; i < rows.length; i += PAGE) out.push(rows.slice(i, i + PAGE));
  return out;
}

const tempDirs: string[] = [];
function tempFile(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-bench-'));
  tempDirs.push(dir);
  return path.join(dir, name);
}

function cleanUp(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

type PageWriter = (page: Row[]) => void;

function storeWriter(rows: number): { write: PageWriter; check: () => void } {
  const store = openStore(tempFile('store.db'));
  store.chats.upsert({ id: CHAT, title: 'bench', type: 'supergroup', isOwner: true });
  store.links.upsert(CHAT, { link: LINK, adminId: 1n, date: 1, usage: rows });
  const write: PageWriter = (page) =>
    store.tx(() => {
      store.users.upsertMany(page.map((r) => r.user));
      const fresh = store.joins.insertMany(CHAT, LINK, page.map((r) => ({ userId: r.user.id, date: r.date })));
      for (const j of fresh) store.outbox.add('join', CHAT, { link: LINK, userId: j.userId, date: j.date });
    });
  const check = () => {
    if (store.joins.countByLink(CHAT, LINK) !== rows) throw new Error('store lost rows');
    store.close();
  };
  return { write, check };
}

function bareWriter(): { write: PageWriter; check: () => void } {
  const db = new Database(tempFile('bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, access_hash INTEGER, username TEXT, first_name TEXT, last_name TEXT);
    CREATE TABLE joins (chat_id INTEGER, link TEXT, user_id INTEGER, date INTEGER);
    CREATE TABLE outbox (id INTEGER PRIMARY KEY, kind TEXT, chat_id INTEGER, payload TEXT)`);
  const user = db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?)');
  const join = db.prepare('INSERT INTO joins VALUES (?, ?, ?, ?)');
  const event = db.prepare('INSERT INTO outbox (kind, chat_id, payload) VALUES (?, ?, ?)');
  const write = db.transaction((page: Row[]) => {
    for (const r of page) {
      user.run(r.user.id, r.user.accessHash, r.user.username, r.user.firstName, r.user.lastName);
      join.run(CHAT, LINK, r.user.id, r.date);
      event.run('join', CHAT, JSON.stringify({ link: LINK, userId: String(r.user.id), date: r.date }));
    }
  });
  return { write, check: () => db.close() };
}

/** Interleaves the two writers page by page, so machine noise hits both alike. */
function round(rows: Row[]): { store: number; bare: number } {
  const store = storeWriter(rows.length);
  const bare = bareWriter();
  let storeNs = 0n;
  let bareNs = 0n;
  for (const page of pages(rows)) {
    const t0 = process.hrtime.bigint();
    bare.write(page);
    const t1 = process.hrtime.bigint();
    store.write(page);
    const t2 = process.hrtime.bigint();
    bareNs += t1 - t0;
    storeNs += t2 - t1;
  }
  store.check();
  bare.check();
  cleanUp();
  return { store: (rows.length * 1e9) / Number(storeNs), bare: (rows.length * 1e9) / Number(bareNs) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratios: number[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  const result = round(makeRows(9_007_199_254_740_993n + BigInt(r) * 10_000_000_000n));
  ratios.push(result.bare / result.store);
  console.log(
    `round ${r}: store ${fmt(result.store)} rows/s, bare ${fmt(result.bare)} rows/s, ` +
      `ratio ${(result.bare / result.store).toFixed(2)}x`,
  );
}
const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)] ?? NaN;
console.log(
  `store page write costs ${median.toFixed(2)}x a bare better-sqlite3 insert per row (median of ${ROUNDS} rounds; ` +
    `target <= 2x); ${ROWS} rows in ${PAGE}-row pages, each row = user upsert + join + outbox event`,
);
