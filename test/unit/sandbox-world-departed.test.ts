/** The sandbox world's admins who leave or are demoted, and what the owner's listings show of them. */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sandbox/world.js';
import { adminsWithInvites, exportedInvites } from '../../src/sandbox/world-access.js';

const CHAT = 1700000001n;
const OWNER = 7000001n;
const CO = 7000002n;
const JOINER = 9000001n;

function world(): { w: World; link: string } {
  const w = World.fromScenario({
    self: { id: Number(OWNER), first_name: 'Owner' },
    bot: { id: 8000001, first_name: 'Bot' },
    users: [{ id: Number(CO), first_name: 'Co' }, { id: Number(JOINER), first_name: 'Joiner' }],
    chats: [{ id: Number(CHAT), type: 'supergroup', title: 'C', owner_id: Number(OWNER), admins: [Number(OWNER), Number(CO)] }],
  });
  w.setClock(() => 1767300000);
  const link = w.createLink(CHAT, { adminId: CO, date: 1767200000 }).link;
  return { w, link };
}

const admins = (w: World) => adminsWithInvites(w, OWNER, w.chat(CHAT)!).map((a) => a.adminId);
const listedTo = (w: World, me: bigint) =>
  exportedInvites(w, me, w.chat(CHAT)!, { admin: w.user(CO)!, revoked: false, limit: 100, cap: 100 }).links.map((l) => l.link);

describe('departed admins in the sandbox world', () => {
  it('a demoted admin drops out of getAdminsWithInvites; the owner still lists their links, which still admit people; promoted again, they are back', () => {
    const { w, link } = world();
    expect(admins(w)).toEqual([CO]);
    const events: unknown[][] = [];
    w.on('admin', (...a: unknown[]) => events.push(a));
    w.setAdmin(CHAT, CO, { admin: false });
    expect(admins(w)).toEqual([]);
    expect(listedTo(w, OWNER)).toEqual([link]);
    expect(w.link(link)?.revoked).toBe(false);
    w.addJoin(CHAT, { userId: JOINER, link });
    expect(w.usage(link)).toBe(1);
    w.setAdmin(CHAT, CO, { admin: true });
    expect(admins(w)).toEqual([CO]);
    expect(events).toHaveLength(2);
  });

  it('an admin who leaves loses the rights (one admin event), and is no member; leaving again is USER_NOT_PARTICIPANT', () => {
    const { w } = world();
    const events: unknown[][] = [];
    w.on('admin', (...a: unknown[]) => events.push(a));
    w.leave(CHAT, CO);
    expect(w.isAdmin(CHAT, CO)).toBe(false);
    expect(w.isMember(CHAT, CO)).toBe(false);
    expect(admins(w)).toEqual([]);
    expect(events).toEqual([[CHAT, CO, { admin: true, canInvite: true }, { admin: false, canInvite: false }]]);
    expect(() => w.leave(CHAT, CO)).toThrow('USER_NOT_PARTICIPANT');
  });

  it('an admin who had joined through a link and leaves: the stay ends too, and the link counts one fewer', () => {
    const { w, link } = world();
    w.setAdmin(CHAT, CO, { admin: false });
    w.addJoin(CHAT, { userId: CO, link, date: 1767250000 });
    w.setAdmin(CHAT, CO, { admin: true });
    expect(w.usage(link)).toBe(1);
    w.leave(CHAT, CO, { date: 1767260000 });
    expect(w.usage(link)).toBe(0);
    expect(w.isAdmin(CHAT, CO)).toBe(false);
    expect(w.history(CHAT).ended).toEqual([expect.objectContaining({ userId: CO, link, leftAt: 1767260000 })]);
  });

  it('the owner leaving stays as it was: not an admin change', () => {
    const { w } = world();
    expect(() => w.leave(CHAT, OWNER)).toThrow('USER_NOT_PARTICIPANT');
    expect(w.isAdmin(CHAT, OWNER)).toBe(true);
  });
});
