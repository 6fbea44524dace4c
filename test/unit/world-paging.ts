/** Test helper: walks a world's importers with the exclusive (date, user) cursor, as a client would. */
import type { World, WorldImporter } from '../../src/sandbox/world.js';

export function pageAll(w: World, chatId: bigint, o: { link: string | null; requested: boolean; limit: number }): WorldImporter[] {
  const out: WorldImporter[] = [];
  let offsetDate = 0;
  let offsetUser = 0n;
  for (;;) {
    const { rows } = w.importers(chatId, { link: o.link, requested: o.requested, offsetDate, offsetUser, limit: o.limit });
    if (rows.length === 0) return out;
    out.push(...rows);
    const last = rows[rows.length - 1]!;
    offsetDate = last.date;
    offsetUser = last.userId;
  }
}
