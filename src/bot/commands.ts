/**
 * The command menus Telegram clients show. With @grammyjs/commands, scoped so that in groups only
 * chat administrators see the data commands (everyone else has no use for them), while private
 * chats list everything (the access check happens per command anyway).
 */
import { CommandGroup } from '@grammyjs/commands';
import type { Api } from 'grammy';
import type { BotContext } from './context.js';

export const COMMANDS: ReadonlyArray<{ name: string; description: string; inGroups: boolean }> = [
  { name: 'start', description: 'What joinwatch does and which chats you administer', inGroups: false },
  { name: 'help', description: 'Commands and examples', inGroups: true },
  { name: 'links', description: 'Invite links with joined, pending, expiry', inGroups: true },
  { name: 'joiners', description: 'Who joined through a link: /joiners <link>', inGroups: true },
  { name: 'pending', description: 'Pending join requests: /pending [search]', inGroups: true },
  { name: 'whois', description: 'Joins and requests of a user: /whois @name', inGroups: true },
  { name: 'stats', description: 'Joins and requests per day: /stats [link] [days]', inGroups: true },
  { name: 'export', description: 'CSV: /export <link | pending | all>', inGroups: true },
  { name: 'sync', description: 'Sync now (once a minute per chat)', inGroups: true },
];

/** The group of menu entries (descriptions only: handlers live in the feature composers). */
export function commandMenus(): CommandGroup<BotContext> {
  const group = new CommandGroup<BotContext>();
  for (const c of COMMANDS) {
    const command = group.command(c.name, c.description).addToScope({ type: 'all_private_chats' });
    if (c.inGroups) command.addToScope({ type: 'all_chat_administrators' });
  }
  return group;
}

/** Calls setMyCommands for each scope; app.ts runs it once at start (it needs the network). */
export async function registerCommandMenus(api: Api): Promise<void> {
  await commandMenus().setCommands({ api });
}
