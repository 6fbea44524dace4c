/**
 * Issue 11, item 4 (first half): links of an admin who drops out of `getAdminsWithInvites` (demoted,
 * or left the chat) are marked "admin departed", keep their history, and clear when the admin is
 * promoted again. Shown on the sandbox world, through the model check's WorldSource.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/sync/types.js';
import { A, B, CHAT_A, CHAT_B, CO_ADMIN, SELF, harness, linkWithMembers, openStays, storedJoins, type Harness } from './sync-world-harness.js';

let h: Harness;
afterEach(() => h?.store.close());

const departedAt = (chatId: bigint, link: string) => h.store.links.get(chatId, link)?.adminDepartedAt ?? null;

describe('links of a departed admin', () => {
  it('an admin demoted in a Telegram app: their links are marked at the next cycle, keep every stay, and are still followed', async () => {
    h = harness();
    const theirs = linkWithMembers(h, 12, { admin: CO_ADMIN });
    const mine = linkWithMembers(h, 3);
    await h.cycle();
    expect(departedAt(CHAT_A, theirs)).toBeNull();
    expect(storedJoins(h, CHAT_A, theirs)).toHaveLength(12);

    h.world.setAdmin(A, CO_ADMIN, { admin: false });
    h.tick(60);
    const before = h.clock.now;
    await h.cycle();
    const row = h.store.links.get(CHAT_A, theirs)!;
    expect(row.adminDepartedAt).toEqual(expect.any(Number));
    expect(row.adminDepartedAt!).toBeGreaterThanOrEqual(before);
    // Distinct from revoked and deleted: the link itself is untouched.
    expect(row.goneAt).toBeNull();
    expect(row.revoked).toBe(false);
    expect(departedAt(CHAT_A, mine)).toBeNull();
    expect(storedJoins(h, CHAT_A, theirs)).toHaveLength(12);

    // The owner can still list the link (and its joiners): joins and leaves through it are still recorded.
    const leaver = openStays(h, CHAT_A, theirs)[0]![0];
    h.world.leave(A, leaver, { date: h.tick() });
    h.world.addJoin(A, { userId: h.person(), link: theirs, date: h.tick() });
    h.world.addJoin(A, { userId: h.person(), link: theirs, date: h.tick() });
    h.tick(60);
    const marked = row.adminDepartedAt;
    await h.cycle();
    expect(storedJoins(h, CHAT_A, theirs)).toHaveLength(14);
    expect(h.store.links.get(CHAT_A, theirs)?.usage).toBe(13);
    expect(departedAt(CHAT_A, theirs)).toBe(marked); // the mark keeps the first moment it was seen
  });

  it('an admin who leaves the chat loses the admin rights: their links are marked', async () => {
    h = harness();
    const theirs = linkWithMembers(h, 2, { admin: CO_ADMIN });
    await h.cycle();
    h.world.leave(A, CO_ADMIN);
    expect(h.world.isAdmin(A, CO_ADMIN)).toBe(false);
    h.tick(60);
    await h.cycle();
    expect(departedAt(CHAT_A, theirs)).toEqual(expect.any(Number));
  });

  it('the admin promoted again: the mark is cleared', async () => {
    h = harness();
    const theirs = linkWithMembers(h, 2, { admin: CO_ADMIN });
    await h.cycle();
    h.world.setAdmin(A, CO_ADMIN, { admin: false });
    h.tick(60);
    await h.cycle();
    expect(departedAt(CHAT_A, theirs)).toEqual(expect.any(Number));
    h.world.setAdmin(A, CO_ADMIN, { admin: true });
    h.tick(60);
    await h.cycle();
    expect(departedAt(CHAT_A, theirs)).toBeNull();
  });

  it.each([
    ['refused (ADMIN_ID_INVALID)', new SourceError('NotPermitted', 'ADMIN_ID_INVALID')],
    ['not addressable (no access hash known)', new SourceError('PeerInvalid', 'USER_HASH_UNKNOWN')],
  ])('the departed admin\'s listing %s: the chat syncs, the links stay marked, nothing is lost or taken for deleted', async (_, error) => {
    h = harness({
      beforeCall: (call, x) => {
        if (call.method === 'listLinks' && call.adminId === CO_ADMIN && !x.world.isAdmin(A, CO_ADMIN)) throw error;
      },
    });
    const theirs = linkWithMembers(h, 5, { admin: CO_ADMIN });
    await h.cycle();
    h.world.setAdmin(A, CO_ADMIN, { admin: false });
    h.tick(60);
    const report = await h.cycle();
    expect(report.chats[0]?.outcome).toBe('ok');
    const row = h.store.links.get(CHAT_A, theirs)!;
    expect(row.adminDepartedAt).toEqual(expect.any(Number));
    expect(row.goneAt).toBeNull();
    expect(storedJoins(h, CHAT_A, theirs)).toHaveLength(5);
    expect(h.store.chats.notes(CHAT_A)).toEqual([]);
  });

  it('a departed admin costs at most two listing calls a cycle (active and revoked)', async () => {
    h = harness();
    linkWithMembers(h, 1, { admin: CO_ADMIN });
    await h.cycle();
    h.world.setAdmin(A, CO_ADMIN, { admin: false });
    h.tick(60);
    const calls = h.source.calls.length;
    await h.cycle();
    const listings = h.source.calls.slice(calls).filter((c) => c.method === 'listLinks' && c.adminId === CO_ADMIN);
    expect(listings.length).toBeGreaterThan(0);
    expect(listings.length).toBeLessThanOrEqual(2);
  });

  it('a departed admin whose links are all revoked costs one listing call a cycle (the revoked one), and a link revoked meanwhile is seen as such', async () => {
    h = harness();
    const first = linkWithMembers(h, 1, { admin: CO_ADMIN });
    const second = linkWithMembers(h, 1, { admin: CO_ADMIN });
    h.world.revokeLink(first);
    await h.cycle();
    h.world.setAdmin(A, CO_ADMIN, { admin: false });
    h.world.revokeLink(second);
    h.tick(60);
    await h.cycle();
    expect(h.store.links.get(CHAT_A, second)).toMatchObject({ revoked: true, goneAt: null, adminDepartedAt: expect.any(Number) });
    h.tick(60);
    const calls = h.source.calls.length;
    await h.cycle();
    const listings = h.source.calls.slice(calls).filter((c) => c.method === 'listLinks' && c.adminId === CO_ADMIN);
    expect(listings).toHaveLength(1);
    expect(h.store.links.get(CHAT_A, first)).toMatchObject({ revoked: true, goneAt: null, adminDepartedAt: expect.any(Number) });
  });

  it('an account that is not the owner cannot tell: nothing is marked in such a chat', async () => {
    h = harness();
    const mine = linkWithMembers(h, 2, { chat: B, admin: SELF });
    await h.cycle({ chats: [CHAT_B] });
    h.world.setAdmin(B, SELF, { admin: true });
    h.tick(60);
    await h.cycle({ chats: [CHAT_B] });
    expect(departedAt(CHAT_B, mine)).toBeNull();
  });
});
