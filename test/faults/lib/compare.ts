/**
 * "The final export equals the world row for row": the world's current joins (through a link:
 * a join through no link is in no link's list, as on Telegram) and pending requests, against
 * the export's joined and pending rows. Keys carry every column both sides know.
 */
import type { ExportRecord } from '../../../src/export/format.js';
import { isoDate } from '../../../src/export/format.js';
import type { World } from '../../../src/sandbox/world.js';
import { botChat } from './world.js';

export interface RowDiff {
  compared: number;
  /** In the world, not in the export. */
  lost: string[];
  /** In the export more than once. */
  doubled: string[];
  /** In the export, not in the world (a join that is not there, a request still "pending" that was decided). */
  extra: string[];
}

function personKey(world: World, userId: bigint): string {
  const u = world.user(userId);
  return `${u?.username ?? ''}|${u?.firstName ?? ''}|${u?.lastName ?? ''}`;
}

export function worldRows(world: World, mtChat: bigint): string[] {
  const chat = String(botChat(mtChat));
  const rows: string[] = [];
  for (const revoked of [false, true]) {
    for (const l of world.links(mtChat, { revoked })) {
      for (const j of world.importers(mtChat, { link: l.link, requested: false, offsetDate: 0, offsetUser: 0n, limit: 10_000_000 }).rows) {
        rows.push(`joined|${chat}|${l.link}|${j.userId}|${isoDate(j.date)}|${j.approvedBy ?? ''}|${j.viaChatlist}|${personKey(world, j.userId)}`);
      }
    }
  }
  for (const p of world.importers(mtChat, { requested: true, offsetDate: 0, offsetUser: 0n, limit: 10_000_000 }).rows) {
    rows.push(`pending|${chat}|${p.link ?? ''}|${p.userId}|${isoDate(p.date)}|${p.about ?? ''}|${personKey(world, p.userId)}`);
  }
  return rows;
}

export function exportRows(records: readonly ExportRecord[]): string[] {
  return records.flatMap((r) => {
    const person = `${r.username ?? ''}|${r.first_name}|${r.last_name}`;
    if (r.status === 'joined') return [`joined|${r.chat_id}|${r.link ?? ''}|${r.user_id}|${r.date}|${r.approved_by ?? ''}|${r.via_chatlist}|${person}`];
    if (r.status === 'pending') return [`pending|${r.chat_id}|${r.link ?? ''}|${r.user_id}|${r.date}|${r.about ?? ''}|${person}`];
    return [];
  });
}

/**
 * Requests (any status) the export holds twice: the same person's request of the same date is one
 * request, whatever became of it. The world keeps no decided requests to compare them with.
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

export function diffRows(expected: readonly string[], actual: readonly string[]): RowDiff {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  for (const row of actual) seen.set(row, (seen.get(row) ?? 0) + 1);
  return {
    compared: expected.length,
    lost: expected.filter((row) => !seen.has(row)),
    doubled: [...seen].filter(([, n]) => n > 1).map(([row]) => row),
    extra: [...seen.keys()].filter((row) => !want.has(row)),
  };
}
