/**
 * The chats the bot serves: those in WATCH_CHATS (configuration), as the store knows them. The
 * store may still hold a chat the operator removed from WATCH_CHATS; it is no longer served, not
 * even to its admins, and not its buttons either.
 */
import type { Store } from '../store/index.js';
import type { AdminChat } from './context.js';

/** A configured chat: a Bot API id (-100…) or a public @username (config.ts's ChatRef). */
export type WatchedRef = { readonly kind: 'id'; readonly chatId: bigint } | { readonly kind: 'username'; readonly username: string };

export function servedChats(store: Pick<Store, 'chats'>, refs: readonly WatchedRef[]): AdminChat[] {
  const ids = new Set(refs.flatMap((r) => (r.kind === 'id' ? [r.chatId] : [])));
  const names = new Set(refs.flatMap((r) => (r.kind === 'username' ? [r.username.toLowerCase()] : [])));
  return store.chats
    .list()
    .filter((c) => ids.has(c.id) || (c.username !== null && names.has(c.username.toLowerCase())))
    .map((c) => ({ id: c.id, title: c.title, username: c.username ?? undefined }));
}

export function isServed(store: Pick<Store, 'chats'>, refs: readonly WatchedRef[], chatId: bigint): boolean {
  return servedChats(store, refs).some((c) => c.id === chatId);
}
