/**
 * Faults the sandbox MTProto server can inject, so tests and benchmarks can prove the client
 * survives what real Telegram does to it: FLOOD_WAIT on a method, dropped connections, slow
 * answers and a revoked session. The scenario file carries the snake_case form
 * (`flood_wait`, `drop_connection_every`, …); the world parses it into this shape.
 */
export interface FloodWaitFault {
  /** Method name as counted by the server, e.g. 'messages.getChatInviteImporters'. */
  method: string;
  /** Every N-th call of the method answers FLOOD_WAIT_X instead of a result. */
  every: number;
  seconds: number;
}

export interface Faults {
  floodWait: FloodWaitFault[];
  /** Every N-th incoming message closes the connection instead of being answered. */
  dropConnectionEvery: number | null;
  /** Added to every RPC answer. */
  delayMs: number;
  /** After N served calls every signed-in key answers AUTH_KEY_UNREGISTERED. */
  revokeSessionAfter: number | null;
  /**
   * After N served calls the server forgets every signed-in key, as a Telegram server that lost
   * its auth keys: the next call, and every message after it, gets the transport error -404. Run
   * time only.
   */
  forgetKeysAfter?: number | null;
  /**
   * Links deleted on Telegram's side (canonical https://t.me/+HASH): getChatInviteImporters with
   * one answers INVITE_HASH_EXPIRED and getExportedChatInvites no longer lists it, while the
   * world keeps its rows. Run time only.
   */
  deletedLinks?: string[];
}

export function noFaults(): Faults {
  return { floodWait: [], dropConnectionEvery: null, delayMs: 0, revokeSessionAfter: null };
}

/** Merges a partial change into the current faults, keeping what the change leaves out. */
export function mergeFaults(current: Faults, change: Partial<Faults>): Faults {
  return {
    floodWait: change.floodWait ?? current.floodWait,
    dropConnectionEvery: change.dropConnectionEvery !== undefined ? change.dropConnectionEvery : current.dropConnectionEvery,
    delayMs: change.delayMs ?? current.delayMs,
    revokeSessionAfter: change.revokeSessionAfter !== undefined ? change.revokeSessionAfter : current.revokeSessionAfter,
    forgetKeysAfter: change.forgetKeysAfter !== undefined ? change.forgetKeysAfter : (current.forgetKeysAfter ?? null),
    deletedLinks: change.deletedLinks ?? current.deletedLinks ?? [],
  };
}
