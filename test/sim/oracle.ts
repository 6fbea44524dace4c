/**
 * The model check's oracle: is the store true to what the account could have seen?
 *
 * "Could have seen" is precise: the rows each listing returned (Observed), the links this account
 * may list (the owner: all; an admin: its own), and the moments its sync finished a step. Judged
 * after every cycle (even one cut short by a kill):
 *  - no duplicate: one open stay per person and chat, one row per stay, one pending request per
 *    person and chat, at most one "new request" event per request;
 *  - nothing lost that a listing returned: every member row and every pending row any listing
 *    returned is in the store;
 *  - nothing invented: every stored stay and request is a row some listing returned;
 *  - no wrong close: a stay closed in the store really ended, and not after the store says;
 *  - no wrong link: a request stored through a link came through that link; "public username" only
 *    where the account can know it (the owner, a chat with a username, no listable link it could
 *    have come through); "through a link this account cannot list" only where that is so;
 *  - no wrong outcome: "approved" only on evidence (an approving join of that person on that
 *    link, dated between the request and when it vanished); "declined" only for requests through a
 *    listable link whose approving join nobody could see; a request seen pending is closed once a
 *    pending check that started after its decision finished;
 *  - a method Telegram holds after a flood wait is not called again before the hold ends;
 *  - no false "admin departed": a link is marked only in a chat the account owns, and only after
 *    its admin was demoted or left (at or before the mark's date).
 * After a quiet period with full cycles (checkFinal) the store equals the world exactly, except
 * for what no listing can show (approvals through the username, approved people who left before
 * any listing, stays that began and ended between two listings); and every link of an owned chat
 * is marked "admin departed" exactly when its admin is not one now.
 */
import type { Store } from '../../src/store/index.js';
import { EventKind } from '../../src/sync/events.js';
import { requestKey, stayKey, type Observed, type SeenStay } from './observed.js';
import { storedEvents, storedLinks, storedRequests, storedStays, type StoredLink, type StoredRequest, type StoredStay } from './store-facts.js';
import { listable, worldFacts, type ChatFacts, type WorldRequestFact } from './world-facts.js';
import type { World } from '../../src/sandbox/world.js';
import type { AdminChange } from './ops.js';

export interface Violation {
  kind: string;
  detail: string;
}

export interface OracleInput {
  world: World;
  store: Store;
  observed: Observed;
  me: bigint;
  /** [start, end] of every cycle so far (world clock). */
  cycles: { start: number; end: number }[];
  /** Per chat (Bot API id): when the last pending check that completed began. */
  pendingCheckedFrom: Map<bigint, number>;
  /** Per chat: when the last complete full listing of each link began (link → time). */
  fullListedFrom: Map<string, number>;
  /** Decisions made through the bot: the store records the admin who pressed (requestKey → admin). */
  botDeciders: Map<string, bigint>;
  heldCalls: number;
  /** Every admin demoted, leaving or promoted again, in order. */
  adminChanges: AdminChange[];
}

interface Ctx extends OracleInput {
  facts: ChatFacts[];
  stays: StoredStay[];
  requests: StoredRequest[];
  links: StoredLink[];
  out: Violation[];
}

function context(i: OracleInput): Ctx {
  return { ...i, facts: worldFacts(i.world), stays: storedStays(i.store), requests: storedRequests(i.store), links: storedLinks(i.store), out: [] };
}

const fail = (c: Ctx, kind: string, detail: string): void => void c.out.push({ kind, detail });

export function checkCycle(input: OracleInput): Violation[] {
  const c = context(input);
  if (c.heldCalls > 0) fail(c, 'held-method-called', `${c.heldCalls} call(s) of a method Telegram held after a flood wait`);
  checkStays(c);
  checkRequests(c);
  checkEvents(c);
  checkDeparted(c);
  return c.out;
}

export function checkFinal(input: OracleInput): Violation[] {
  const c = context(input);
  checkStays(c);
  checkRequests(c);
  checkDeparted(c);
  for (const f of c.facts) {
    checkMembersExact(c, f);
    checkPendingExact(c, f);
    checkOutcomesExact(c, f);
    checkDepartedExact(c, f);
  }
  return c.out;
}

// ---- links of departed admins ----

function checkDeparted(c: Ctx): void {
  for (const l of c.links) {
    const at = l.adminDepartedAt;
    if (at === null) continue;
    const f = c.facts.find((x) => x.chatId === l.chatId);
    const key = `${l.chatId}|${l.link}`;
    if (!f || f.chat.ownerId !== c.me) {
      fail(c, 'departed-unknowable', `${key} marked admin departed, but this account is not the owner`);
      continue;
    }
    const left = c.adminChanges.some((a) => a.chatId === f.chat.id && a.adminId === l.adminId && !a.admin && a.at <= at);
    if (!left) fail(c, 'false-departed', `${key} marked admin departed at ${at}, but admin ${l.adminId} had not left by then`);
  }
}

function checkDepartedExact(c: Ctx, f: ChatFacts): void {
  if (f.chat.ownerId !== c.me) return;
  const admins = new Set([f.chat.ownerId, ...f.chat.admins]);
  for (const l of c.links) {
    if (l.chatId !== f.chatId || l.goneAt !== null) continue;
    const departed = !admins.has(l.adminId);
    if (departed !== (l.adminDepartedAt !== null)) {
      fail(c, 'final-departed', `${l.chatId}|${l.link}: admin ${l.adminId} is ${departed ? 'no longer' : 'still'} an admin, stored ${l.adminDepartedAt === null ? 'unmarked' : `departed at ${l.adminDepartedAt}`}`);
    }
  }
}

// ---- stays ----

function checkStays(c: Ctx): void {
  const open = new Map<string, StoredStay[]>();
  const keys = new Set<string>();
  const world = new Map<string, { leftAt: number | null; approvedBy: bigint | null }>();
  for (const f of c.facts) for (const s of f.stays) if (s.link) world.set(stayKey(s.chatId, s.link, s.userId, s.date), s);
  for (const s of c.stays) {
    const key = stayKey(s.chatId, s.link, s.userId, s.date);
    if (keys.has(key)) fail(c, 'duplicate-stay', key);
    keys.add(key);
    if (s.leftAt === null) open.set(`${s.chatId}|${s.userId}`, [...(open.get(`${s.chatId}|${s.userId}`) ?? []), s]);
    const seen = c.observed.stays.get(key) ?? botStay(c, s);
    if (!seen) fail(c, 'invented-stay', key);
    else if (seen.approvedBy !== s.approvedBy) fail(c, 'wrong-approver', `${key}: stored ${s.approvedBy}, listed ${seen.approvedBy}`);
    const truth = world.get(key) ?? cutLinkTruth(c, s);
    if (s.leftAt !== null) {
      if (!truth || truth.leftAt === null) fail(c, 'closed-while-member', `${key} closed at ${s.leftAt} (${s.leftHow}) but is a member`);
      else if (s.leftAt < truth.leftAt) fail(c, 'closed-too-early', `${key} closed at ${s.leftAt}, left at ${truth.leftAt}`);
    } else if (truth && truth.leftAt !== null) {
      const listedFrom = c.fullListedFrom.get(`${s.chatId}|${s.link}`);
      if (listedFrom !== undefined && truth.leftAt < listedFrom) {
        fail(c, 'left-not-closed', `${key} left at ${truth.leftAt}; a full listing from ${listedFrom} did not close it`);
      }
    }
  }
  for (const [who, list] of open) if (list.length > 1) fail(c, 'two-open-stays', `${who}: ${list.map((s) => `${s.link}@${s.date}`).join(', ')}`);
  for (const [key] of c.observed.stays) if (!keys.has(key)) fail(c, 'lost-stay', `${key} was listed but is not stored`);
}

/**
 * A stay stored under a cut link (another admin's, as the admin log shows it to a non-owner): the
 * world's stay of that person and date through the one link that starts with the visible part.
 */
/** The join the bot showed that a stored stay is: under the same link, or the cut one the admin log stored for it. */
function botStay(c: Ctx, s: StoredStay): SeenStay | undefined {
  const exact = c.observed.botStays.get(stayKey(s.chatId, s.link, s.userId, s.date));
  if (exact || !/(?:\.\.\.|…)$/.test(s.link)) return exact;
  const prefix = s.link.replace(/(?:\.\.\.|…)$/, '');
  for (const b of c.observed.botStays.values()) {
    if (b.chatId === s.chatId && b.userId === s.userId && b.date === s.date && b.link.startsWith(prefix)) return b;
  }
  return undefined;
}

/** A cut link ("https://t.me/+AbCd...") standing for `whole`. */
function cutOf(stored: string | null, whole: string | null): boolean {
  return stored !== null && whole !== null && /(?:\.\.\.|…)$/.test(stored) && whole.startsWith(stored.replace(/(?:\.\.\.|…)$/, ''));
}

function cutLinkTruth(c: Ctx, s: StoredStay): { leftAt: number | null; approvedBy: bigint | null } | undefined {
  if (!/(?:\.\.\.|…)$/.test(s.link)) return undefined;
  const prefix = s.link.replace(/(?:\.\.\.|…)$/, '');
  const f = c.facts.find((x) => x.chatId === s.chatId);
  return f?.stays.find((w) => w.userId === s.userId && w.date === s.date && w.link !== null && w.link.startsWith(prefix));
}

function checkMembersExact(c: Ctx, f: ChatFacts): void {
  for (const link of f.links) {
    if (!listable(f.chat, c.me, link)) continue;
    const want = new Set(f.stays.filter((s) => s.link === link.link && s.leftAt === null).map((s) => `${s.userId}@${s.date}`));
    const have = new Set(c.stays.filter((s) => s.chatId === f.chatId && s.link === link.link && s.leftAt === null).map((s) => `${s.userId}@${s.date}`));
    for (const w of want) if (!have.has(w)) fail(c, 'final-member-missing', `${link.link}: ${w}`);
    for (const h of have) if (!want.has(h)) fail(c, 'final-member-stale', `${link.link}: ${h} is open but not a member`);
  }
}

// ---- requests ----

function worldRequests(c: Ctx): Map<string, WorldRequestFact> {
  const m = new Map<string, WorldRequestFact>();
  for (const f of c.facts) for (const r of f.requests) m.set(requestKey(r.chatId, r.userId, r.date), r);
  return m;
}

function cycleStartOf(c: Ctx, at: number): number {
  let start = -Infinity;
  for (const cy of c.cycles) if (cy.start <= at) start = cy.start;
  return start;
}

function checkRequests(c: Ctx): void {
  const world = worldRequests(c);
  const stored = new Set<string>();
  const pendingOf = new Map<string, number>();
  for (const r of c.requests) {
    const key = requestKey(r.chatId, r.userId, r.date);
    if (stored.has(key)) fail(c, 'duplicate-request', key);
    stored.add(key);
    if (r.status === 'pending') pendingOf.set(`${r.chatId}|${r.userId}`, (pendingOf.get(`${r.chatId}|${r.userId}`) ?? 0) + 1);
    if (!c.observed.requests.has(key)) fail(c, 'invented-request', key);
    const w = world.get(key);
    if (!w) continue;
    const f = c.facts.find((x) => x.chatId === r.chatId)!;
    checkVia(c, f, r, w);
    checkOutcome(c, f, r, w);
  }
  for (const [who, n] of pendingOf) if (n > 1) fail(c, 'two-pending', who);
  for (const [key] of c.observed.requests) if (!stored.has(key)) fail(c, 'lost-request', `${key} was listed pending but is not stored`);
}

function checkVia(c: Ctx, f: ChatFacts, r: StoredRequest, w: WorldRequestFact): void {
  const key = requestKey(r.chatId, r.userId, r.date);
  const link = w.link === null ? undefined : f.links.find((l) => l.link === w.link);
  const mine = link !== undefined && listable(f.chat, c.me, link);
  // A link created after the cycle that first stored the request began may not have been listed yet.
  const knowable = mine && link.date < cycleStartOf(c, r.firstSeen);
  if (r.via === 'link') {
    if (r.link !== w.link && !cutOf(r.link, w.link)) fail(c, 'wrong-link', `${key}: stored ${r.link}, asked through ${w.link ?? 'the username'}`);
  } else if (r.via === 'username') {
    // The bot is told a request came with no link (the username); a non-owner's listing cannot tell.
    if (c.observed.botUsernameRequests.has(key) && f.chat.username !== undefined && w.link === null) return;
    if (f.chat.ownerId !== c.me || f.chat.username === undefined) fail(c, 'claims-username', `${key}: this account cannot know it came through the username`);
    else if (knowable) fail(c, 'wrong-link', `${key}: stored as the username, asked through ${w.link}`);
  } else if (r.via === 'unlisted') {
    if (knowable) fail(c, 'wrong-link', `${key}: stored as an unlisted link, asked through its own ${w.link}`);
  }
}

function checkOutcome(c: Ctx, f: ChatFacts, r: StoredRequest, w: WorldRequestFact): void {
  const key = requestKey(r.chatId, r.userId, r.date);
  if (r.status === 'pending') {
    const checked = c.pendingCheckedFrom.get(r.chatId);
    // Not a row a live source (the bot, late) stored after the check began: the next check closes it.
    if (w.outcome !== 'pending' && w.at !== null && checked !== undefined && w.at < checked && r.firstSeen <= checked) {
      fail(c, 'stale-pending', `${key} was ${w.outcome} at ${w.at}; a pending check from ${checked} left it pending`);
    }
    return;
  }
  if (w.outcome === 'pending') return fail(c, 'closed-while-pending', `${key} is ${r.status} but still pending`);
  const approving = approvingStay(c, r);
  if (r.status === 'approved') {
    const botDecider = c.botDeciders.get(key);
    if (w.outcome === 'approved') {
      const want = botDecider ?? w.by;
      if (r.decidedBy !== want && !(approving && r.decidedBy === approving.approvedBy)) {
        fail(c, 'wrong-decider', `${key}: stored ${r.decidedBy}, decided by ${want}`);
      }
    } else if (!botDecider && !ambiguousApproval(c, r, approving) && !logAmbiguous(c, r)) {
      fail(c, 'false-approved', `${key} was ${w.outcome} but is stored approved`);
    }
  } else if (r.status === 'declined' && !c.botDeciders.has(key)) {
    if (r.via !== 'link') fail(c, 'overconfident-declined', `${key}: through ${r.via}, the outcome cannot be known`);
    if (w.outcome === 'approved' && approving) {
      fail(c, 'approval-missed', `${key} is stored declined although its approving join ${approving.link}@${approving.date} is stored`);
    }
  }
}

/** The stored join that proves an approval of this request: same chat, person and link, dated from the request to when it vanished. */
function approvingStay(c: Ctx, r: StoredRequest): StoredStay | undefined {
  return c.stays.find(
    (s) => s.chatId === r.chatId && s.userId === r.userId && s.approvedBy !== null && r.via === 'link' && s.link === r.link &&
      s.date >= r.date && (r.decidedAt === null || s.date <= r.decidedAt),
  );
}

/**
 * A decline, a new request and its approval, all between two looks, leave exactly the traces of
 * one approval: "approved" is then the account's best reading, unless it saw the second request.
 */
function ambiguousApproval(c: Ctx, r: StoredRequest, approving: StoredStay | undefined): boolean {
  if (!approving || r.decidedBy !== approving.approvedBy) return false;
  for (const seen of c.observed.requests.values()) {
    if (seen.chatId === r.chatId && seen.userId === r.userId && seen.date > r.date && seen.date <= approving.date) return false;
  }
  return true;
}

/**
 * A request whose link this account cannot name (the username, another admin's link) and an
 * approval of the same person the admin log showed later, with no newer request seen in between:
 * "approved" is the account's best reading (a decline and an approved second request look the same).
 */
function logAmbiguous(c: Ctx, r: StoredRequest): boolean {
  if (r.via === 'link') return false;
  for (const [key, by] of c.observed.logApprovals) {
    const [chat, user, date] = key.split('|');
    if (BigInt(chat!) !== r.chatId || BigInt(user!) !== r.userId || Number(date) < r.date || by !== r.decidedBy) continue;
    const newer = [...c.observed.requests.values()].some((s) => s.chatId === r.chatId && s.userId === r.userId && s.date > r.date && s.date <= Number(date));
    if (!newer) return true;
  }
  return false;
}

function expectedVia(c: Ctx, f: ChatFacts, w: WorldRequestFact): { via: StoredRequest['via']; link: string | null } {
  const link = w.link === null ? undefined : f.links.find((l) => l.link === w.link);
  if (link && listable(f.chat, c.me, link)) return { via: 'link', link: link.link };
  if (!link && f.chat.ownerId === c.me) return { via: 'username', link: null };
  // The bot was told it came with no link: the username, even for an account that is not the owner.
  if (!link && c.observed.botUsernameRequests.has(requestKey(w.chatId, w.userId, w.date))) return { via: 'username', link: null };
  return { via: 'unlisted', link: null };
}

function checkPendingExact(c: Ctx, f: ChatFacts): void {
  const want = new Map(f.requests.filter((r) => r.outcome === 'pending').map((r) => [requestKey(r.chatId, r.userId, r.date), r]));
  const have = new Map(c.requests.filter((r) => r.chatId === f.chatId && r.status === 'pending').map((r) => [requestKey(r.chatId, r.userId, r.date), r]));
  for (const [key, w] of want) {
    const h = have.get(key);
    if (!h) {
      fail(c, 'final-pending-missing', key);
      continue;
    }
    const e = expectedVia(c, f, w);
    // Another admin's link the bot showed cut, matched to the cut one the admin log stored: named as well as this account can.
    const cut = e.via === 'unlisted' && h.via === 'link' && cutOf(h.link, w.link);
    if (!cut && (h.via !== e.via || h.link !== e.link)) fail(c, 'final-wrong-via', `${key}: stored ${h.via} ${h.link}, expected ${e.via} ${e.link}`);
    if (h.about !== w.about) fail(c, 'final-wrong-about', `${key}: stored ${JSON.stringify(h.about)}, asked with ${JSON.stringify(w.about)}`);
  }
  for (const key of have.keys()) if (!want.has(key)) fail(c, 'final-pending-stale', key);
}

function checkOutcomesExact(c: Ctx, f: ChatFacts): void {
  const byKey = new Map(c.requests.filter((r) => r.chatId === f.chatId).map((r) => [requestKey(r.chatId, r.userId, r.date), r]));
  for (const w of f.requests) {
    if (w.outcome === 'pending') continue;
    const key = requestKey(w.chatId, w.userId, w.date);
    const r = byKey.get(key);
    if (!r) continue; // never listed pending: decided between two looks
    // Decided before its link was read (it arrived after the link listing): its origin, and so its
    // outcome, could not be learnt unless its approving join showed up later.
    if (r.via === 'unknown' && r.status === 'gone') continue;
    // The bot records its own decision on the row it showed (decide.ts), even when Telegram applied
    // it to a newer request of the same person: that is the product's record, not the sync's.
    if (c.botDeciders.has(key) && (r.status === 'approved' || r.status === 'declined')) continue;
    const e = expectedVia(c, f, w);
    // The admin log showed the approving join (through the username, or a link this account cannot list).
    const logApprover = w.at === null ? undefined : c.observed.logApprovals.get(`${w.chatId}|${w.userId}|${w.at}`);
    if (e.via !== 'link' && r.status === 'approved' && logAmbiguous(c, r)) continue;
    if (e.via !== 'link' && w.outcome === 'approved' && logApprover !== undefined) {
      if (r.status !== 'approved' || r.decidedBy !== logApprover) fail(c, 'final-outcome', `${key}: the admin log showed its approval by ${logApprover}, stored ${r.status} by ${r.decidedBy}`);
      continue;
    }
    if (e.via !== 'link') {
      if (r.status !== 'gone' && !(r.status === 'approved' && c.botDeciders.has(key)) && !(r.status === 'declined' && c.botDeciders.has(key))) {
        fail(c, 'final-outcome', `${key}: through ${e.via}, stored ${r.status}, want gone`);
      }
      continue;
    }
    const stay = f.stays.find((s) => s.userId === w.userId && s.link === w.link && s.approvedBy !== null && s.date === w.at);
    const visible = (stay !== undefined && c.observed.stays.has(stayKey(f.chatId, stay.link!, stay.userId, stay.date))) || logApprover !== undefined;
    const want = w.outcome === 'approved' && (visible || c.botDeciders.has(key)) ? 'approved' : 'declined';
    if (r.status !== want && !(r.status === 'approved' && ambiguousApproval(c, r, approvingStay(c, r)))) {
      fail(c, 'final-outcome', `${key}: ${w.outcome}${w.outcome === 'approved' && !visible ? ' (approving join never listed)' : ''}, stored ${r.status}, want ${want}`);
    }
  }
}

// ---- events ----

function checkEvents(c: Ctx): void {
  const announced = new Map<string, number>();
  for (const e of storedEvents(c.store, EventKind.RequestsNew)) {
    for (const r of (e.requests as { userId: string; date: number }[] | undefined) ?? []) {
      const key = `${r.userId}|${r.date}`;
      announced.set(key, (announced.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of announced) if (n > 1) fail(c, 'duplicate-new-request-event', `${key} announced ${n} times`);
}
