/**
 * Phase 1 of a cycle, for one chat: find it (its stored access hash first: no search, no call
 * outside the budget), list its links, and check its pending requests — the urgent part, done for
 * every chat before any chat's members are paged. A chat whose links cannot be listed right now
 * (a flood wait, an admin whose access hash is unknown) is deferred to the next cycle, not failed.
 */
import { parseId } from '../domain/chat-id.js';
import type { Store } from '../store/index.js';
import type { SyncContext } from './context.js';
import { discoverLinks } from './link-discovery.js';
import type { MeteredSource } from './metered-source.js';
import { emptyRequestsReport, type ChatReport, type LinkReport } from './report.js';
import { reconcileRequests } from './requests-reconciler.js';
import { isSourceError, type SourceChat, type SourceLink } from './types.js';

/** One chat's part of a cycle, carried from phase 1 into phase 2. */
export interface ChatCycle {
  report: ChatReport;
  source: MeteredSource;
  ctx: SyncContext;
  chat?: SourceChat;
  /** The links listed this cycle. */
  links: SourceLink[];
  linkReports: Map<string, LinkReport>;
  runId?: number;
  /** Its links were listed: phase 2 may page their members. */
  ready: boolean;
}

export function newChatCycle(ref: string | bigint, ctx: SyncContext): ChatCycle {
  const report: ChatReport = {
    chatRef: String(ref), chatId: null, title: null, outcome: 'ok', calls: 0, rowsAdded: 0, links: [], requests: emptyRequestsReport(), invisibleLinks: false,
  };
  return { report, source: ctx.source, ctx, links: [], linkReports: new Map(), ready: false };
}

/** Resolves, lists links and checks pending requests; errors other than a deferral are the caller's. */
export async function syncChatPhaseOne(c: ChatCycle, ref: string | bigint): Promise<void> {
  const { store } = c.ctx;
  const chat = await c.source.resolveChat(ref, { knownAccessHash: knownChat(store, ref)?.accessHash ?? undefined });
  c.chat = chat;
  Object.assign(c.report, { chatId: chat.chatId, title: chat.title });
  store.chats.upsert({ id: chat.chatId, title: chat.title, username: chat.username ?? null, type: chat.type, accessHash: chat.accessHash ?? null, isOwner: chat.isOwner }, c.ctx.now());
  c.runId = store.runs.start(chat.chatId, c.ctx.now());
  const listedAt = c.ctx.now();
  let discovery;
  try {
    discovery = await discoverLinks(c.ctx, chat);
  } catch (e) {
    if (!isSourceError(e, 'FloodWait') && !(isSourceError(e, 'PeerInvalid') && e.code === 'USER_HASH_UNKNOWN')) throw e;
    c.report.outcome = 'deferred';
    c.report.error = `links cannot be listed now (${e.code}); the next cycle tries again`;
    return;
  }
  c.report.invisibleLinks = discovery.invisibleNote !== null;
  store.chats.upsert(
    { id: chat.chatId, title: chat.title, username: chat.username ?? null, type: chat.type, isOwner: chat.isOwner, invisibleLinksNote: discovery.invisibleNote },
    c.ctx.now(),
  );
  c.links = [...new Map(discovery.links.map((l) => [l.link, l])).values()];
  for (const l of c.links) {
    const r: LinkReport = { link: l.link, title: l.title ?? null, action: 'skipped', newJoins: 0, left: 0, pages: 0 };
    c.linkReports.set(l.link, r);
    c.report.links.push(r);
  }
  c.ready = true;
  try {
    await reconcileRequests(c.ctx, chat, c.links, listedAt, c.report.requests);
  } catch (e) {
    if (!isSourceError(e, 'FloodWait')) throw e;
    c.report.outcome = 'partial';
    c.report.error = `pending requests deferred: ${e.code}`;
  }
  if (!c.report.requests.complete && c.report.outcome === 'ok') c.report.outcome = 'partial';
}

/** The chat as an earlier sync stored it (for its access hash), by `-100…` id or @username. */
function knownChat(store: Store, ref: string | bigint) {
  if (typeof ref === 'bigint') return store.chats.get(ref);
  const text = ref.trim();
  if (text.startsWith('@')) return store.chats.byUsername(text);
  const id = parseId(text);
  return id === undefined ? undefined : store.chats.get(id);
}
