/**
 * The scenario file: the JSON shape that seeds the sandbox world (issue 3, docs/sandbox.md).
 * Parsing is strict (unknown keys are refused: they are almost always typos) and every error names
 * the JSON path of the first problem, so a hand-written scenario is quick to fix.
 */
import { z } from 'zod';
import type { Faults } from './faults.js';

/** Ids are 64-bit: accept a safe JSON integer or a decimal string, always produce a bigint. */
const id = z
  .union([z.number().int(), z.string().regex(/^-?\d{1,20}$/, 'expected a decimal id')])
  .transform((v) => BigInt(v));
const positiveId = id.refine((v) => v > 0n, 'expected a positive id');
const unixTime = z.number().int().nonnegative();
const optText = z.string().nullish().transform((v) => v ?? undefined);

const user = z.strictObject({
  id: positiveId,
  first_name: z.string().min(1),
  last_name: optText,
  username: optText,
  is_bot: z.boolean().optional(),
  /** The language of the user's Telegram app, as the Bot API reports it (`language_code`); "en" when absent. */
  language_code: z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/, 'expected an IETF language tag such as "ru"').optional(),
  /** Sandbox extension: the user already has a private chat with the bot (else the bot cannot write first: 403). */
  started_bot: z.boolean().optional(),
});

const link = z.strictObject({
  link: z.string(),
  admin_id: positiveId,
  date: unixTime,
  title: z.string().max(32).nullish().transform((v) => v ?? undefined),
  permanent: z.boolean().default(false),
  revoked: z.boolean().default(false),
  request_needed: z.boolean().default(false),
  expire_date: unixTime.nullish().transform((v) => v ?? undefined),
  usage_limit: z.number().int().positive().nullish().transform((v) => v ?? undefined),
});

const join = z.strictObject({
  user_id: positiveId,
  link: z.string().nullable().default(null),
  date: unixTime,
  approved_by: positiveId.nullish().transform((v) => v ?? undefined),
  via_chatlist: z.boolean().default(false),
});

const request = z.strictObject({
  user_id: positiveId,
  link: z.string().nullable().default(null),
  date: unixTime,
  about: optText,
});

const chat = z.strictObject({
  id: positiveId,
  type: z.enum(['supergroup', 'channel']),
  title: z.string().min(1),
  username: optText,
  owner_id: positiveId,
  admins: z.array(positiveId).default([]),
  /** Sandbox extension: admins listed here lack `can_invite_users` (to test "bot cannot approve"). */
  admins_without_invite_rights: z.array(positiveId).default([]),
  links: z.array(link).default([]),
  joins: z.array(join).default([]),
  requests: z.array(request).default([]),
});

const floodWait = z.array(z.strictObject({ method: z.string().min(1), every: z.number().int().positive(), seconds: z.number().int().nonnegative() }));

const faults = z.strictObject({
  flood_wait: floodWait.default([]),
  drop_connection_every: z.number().int().positive().nullable().default(null),
  delay_ms: z.number().int().nonnegative().default(0),
  revoke_session_after: z.number().int().positive().nullable().default(null),
});

const login = z.strictObject({
  phone: z.string().min(1),
  code: z.string().min(1),
  password: optText,
  banned_phones: z.array(z.string().min(1)).optional(),
});

export const scenarioSchema = z.strictObject({
  self: user,
  bot: user,
  users: z.array(user).default([]),
  chats: z.array(chat).default([]),
  login: login.optional(),
  faults: faults.optional(),
});

/** A change of faults at run time (`POST /sandbox/faults`): only what is given changes; 0 revokes at the next call. */
const faultsChange = z.strictObject({
  flood_wait: floodWait.optional(),
  drop_connection_every: z.number().int().positive().nullable().optional(),
  delay_ms: z.number().int().nonnegative().optional(),
  revoke_session_after: z.number().int().nonnegative().nullable().optional(),
  forget_keys_after: z.number().int().nonnegative().nullable().optional(),
  deleted_links: z.array(z.string().min(1)).optional(),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioUser = z.output<typeof user>;
export type ScenarioChat = z.output<typeof chat>;
export type ScenarioFaults = z.output<typeof faults>;
/** The input shape (what a JSON file or the generator writes). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

export class ScenarioError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`scenario ${path}: ${problem}`);
    this.name = 'ScenarioError';
  }
}

/** `$.chats[0].links[2].date` from a zod-style path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), '$');
}

/**
 * Canonical `https://t.me/+HASH` for the forms a person or Telegram writes; undefined if it is not
 * an invite link. (The product has its own normaliser; the sandbox must not import product code.)
 */
export function canonicalInviteLink(text: string): { link: string; hash: string } | undefined {
  const t = text.trim();
  const m =
    /^(?:https?:\/\/)?(?:t|telegram)\.me\/(?:\+|joinchat\/)([A-Za-z0-9_-]+)\/?$/i.exec(t) ??
    /^tg:\/\/join\?invite=([A-Za-z0-9_-]+)$/i.exec(t);
  const hash = m?.[1];
  return hash ? { link: `https://t.me/+${hash}`, hash } : undefined;
}

/** Validates a run-time faults change (snake_case, as in the scenario) into the MTProto server's shape. */
export function parseFaultsChange(input: unknown): Partial<Faults> {
  const result = faultsChange.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ScenarioError(jsonPath(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  const f = result.data;
  const out: Partial<Faults> = {};
  if (f.flood_wait !== undefined) out.floodWait = f.flood_wait;
  if (f.drop_connection_every !== undefined) out.dropConnectionEvery = f.drop_connection_every;
  if (f.delay_ms !== undefined) out.delayMs = f.delay_ms;
  if (f.revoke_session_after !== undefined) out.revokeSessionAfter = f.revoke_session_after;
  if (f.forget_keys_after !== undefined) out.forgetKeysAfter = f.forget_keys_after;
  if (f.deleted_links !== undefined) out.deletedLinks = f.deleted_links.map((l) => canonicalInviteLink(l)?.link ?? l);
  return out;
}

/** Validates and cross-checks a parsed JSON value; throws ScenarioError naming the first bad path. */
export function parseScenario(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ScenarioError(jsonPath(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  crossCheck(result.data);
  return result.data;
}

/** References between parts of the file: users must be listed, links must exist in their chat. */
function crossCheck(s: Scenario): void {
  const known = new Set<bigint>([s.self.id, s.bot.id, ...s.users.map((u) => u.id)]);
  const seenUsers = new Set<bigint>();
  [s.self, s.bot, ...s.users].forEach((u, i) => {
    const where = i === 0 ? '$.self.id' : i === 1 ? '$.bot.id' : `$.users[${i - 2}].id`;
    if (seenUsers.has(u.id)) throw new ScenarioError(where, `duplicate user id ${u.id}`);
    seenUsers.add(u.id);
  });
  const mustKnow = (uid: bigint, path: string): void => {
    if (!known.has(uid)) throw new ScenarioError(path, `user ${uid} is referenced but not listed in users`);
  };
  const seenChats = new Set<bigint>();
  const seenHashes = new Set<string>();
  s.chats.forEach((c, ci) => {
    const at = `$.chats[${ci}]`;
    if (seenChats.has(c.id)) throw new ScenarioError(`${at}.id`, `duplicate chat id ${c.id}`);
    seenChats.add(c.id);
    mustKnow(c.owner_id, `${at}.owner_id`);
    c.admins.forEach((a, i) => mustKnow(a, `${at}.admins[${i}]`));
    c.admins_without_invite_rights.forEach((a, i) => mustKnow(a, `${at}.admins_without_invite_rights[${i}]`));
    const chatLinks = new Set<string>();
    c.links.forEach((l, li) => {
      const canon = canonicalInviteLink(l.link);
      if (!canon) throw new ScenarioError(`${at}.links[${li}].link`, `not an invite link: ${JSON.stringify(l.link)}`);
      if (seenHashes.has(canon.hash)) throw new ScenarioError(`${at}.links[${li}].link`, `duplicate link ${canon.link}`);
      seenHashes.add(canon.hash);
      chatLinks.add(canon.link);
      mustKnow(l.admin_id, `${at}.links[${li}].admin_id`);
      if (l.request_needed && l.usage_limit !== undefined) {
        throw new ScenarioError(`${at}.links[${li}].usage_limit`, 'usage_limit and request_needed exclude each other');
      }
    });
    const linkOk = (value: string | null, path: string): void => {
      if (value === null) return;
      const canon = canonicalInviteLink(value);
      if (!canon || !chatLinks.has(canon.link)) throw new ScenarioError(path, `link ${JSON.stringify(value)} is not one of this chat's links`);
    };
    c.joins.forEach((j, ji) => {
      mustKnow(j.user_id, `${at}.joins[${ji}].user_id`);
      if (j.approved_by !== undefined) mustKnow(j.approved_by, `${at}.joins[${ji}].approved_by`);
      linkOk(j.link, `${at}.joins[${ji}].link`);
    });
    c.requests.forEach((r, ri) => {
      mustKnow(r.user_id, `${at}.requests[${ri}].user_id`);
      linkOk(r.link, `${at}.requests[${ri}].link`);
    });
  });
}
