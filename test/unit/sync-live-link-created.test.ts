/**
 * A link created in the world and first seen through an admin-log event (a join through it) gets
 * the same outbox event a link first seen in a listing gets: one `link.created`, as news.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventKind } from '../../src/sync/events.js';
import { A, SELF, events, harness, linkWithMembers, type Harness } from './sync-world-harness.js';

let h: Harness;
afterEach(() => h?.store.close());

const created = () => events(h, EventKind.LinkCreated).map((e) => [e.link, e.firstSync ?? false]);

describe('a link first seen through the admin log', () => {
  it('gets one link.created, as news (not the first sync), like a listed one', async () => {
    h = harness({ adminLog: true });
    const first = linkWithMembers(h, 2);
    await h.cycle(); // the first cycle: the full reconcile
    expect(created().map(([link]) => link)).toEqual([first]);
    const fresh = h.world.createLink(A, { adminId: SELF, date: h.tick() }).link;
    h.world.addJoin(A, { userId: h.person(), link: fresh, date: h.tick() });
    h.tick(60);
    await h.cycle(); // ordinary: the log's join names a link the store does not know
    await h.cycle();
    expect(created().map(([link]) => link)).toEqual([first, fresh]);
    expect(created().at(-1)).toEqual([fresh, false]);
  });
});
