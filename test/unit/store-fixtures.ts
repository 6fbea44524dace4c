import { openStore, type Store, type UserInput } from '../../src/store/index.js';

export const CHAT = -1001234567890n;
export const LINK = 'https://t.me/+AAAAaaaa';
export const ABOVE_2_53 = 9007199254740993n; // 2^53 + 1: a JS number would round it

export function user(id: bigint, firstName = `User ${id}`, extra: Partial<UserInput> = {}): UserInput {
  return { id, accessHash: 1n, username: null, firstName, lastName: '', ...extra };
}

/** An in-memory store with one chat and one link. */
export function storeWithLink(link = LINK): Store {
  const store = openStore(':memory:');
  store.chats.upsert({ id: CHAT, title: 'Test chat', type: 'supergroup', isOwner: true }, 1000);
  store.links.upsert(CHAT, { link, adminId: 42n, date: 1000, usage: 0 }, 1000);
  return store;
}
