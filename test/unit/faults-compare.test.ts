/**
 * The fault suite's "export equals the world" check (test/faults/lib/compare.ts), on a world that
 * churns: it must tell a correct export from one that keeps a member who left, closes a stay before
 * the person left, names the wrong way of leaving, loses a member, or doubles a row.
 */
import { describe, expect, it } from 'vitest';
import { isoDate, type ExportRecord } from '../../src/export/format.js';
import { compareWithWorld } from '../faults/lib/compare.js';
import { botChat, CHAT_A, CHAT_B, faultWorld, LINKS_A } from '../faults/lib/world.js';

const T0 = 1_767_225_600;

/** The world, and the export a perfect sync of it would write (every ended stay seen and closed "unseen"). */
function churned() {
  const world = faultWorld(7, { joinsA: 0, pendingA: 0, joinsB: 0, pendingB: 0 });
  let clock = T0;
  world.setClock(() => clock);
  for (const id of [9_900_001n, 9_900_002n, 9_900_003n]) world.addUser({ id, firstName: `P${id}` });
  world.addJoin(CHAT_A, { userId: 9_900_001n, link: LINKS_A[0]! });
  world.addJoin(CHAT_A, { userId: 9_900_002n, link: LINKS_A[1]! });
  world.addJoin(CHAT_A, { userId: 9_900_003n, link: LINKS_A[1]! });
  clock += 100;
  world.leave(CHAT_A, 9_900_002n);
  world.leave(CHAT_A, 9_900_003n, { kicked: true });
  clock += 100;
  world.addJoin(CHAT_A, { userId: 9_900_002n, link: LINKS_A[0]! }); // joins again: a new stay
  const stay = (userId: bigint, link: string, date: number, left?: { at: number; how: ExportRecord['left_how'] }): ExportRecord => ({
    chat_id: String(botChat(CHAT_A)), link, user_id: String(userId), username: null, first_name: `P${userId}`, last_name: '',
    date: isoDate(date), status: 'joined', approved_by: null, about: null, via_chatlist: false,
    left_at: left ? isoDate(left.at) : null, left_how: left?.how ?? null,
  });
  const good: ExportRecord[] = [
    stay(9_900_001n, LINKS_A[0]!, T0),
    stay(9_900_002n, LINKS_A[1]!, T0, { at: T0 + 150, how: 'unseen' }),
    stay(9_900_003n, LINKS_A[1]!, T0, { at: T0 + 100, how: 'kicked' }),
    stay(9_900_002n, LINKS_A[0]!, T0 + 200),
  ];
  return { world, good, stay };
}

const bad = (d: ReturnType<typeof compareWithWorld>) => d.lost.length + d.doubled.length + d.extra.length;

describe('fault suite: the export against a churning world', () => {
  it('accepts the export of a sync that saw everything, and one that never saw a stay that ended', () => {
    const { world, good } = churned();
    // Decided requests come first in an export of several chats (they are not compared): they must not shift anything.
    const decided: ExportRecord = { ...good[0]!, user_id: '9900009', status: 'approved', left_at: null, left_how: null };
    const full = compareWithWorld(world, [CHAT_A, CHAT_B], [decided, ...good]);
    expect(bad(full)).toBe(0);
    expect(full.endedCompared).toBe(2);
    // Joined and left between two listings: no trace on Telegram, so none in the export either.
    const unseen = compareWithWorld(world, [CHAT_A, CHAT_B], good.filter((r) => r.user_id !== '9900003'));
    expect(bad(unseen)).toBe(0);
    expect(unseen.endedCompared).toBe(1);
  });

  it('refuses a member who left, a stay closed too early or the wrong way, a lost member and a doubled row', () => {
    const { world, good, stay } = churned();
    const stillMember = good.map((r) => (r.user_id === '9900003' ? { ...r, left_at: null, left_how: null } : r));
    expect(compareWithWorld(world, [CHAT_A, CHAT_B], stillMember).extra).toHaveLength(1);
    const early = good.map((r) => (r.user_id === '9900003' ? { ...r, left_at: isoDate(T0 + 50) } : r));
    expect(compareWithWorld(world, [CHAT_A, CHAT_B], early).extra).toEqual([expect.stringContaining('closed at')]);
    const wrongHow = good.map((r) => (r.user_id === '9900003' ? { ...r, left_how: 'left' as const } : r));
    expect(compareWithWorld(world, [CHAT_A, CHAT_B], wrongHow).extra).toEqual([expect.stringContaining('said left, was kicked')]);
    const lost = compareWithWorld(world, [CHAT_A, CHAT_B], good.filter((r) => r.date !== isoDate(T0 + 200)));
    expect(lost.lost).toHaveLength(1);
    const doubled = compareWithWorld(world, [CHAT_A, CHAT_B], [...good, stay(9_900_001n, LINKS_A[0]!, T0)]);
    expect(doubled.doubled).toHaveLength(1);
  });
});
