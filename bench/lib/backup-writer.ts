/**
 * The other side of the backup benchmark: a second process writing to the database the way the
 * sync does (pages of 100 joins with their users, one transaction each) until stdin closes, then
 * printing one JSON line: every commit's start (epoch ms) and duration (ms).
 * Usage: tsx bench/lib/backup-writer.ts DB_FILE
 */
import { openStore } from '../../src/store/index.js';

const store = openStore(process.argv[2] ?? '');
const chat = store.chats.list()[0];
const link = chat && store.links.list(chat.id)[0];
if (!chat || !link) throw new Error('backup-writer: the store has no chat or link');
const commits: Array<[number, number]> = [];
let next = 900_000_000n;
let open = true;
process.stdin.on('end', () => (open = false)).resume();
process.stdout.write('ready\n');
while (open) {
  const users = Array.from({ length: 100 }, () => ({ id: next++, accessHash: 1n, username: null, firstName: 'Writer', lastName: '' }));
  const started = Date.now();
  const t = performance.now();
  store.tx(() => {
    store.users.upsertMany(users);
    store.joins.insertMany(chat.id, link.link, users.map((u, i) => ({ userId: u.id, date: 1_900_000_000 + i })));
  });
  commits.push([started, performance.now() - t]);
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(`${JSON.stringify(commits)}\n`);
store.close();
