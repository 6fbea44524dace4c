/**
 * A keyset page cut to what fits ONE message. A page that Telegram would split is what made a
 * redraw renumber its parts (and a ✅ sit next to another person's line), so pages are sized by the
 * rendered text: as many rows as fit, at most the store's page. Rows are numbered from the row next
 * to the cursor, which the buttons carry, so Next continues exactly after the last row shown and
 * Prev ends exactly before the first.
 */
import type { Cursor, Page } from '../../store/index.js';
import { fitsOneMessage } from '../views/split.js';

export type Direction = 'older' | 'newer';

/** Where a page starts: from the top, or from a cursor with the number of the row next to it. */
export interface PagePosition {
  readonly from?: { readonly direction: Direction; readonly cursor: Cursor };
  /** 1-based number of the row right after (older) or right before (newer) the cursor. */
  readonly index: number;
}

export interface FittedPage<T> {
  rows: T[];
  /** Number of the first row shown. */
  firstIndex: number;
  lines: string[];
  /** Cursor and number for Next (older rows), or null. */
  older: { cursor: Cursor; index: number } | null;
  /** Cursor and number for Prev (newer rows), or null. */
  newer: { cursor: Cursor; index: number } | null;
}

interface Row {
  readonly date: number;
  readonly userId: bigint;
}

/**
 * `compose(rows, firstIndex)` renders the whole message for a choice of rows; the most rows that
 * still fit one message are kept (always at least one: a single row is clipped by the views).
 */
export function fitPage<T extends Row>(page: Page<T>, at: PagePosition, compose: (rows: T[], firstIndex: number) => string[]): FittedPage<T> {
  const goingUp = at.from?.direction === 'newer';
  const all = page.rows;
  let kept = all.length;
  const choose = (k: number): T[] => (goingUp ? all.slice(all.length - k) : all.slice(0, k));
  const numberOf = (k: number): number => (goingUp ? (page.newer === null && k === all.length ? 1 : Math.max(1, at.index - k + 1)) : at.from ? at.index : 1);
  let lines = compose(choose(kept), numberOf(kept));
  while (kept > 1 && !fitsOneMessage(lines)) {
    kept--;
    lines = compose(choose(kept), numberOf(kept));
  }
  const rows = choose(kept);
  const firstIndex = numberOf(kept);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const droppedBelow = !goingUp && kept < all.length;
  const droppedAbove = goingUp && kept < all.length;
  const olderCursor = droppedBelow && last ? cursorOf(last) : page.older;
  const newerCursor = droppedAbove && first ? cursorOf(first) : page.newer;
  return {
    rows,
    firstIndex,
    lines,
    older: olderCursor ? { cursor: olderCursor, index: firstIndex + rows.length } : null,
    newer: newerCursor ? { cursor: newerCursor, index: Math.max(1, firstIndex - 1) } : null,
  };
}

function cursorOf(r: Row): Cursor {
  return { date: r.date, userId: r.userId };
}
