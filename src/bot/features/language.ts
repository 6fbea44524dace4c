/**
 * /language [en | ru | app]: the language joinwatch speaks. In private it is the sender's own (it
 * overrides their Telegram app's language; `app` goes back to it); in a group, one of the group's
 * admins chooses the language of the notifications sent there (NOTIFY_CHAT_ID). Buttons when no
 * language is named. The choice lives in SQLite (store.settings), so it outlives a restart.
 */
import { Composer, InlineKeyboard } from 'grammy';
import type { BotContext } from '../context.js';
import { chatLocale } from '../i18n/choice.js';
import { DEFAULT_LOCALE, LOCALES, toLocale, type Locale } from '../i18n/locale.js';
import { textsFor } from '../i18n/texts.js';
import { unpack } from '../views/callback-data.js';
import { commandArgs } from './common.js';

const VERB = 'lg';
/** Back to the Telegram app's language (private chats only). */
const APP = 'app';

export function languageFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('language', async (ctx) => {
    const args = await commandArgs(ctx, '/language ru');
    if (args === undefined || !(await mayChoose(ctx))) return;
    const wanted = args.split(/\s+/)[0]?.toLowerCase() ?? '';
    if (wanted === '') {
      await ask(ctx);
      return;
    }
    const choice = wanted === APP || wanted === 'auto' ? APP : toLocale(wanted);
    if (choice === undefined || (choice === APP && !inPrivate(ctx))) {
      await ctx.reply(ctx.t('language-unknown', { languages: LOCALES.map((l) => `${textsFor(l).t(`language-name-${l}`)} (${l})`).join(', ') }));
      return;
    }
    await ctx.reply(choose(ctx, choice));
  });

  feature.callbackQuery(new RegExp(`^${VERB}:`), async (ctx) => {
    const [wanted = ''] = unpack(ctx.callbackQuery.data).fields;
    const choice = wanted === APP && inPrivate(ctx) ? APP : toLocale(wanted);
    if (choice === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t('fallback-button-gone') });
      return;
    }
    if (!(await mayChoose(ctx))) {
      await ctx.answerCallbackQuery({ text: ctx.t('language-group-admins-only'), show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(choose(ctx, choice));
  });
  return feature;
}

function inPrivate(ctx: BotContext): boolean {
  return ctx.chat?.type === 'private';
}

/** Anyone chooses their own language; a group's, only its admins (Telegram's list, cached). */
async function mayChoose(ctx: BotContext): Promise<boolean> {
  if (!ctx.chat || !ctx.from) return false;
  if (inPrivate(ctx)) return true;
  if (await ctx.deps.rights.isAdmin(BigInt(ctx.chat.id), BigInt(ctx.from.id))) return true;
  // A press answers with an alert of its own (the caller); a command gets a line.
  if (!ctx.callbackQuery) await ctx.reply(ctx.t('language-group-admins-only'));
  return false;
}

async function ask(ctx: BotContext): Promise<void> {
  const keyboard = new InlineKeyboard();
  const pack = ctx.deps.buttons.pack.bind(ctx.deps.buttons);
  for (const l of LOCALES) keyboard.text(textsFor(l).t(`language-name-${l}`), pack(VERB, l));
  if (inPrivate(ctx)) {
    keyboard.row().text(ctx.t('language-button-app'), pack(VERB, APP));
    await ctx.reply(ctx.t('language-current', { language: ctx.t(`language-name-${ctx.texts.locale}`) }), { reply_markup: keyboard });
    return;
  }
  const current = chatLocale(ctx.store, BigInt(ctx.chat!.id));
  await ctx.reply(ctx.t('language-current-group', { language: ctx.t(`language-name-${current}`) }), { reply_markup: keyboard });
}

/** Stores the choice and says so in the language now in force. */
function choose(ctx: BotContext, choice: Locale | typeof APP): string {
  const chatId = BigInt(ctx.chat!.id);
  const now = Math.floor(ctx.deps.now() / 1000);
  if (!inPrivate(ctx)) {
    ctx.store.settings.chooseLanguage(chatId, choice as Locale, now);
    return textsFor(choice as Locale).t('language-set-group');
  }
  ctx.store.settings.chooseLanguage(chatId, choice === APP ? null : choice, now);
  if (choice !== APP) return textsFor(choice).t('language-set');
  const app = toLocale(ctx.from?.language_code) ?? DEFAULT_LOCALE;
  return textsFor(app).t('language-set-app', { language: textsFor(app).t(`language-name-${app}`) });
}
