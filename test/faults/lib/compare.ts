/**
 * "The final export equals the world row for row": the world's stays through a link (a join through
 * no link is in no link's list, as on Telegram) and pending requests, against the export's joined and
 * pending rows. Keys carry every column both sides know, and whether the stay goes on or ended.
 *
 * Stays that ended: Telegram tells no one when or how a member left — a listing simply no longer
 * shows them — so the store closes a stay when a listing misses it (`left_how` 'unseen', `left_at` the
 * time it noticed) unless a live source said 'left' or 'kicked'. An ended stay is therefore checked as
 * far as anyone can know it: exported closed (never as a member), `left_at` no earlier than the world's
 * leave, `left_how` 'unseen' or the world's own. One that began and ended between two listings was never
 * visible to the account: it may be missing from the export, never present as a member.
 */
import type { ExportRecord } from '../../../src/export/format.js';
import { isoDate } from '../../../src/export/format.js';
import type { World, WorldStay } from '../../../src/sandbox/world.js';
import { botChat } from './world.js';

export interface RowDiff {
  compared: number;
  /** In the world, not in the export. */
  lost: string[];
  /** In the export more than once. */
  doubled: string[];
  /**
   * In the export, not in the world: a join that is not there, a member the world says left, a request
   * still "pending" that was decided, or a stay closed earlier or otherwise than the world says.
   */
  extra: string[];
}

/** What the world knows of the stays that ended, by their row key (see `ended` below). */
export type EndedStays = Map<string, { leftAt: number; how: 'left' | 'kicked' }>;

function personKey(world: World, userId: bigint): string {
  const u = world.user(userId);
  return `${u?.username ?? ''}|${u?.firstName ?? ''}|${u?.lastName ?? ''}`;
}

const stayKey = (chat: string, link: string, userId: bigint | string, date: string, approvedBy: bigint | string | null, viaChatlist: boolean, person: string, state: 'member' | 'ended') =>
  `joined|${chat}|${link}|${userId}|${date}|${approvedBy ?? ''}|${viaChatlist}|${person}|${state}`;

/** Rows the export must hold: current stays through a link, and pending requests. */
export function worldRows(world: World, mtChat: bigint): string[] {
  const chat = String(botChat(mtChat));
  const rows: string[] = [];
  for (const revoked of [false, true]) {
    for (const l of world.links(mtChat, { revoked })) {
      for (const j of world.importers(mtChat, { link: l.link, requested: false, offsetDate: 0, offsetUser: 0n, limit: 10_000_000 }).rows) {
        rows.push(stayKey(chat, l.link, j.userId, isoDate(j.date), j.approvedBy ?? null, j.viaChatlist, personKey(world, j.userId), 'member'));
      }
    }
  }
  for (const p of world.importers(mtChat, { requested: true, offsetDate: 0, offsetUser: 0n, limit: 10_000_000 }).rows) {
    rows.push(`pending|${chat}|${p.link ?? ''}|${p.userId}|${isoDate(p.date)}|${p.about ?? ''}|${personKey(world, p.userId)}`);
  }
  return rows;
}

/** Stays through a link that ended (left or removed): the export may hold each once, closed. */
export function endedStays(world: World, mtChat: bigint): EndedStays {
  const chat = String(botChat(mtChat));
  const ended: EndedStays = new Map();
  for (const s of world.history(mtChat).ended as readonly WorldStay[]) {
    if (s.link === null) continue;
    const key = stayKey(chat, s.link, s.userId, isoDate(s.date), s.approvedBy ?? null, s.viaChatlist, personKey(world, s.userId), 'ended');
    ended.set(key, { leftAt: s.leftAt, how: s.kicked ? 'kicked' : 'left' });
  }
  return ended;
}

/** A joined or pending record's row key (as worldRows writes it); undefined for decided requests. */
function recordKey(r: ExportRecord): string | undefined {
  const person = `${r.username ?? ''}|${r.first_name}|${r.last_name}`;
  if (r.status === 'joined') return stayKey(r.chat_id, r.link ?? '', r.user_id, r.date, r.approved_by, r.via_chatlist, person, r.left_at === null ? 'member' : 'ended');
  if (r.status === 'pending') return `pending|${r.chat_id}|${r.link ?? ''}|${r.user_id}|${r.date}|${r.about ?? ''}|${person}`;
  return undefined;
}

export function exportRows(records: readonly ExportRecord[]): string[] {
  return records.flatMap((r) => recordKey(r) ?? []);
}

/**
 * Closed stays whose `left_at` / `left_how` the world contradicts: closed before the person left, or
 * said to have left in a way they did not ('unseen' always fits: it only says a listing missed them).
 */
export function wrongLeftColumns(ended: EndedStays, records: readonly ExportRecord[]): string[] {
  const wrong: string[] = [];
  for (const r of records) {
    if (r.status !== 'joined' || r.left_at === null) continue;
    const key = recordKey(r)!;
    const truth = ended.get(key);
    if (!truth) continue; // not an ended stay of the world: diffRows reports it
    const leftAt = Date.parse(r.left_at) / 1000;
    if (leftAt < truth.leftAt) wrong.push(`${key} closed at ${r.left_at}, left at ${isoDate(truth.leftAt)}`);
    if (r.left_how !== 'unseen' && r.left_how !== truth.how) wrong.push(`${key} said ${r.left_how}, was ${truth.how}`);
  }
  return wrong;
}

/**
 * Requests (any status) the export holds twice: the same person's request of the same date is one
 * request, whatever became of it.
 */
export function doubledRequests(records: readonly ExportRecord[]): string[] {
  const seen = new Map<string, number>();
  for (const r of records) {
    if (r.status === 'joined') continue;
    const key = `request|${r.chat_id}|${r.user_id}|${r.date}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}

/** `expected` must be there once each; `ended` (stays that ended) may be, once each; nothing else. */
export function diffRows(expected: readonly string[], actual: readonly string[], ended: EndedStays = new Map()): RowDiff {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  for (const row of actual) seen.set(row, (seen.get(row) ?? 0) + 1);
  return {
    compared: expected.length + [...ended.keys()].filter((k) => seen.has(k)).length,
    lost: expected.filter((row) => !seen.has(row)),
    doubled: [...seen].filter(([, n]) => n > 1).map(([row]) => row),
    extra: [...seen.keys()].filter((row) => !want.has(row) && !ended.has(row)),
  };
}

/** The export of both chats against the world: the whole comparison above. */
export function compareWithWorld(world: World, mtChats: readonly bigint[], records: readonly ExportRecord[]): RowDiff & { endedCompared: number } {
  const expected = mtChats.flatMap((c) => worldRows(world, c));
  const ended: EndedStays = new Map(mtChats.flatMap((c) => [...endedStays(world, c)]));
  const diff = diffRows(expected, exportRows(records), ended);
  diff.doubled.push(...doubledRequests(records));
  diff.extra.push(...wrongLeftColumns(ended, records));
  return { ...diff, endedCompared: diff.compared - expected.length };
}
