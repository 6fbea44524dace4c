/**
 * From a validated scenario to a populated World, through the World's public API only (so the
 * loader and the running servers change the world the same way), and reading a scenario file.
 */
import { readFile } from 'node:fs/promises';
import { ScenarioError, type Scenario } from './scenario.js';
import type { World, WorldBase } from './world.js';
import type { WorldUser } from './world-types.js';

export async function readScenarioFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ScenarioError('$', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ScenarioError('$', `${path} is not JSON: ${(e as Error).message}`);
  }
}

const user = (u: Scenario['self']): Omit<WorldUser, 'accessHash'> => ({
  id: u.id, firstName: u.first_name, ...opt('lastName', u.last_name), ...opt('username', u.username), ...opt('isBot', u.is_bot), ...opt('languageCode', u.language_code),
});

export function worldBase(s: Scenario): WorldBase {
  const f = s.faults;
  return {
    self: user(s.self),
    bot: user(s.bot),
    ...(s.login ? { loginSpec: { phone: s.login.phone, code: s.login.code, ...opt('password', s.login.password), ...opt('bannedPhones', s.login.banned_phones) } } : {}),
    ...(f ? { faults: { floodWait: f.flood_wait, dropConnectionEvery: f.drop_connection_every, delayMs: f.delay_ms, revokeSessionAfter: f.revoke_session_after } } : {}),
  };
}

export function populateWorld(world: World, s: Scenario): void {
  for (const u of s.users) world.addUser(user(u));
  for (const u of [s.self, ...s.users]) if (u.started_bot) world.startBot(u.id);
  for (const c of s.chats) {
    world.addChat({ id: c.id, type: c.type, title: c.title, ownerId: c.owner_id, admins: c.admins, adminsWithoutInvite: c.admins_without_invite_rights, ...opt('username', c.username) });
    for (const l of c.links) {
      world.createLink(c.id, {
        link: l.link, adminId: l.admin_id, date: l.date, permanent: l.permanent, revoked: l.revoked, requestNeeded: l.request_needed,
        ...opt('title', l.title), ...opt('expireDate', l.expire_date), ...opt('usageLimit', l.usage_limit),
      });
    }
    for (const j of c.joins) world.addJoin(c.id, { userId: j.user_id, link: j.link, date: j.date, viaChatlist: j.via_chatlist, ...opt('approvedBy', j.approved_by) });
    for (const r of c.requests) world.addRequest(c.id, { userId: r.user_id, link: r.link, date: r.date, ...opt('about', r.about) });
  }
}

/** `{ key: value }` when value is defined, else `{}`: exactOptionalPropertyTypes-friendly spreading. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
