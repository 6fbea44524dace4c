/**
 * The sandbox world's value types (the contract both sandbox servers build on) and the
 * deterministic access-hash function: restarts of the sandbox agree on every access hash, so a
 * session and cached peers stay valid across runs.
 */
import { noFaults, type Faults } from './faults.js';

export type Id = bigint;

export interface WorldUser {
  id: Id;
  accessHash: Id;
  firstName: string;
  lastName?: string;
  username?: string;
  isBot?: boolean;
  /** The user's Telegram app language (Bot API `language_code`); "en" when absent. */
  languageCode?: string;
}

export interface WorldLink {
  /** Canonical https://t.me/+HASH */
  link: string;
  hash: string;
  /**
   * The spelling Telegram returns when it differs from the canonical one: a legacy link created as
   * `https://t.me/joinchat/HASH` keeps that form in every listing.
   */
  raw?: string;
  chatId: Id;
  adminId: Id;
  date: number;
  title?: string;
  permanent: boolean;
  revoked: boolean;
  requestNeeded: boolean;
  expireDate?: number;
  usageLimit?: number;
}

export interface WorldImporter {
  userId: Id;
  date: number;
  requested: boolean;
  about?: string;
  approvedBy?: Id;
  viaChatlist: boolean;
  link: string | null;
}

/** A membership that ended: the join row and how it ended. */
export interface WorldStay extends WorldImporter {
  leftAt: number;
  kicked: boolean;
}

/**
 * What became of a join request: approved or declined by an admin (in any app, the bot, the
 * userbot), or withdrawn because the person joined through another link meanwhile.
 */
export interface WorldDecision {
  userId: Id;
  link: string | null;
  date: number;
  about?: string;
  outcome: 'approved' | 'declined' | 'withdrawn';
  by: Id | null;
  at: number;
}

export interface WorldChat {
  /** MTProto channel id (positive); the Bot API id is -100 followed by it. */
  id: Id;
  accessHash: Id;
  type: 'supergroup' | 'channel';
  title: string;
  username?: string;
  ownerId: Id;
  admins: Id[];
  /** Admins lacking `can_invite_users` (sandbox extension, for "bot cannot approve" tests). */
  adminsWithoutInvite: Id[];
}

/** The MTProto server's fault settings (src/sandbox/faults.ts), parsed from the scenario. */
export type WorldFaults = Faults;
export { noFaults };

export interface LoginSpec {
  phone: string;
  code: string;
  password?: string;
  /** Numbers Telegram has banned: auth.sendCode answers PHONE_NUMBER_BANNED. */
  bannedPhones?: string[];
}

/** A Telegram RPC error the world raises (e.g. 'HIDE_REQUESTER_MISSING'); servers map it to their wire form. */
export class WorldError extends Error {
  constructor(public readonly rpc: string) {
    super(rpc);
    this.name = 'WorldError';
  }
}

/**
 * A signed 64-bit access hash derived from the id and a salt (`user` / `chat`): cheap (no crypto:
 * the big world creates a million users) and stable across restarts.
 */
export function accessHashFor(kind: 'user' | 'chat', id: Id): Id {
  const lo = Number(BigInt.asUintN(32, id));
  const hi = Number(BigInt.asUintN(32, id >> 32n));
  const salt = kind === 'user' ? 0x9e3779b9 : 0x85ebca6b;
  const a = mix(lo ^ salt, hi);
  const b = mix(hi ^ a, lo ^ salt);
  return BigInt.asIntN(64, (BigInt(a >>> 0) << 32n) | BigInt(b >>> 0)) || 1n;
}

/** murmur3-style 32-bit finaliser over two words. */
function mix(x: number, y: number): number {
  let h = Math.imul(x ^ 0x27d4eb2d, 0xcc9e2d51) ^ y;
  h = Math.imul(h ^ (h >>> 15), 0x1b873593);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
