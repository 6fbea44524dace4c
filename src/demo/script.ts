/**
 * The demo's scripted admin session, chosen from what the sync actually stored: the busiest chat,
 * its busiest link, a pending requester whose name matches the search, a user to look up.
 */
import type { World } from '../sandbox/world.js';
import type { Store } from '../store/index.js';

export interface TourStep {
  title: string;
  text: string;
  /** Who speaks (default: the admin). */
  from?: bigint;
  who?: string;
  /** Group chat to speak in (default: the private chat with the bot). */
  chat?: bigint;
  /** Buttons to press in turn, each matched by its label. */
  presses?: RegExp[];
}

export function tourScript(o: { world: World; store: Store; adminId: bigint }): TourStep[] {
  const { world, store } = o;
  const chats = store.chats.list();
  const busiest = [...chats].sort((a, b) => store.links.list(b.id).length - store.links.list(a.id).length)[0];
  if (!busiest) throw new Error('demo: the sync stored no chat');
  const chatArg = String(busiest.id);
  const hotLink = [...store.links.list(busiest.id)].sort((a, b) => store.joins.countByLink(busiest.id, b.link) - store.joins.countByLink(busiest.id, a.link))[0];
  if (!hotLink) throw new Error('demo: the sync stored no link');
  const stranger = world.users().find((u) => !u.isBot && !world.chatsOf(u.id).some((c) => c.admins.includes(u.id)) && u.id !== world.self.id);
  const lookup = world.users().find((u) => u.username && store.joins.ofUser(busiest.id, u.id).length > 0);

  const steps: TourStep[] = [
    { title: 'what the bot does, for this admin', text: '/start' },
    { title: 'an admin of several chats names none: the bot asks which', text: '/links', presses: [/./] },
    { title: 'who joined through the busiest link, 20 a page', text: `/joiners ${hotLink.link}`, presses: [/next|›|→|older/i] },
    { title: 'pending requests matching "ann", each with Approve / Decline', text: `/pending ${chatArg} ann`, presses: [/^✅ 1\. /] },
    { title: 'joins and requests per day, as a chart', text: `/stats ${chatArg} 30` },
  ];
  if (lookup?.username) steps.push({ title: 'everything about one user', text: `/whois @${lookup.username}` });
  steps.push({ title: 'the pending list as CSV', text: `/export ${chatArg} pending` });
  steps.push({ title: 'a bad link gets an explanation, not silence', text: '/joiners t.me/not-a-link' });
  if (stranger) {
    steps.push({ title: 'someone who is not an admin gets nothing', text: `/links ${chatArg}`, from: stranger.id, who: `${stranger.firstName} (not an admin)` });
  }
  return steps;
}
