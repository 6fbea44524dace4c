/**
 * One chat's people as Telegram sees them: the current members (each with the join row that made
 * them one), the pending requests, and what ended (stays that ended and decided requests: Telegram
 * forgets both, the sandbox keeps them so tests and the model check's oracle can ask what happened).
 * A link's own indexes live with the link in the World; this keeps the chat-wide ones.
 */
import { ImporterIndex } from './importer-index.js';
import type { Id, WorldDecision, WorldImporter, WorldStay } from './world-types.js';

type IdKey = number | string;

/** A Map key for an id: a number when exact (always, for real Telegram ids), else its decimal text. */
export function idKey(id: Id): IdKey {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id.toString();
}

export class ChatPeople {
  /** Join rows of the current members, chat-wide. */
  readonly joins = new ImporterIndex<WorldImporter>();
  readonly pending = new ImporterIndex<WorldImporter>();
  readonly ended: WorldStay[] = [];
  readonly decided: WorldDecision[] = [];
  // Keyed by idKey(): V8's Maps are several times slower with bigint keys, which matters at 1M members.
  private readonly members = new Map<IdKey, WorldImporter>();
  private readonly pendingByUser = new Map<IdKey, WorldImporter>();

  member(userId: Id): WorldImporter | undefined {
    return this.members.get(idKey(userId));
  }

  pendingOf(userId: Id): WorldImporter | undefined {
    return this.pendingByUser.get(idKey(userId));
  }

  addMember(row: WorldImporter): void {
    this.joins.add(row);
    this.members.set(idKey(row.userId), row);
  }

  /** The member's join row, now ended; undefined when the user is not a member through a join. */
  removeMember(userId: Id, leftAt: number, kicked: boolean): WorldImporter | undefined {
    const row = this.members.get(idKey(userId));
    if (!row) return undefined;
    this.members.delete(idKey(userId));
    this.joins.remove(row);
    this.ended.push({ ...row, leftAt, kicked });
    return row;
  }

  addPending(row: WorldImporter): void {
    this.pending.add(row);
    this.pendingByUser.set(idKey(row.userId), row);
  }

  /** Takes the user's pending request out of the list, recording what became of it. */
  dropPending(userId: Id, outcome: WorldDecision['outcome'], by: Id | null, at: number): WorldImporter | undefined {
    const row = this.pendingByUser.get(idKey(userId));
    if (!row) return undefined;
    this.pendingByUser.delete(idKey(userId));
    this.pending.remove(row);
    const decision: WorldDecision = { userId, link: row.link, date: row.date, outcome, by, at };
    if (row.about !== undefined) decision.about = row.about;
    this.decided.push(decision);
    return row;
  }

  hasPending(userId: Id): boolean {
    return this.pendingByUser.has(idKey(userId));
  }
}
