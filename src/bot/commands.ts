/**
 * The command menus Telegram clients show. With @grammyjs/commands, scoped so that in groups only
 * chat administrators see the data commands (everyone else has no use for them), while private
 * chats list everything (the access check happens per command anyway).
 */
import { CommandGroup } from '@grammyjs/commands';
import type { Api } from 'grammy';
import type { BotContext } from './context.js';
import { DEFAULT_LOCALE, LOCALES } from './i18n/locale.js';
import { textsFor } from './i18n/texts.js';

/** The menu's commands; each one's description is the text `command-<name>` in every language. */
export const COMMANDS: ReadonlyArray<{ name: string; inGroups: boolean }> = [
  { name: 'start', inGroups: false },
  { name: 'help', inGroups: true },
  { name: 'links', inGroups: true },
  { name: 'joiners', inGroups: true },
  { name: 'pending', inGroups: true },
  { name: 'whois', inGroups: true },
  { name: 'stats', inGroups: true },
  { name: 'export', inGroups: true },
  { name: 'sync', inGroups: true },
  { name: 'language', inGroups: true },
];

/**
 * The group of menu entries (descriptions only: handlers live in the feature composers). The
 * default list is English; each other language is set with its language_code, so a Telegram app in
 * Russian shows the Russian descriptions.
 */
export function commandMenus(): CommandGroup<BotContext> {
  const group = new CommandGroup<BotContext>();
  const english = textsFor(DEFAULT_LOCALE);
  for (const c of COMMANDS) {
    const command = group.command(c.name, english.t(`command-${c.name}`)).addToScope({ type: 'all_private_chats' });
    if (c.inGroups) command.addToScope({ type: 'all_chat_administrators' });
    for (const locale of LOCALES) if (locale !== DEFAULT_LOCALE) command.localize(locale, c.name, textsFor(locale).t(`command-${c.name}`));
  }
  return group;
}

/** Calls setMyCommands for each scope and language; app.ts runs it once at start (it needs the network). */
export async function registerCommandMenus(api: Api): Promise<void> {
  await commandMenus().setCommands({ api });
}
