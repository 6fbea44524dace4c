/**
 * Phase 2 of a cycle: links' members, in three tiers, each shared fairly among the chats:
 *  1. news: walks down to the high-water mark (and paused ones) — who joined since;
 *  2. first walks (backfills) of new links;
 *  3. full listings (links that lost members, or due at the reconcile pace), taking at most a
 *     quarter of what is left of the cycle's budget: the slow background of leave detection.
 * Each chat gets an equal share of what is left for the tier (what one does not use goes to the
 * next), starting with the chat after the one that started last cycle, so a big backfill can
 * neither starve other chats nor make every cycle start over at the first chat.
 */
import type { CallBudget } from './budget.js';
import { BudgetExhaustedError, BudgetShare, ShareUsedError } from './budget.js';
import type { ChatCycle } from './chat-phase.js';
import { fullWalk, newsWalk, runFullWalk, runNewsWalks } from './link-walks.js';
import type { LinkReport } from './report.js';
import { isSourceError, SourceError, type SourceLink } from './types.js';

type Tier = 'news' | 'first' | 'full';
const TIERS: readonly Tier[] = ['news', 'first', 'full'];
/** Full listings may take this share of what the earlier tiers left. */
const FULL_LISTING_SHARE = 0.25;

/**
 * `fail` records a chat's failure (the engine's); the phase ends at the end of the cycle's budget
 * (or a shutdown) and when the session is revoked.
 */
export async function syncMembers(chats: readonly ChatCycle[], budget: CallBudget, fail: (c: ChatCycle, e: unknown) => void): Promise<void> {
  tiers: for (const tier of TIERS) {
    const pool = tier === 'full' ? Math.floor(budget.remaining * FULL_LISTING_SHARE) : budget.remaining;
    const waiting = chats
      .filter((c) => c.ready && c.report.outcome !== 'failed')
      .map((c) => ({ c, links: linksOf(c, tier) }))
      .filter((w) => w.links.length > 0);
    let left = pool;
    for (let i = 0; i < waiting.length && left > 0; i++) {
      const { c, links } = waiting[i]!;
      const share = new BudgetShare(budget, Math.ceil(left / (waiting.length - i)));
      try {
        await runTier(c, tier, links, share);
      } catch (e) {
        fail(c, e);
        if (e instanceof BudgetExhaustedError || isSourceError(e, 'SessionRevoked')) break tiers;
      }
      left -= share.usedCalls;
    }
  }
  for (const c of chats) if (c.ready && c.report.outcome === 'ok' && newsPending(c)) c.report.outcome = 'partial';
}

function linksOf(c: ChatCycle, tier: Tier): SourceLink[] {
  const chatId = c.chat!.chatId;
  const rows = new Map(c.ctx.store.links.list(chatId).map((r) => [r.link, r]));
  return c.links.filter((l) => {
    const row = rows.get(l.link);
    if (tier === 'full') return fullWalk(c.ctx, chatId, l, row) !== undefined;
    const walk = newsWalk(c.ctx, chatId, l, row);
    return walk !== undefined && (walk.floor === null) === (tier === 'first');
  });
}

function newsPending(c: ChatCycle): boolean {
  return linksOf(c, 'news').length > 0 || linksOf(c, 'first').length > 0;
}

/** One chat's links of a tier within its share; the walks keep their place when the share runs out. */
async function runTier(c: ChatCycle, tier: Tier, links: readonly SourceLink[], share: BudgetShare): Promise<void> {
  c.source.budget = share;
  for (const link of links) {
    const report = c.linkReports.get(link.link)!;
    try {
      if (tier === 'full') await runFullWalk(c.ctx, c.chat!.chatId, link, report);
      else await runNewsWalks(c.ctx, c.chat!.chatId, link, report);
    } catch (e) {
      if (e instanceof ShareUsedError) {
        report.note = 'this chat\u2019s share of the cycle is used up; resumes next cycle';
        if (tier !== 'full') c.report.outcome = partialOf(c);
        return;
      }
      if (isSourceError(e, 'FloodWait')) {
        // The method is held for the whole account: no other link of this chat can be paged either.
        Object.assign(report, { action: 'deferred', note: `${e.code}: Telegram holds member listings for ${e.seconds}s` });
        c.report.outcome = partialOf(c);
        return;
      }
      if (!(e instanceof SourceError) || !linkFailed(c, link, report, e)) throw e;
    }
  }
}

function partialOf(c: ChatCycle): ChatCycle['report']['outcome'] {
  return c.report.outcome === 'ok' ? 'partial' : c.report.outcome;
}

/** A link deleted meanwhile keeps its history; one this account may not list is marked so. */
function linkFailed(c: ChatCycle, link: SourceLink, report: LinkReport, e: SourceError): boolean {
  const { store } = c.ctx;
  const chatId = c.chat!.chatId;
  if (e.kind === 'LinkGone') {
    store.links.markGone(chatId, link.link, c.ctx.now());
    Object.assign(report, { action: 'gone', note: e.code });
    return true;
  }
  if (e.kind === 'NotPermitted') {
    store.links.updateSyncState(chatId, link.link, { visible: false });
    Object.assign(report, { action: 'invisible', note: e.code });
    return true;
  }
  return false;
}
